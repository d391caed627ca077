using System.Text.Json;
using Arvo.Broker;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// Whole workflows through <see cref="SimpleEventBroker"/> (scenarios B-5 … B-8, broker-and-testing.md 3).
/// </summary>
/// <remarks>
/// The reference broker processes its queue LIFO; this broker is FIFO. Where several events are pending at once the
/// published order therefore differs from the reference table, so these tests assert counts, final events, per-event facts
/// and per-type orders that hold under both disciplines (in B-5 and B-6 the flow is a single chain, so indices match too).
/// </remarks>
public sealed class BrokerWorkflowTests
{
    private readonly ReferenceFixture _fixture = new();
    private readonly List<(Exception Error, ArvoEvent Event)> _errors = [];

    // ---- B-5 Nested workflow ----

    [Fact]
    public async Task ResolveAsync_NumberModifierDecrement_CompletesThroughTheChildWorkflow()
    {
        var broker = _fixture.Broker(_errors);
        var init = ReferenceFixture.NumberModifierInit("0.0.1", 1, 4, "decrement", domain: "test.domain");

        var final = await broker.ResolveAsync(init);

        final.Should().NotBeNull();
        final!.Type.Should().Be("arvo.orc.number.modifier.done");
        final.To.Should().Be(ReferenceFixture.Client);
        final.Data.GetRawText().Should().Be("""{"success":true,"error":[],"final":-3}""");
        final.Domain.Should().BeNull();
        final.ParentId.Should().Be(init.Id);

        var events = broker.RecordedEvents;
        events.Select(e => e.Type).Should().Equal(
            "arvo.orc.number.modifier",
            "com.value.write",
            "evt.value.write.success",
            "arvo.orc.dec",
            "com.notif.test",
            "com.value.read",
            "evt.value.read.success",
            "com.decrement.number",
            "evt.decrement.number.success",
            "arvo.orc.dec.done",
            "arvo.orc.number.modifier.done");
        events[0].To.Should().Be("arvo.orc.number.modifier");
        events[1].Subject.Should().Be(init.Subject);
        events[1].Data.GetRawText().Should().Be(JsonSerializer.Serialize(new { key = init.Subject, value = 1 }));
        events[3].Data.GetProperty("parentSubject$$").GetString().Should().Be(init.Subject);
        var child = ArvoOrchestrationSubject.Parse(events[3].Subject);
        child.Orchestrator.Name.Should().Be("arvo.orc.dec");
        child.Orchestrator.Version.Should().Be("0.0.1");
        child.Execution.Initiator.Should().Be("arvo.orc.number.modifier");
        child.Execution.Domain.Should().Be("test.domain", "the child inherits the parent subject's domain");
        events[9].Subject.Should().Be(init.Subject, "the child completes under its parent's subject");
        events[9].To.Should().Be("arvo.orc.number.modifier");
        _fixture.ValueStore[init.Subject].Should().Be(1);

        // The undeclared com.notif.test has no handler.
        _errors.Should().ContainSingle().Which.Error.Message.Should().Be("No handlers registered for event type: com.notif.test");
    }

    // ---- B-6 Redirected completion ----

    [Fact]
    public async Task ResolveAsync_RedirectedInit_CompletionGoesToTheRedirectTarget()
    {
        var broker = _fixture.Broker(_errors);
        var init = ReferenceFixture.NumberModifierInit("0.0.1", 1, 4, "decrement", redirectTo: "com.test.test.1");
        ArvoEvent? redirected = null;
        using var catcher = broker.Subscribe("com.test.test.1", (evt, _) =>
        {
            redirected = evt;
            return ValueTask.CompletedTask;
        });

        var final = await broker.ResolveAsync(init);

        final.Should().BeNull("nothing reaches com.test.test");
        var events = broker.RecordedEvents;
        events.Should().HaveCount(11);
        redirected.Should().NotBeNull();
        redirected!.Should().Be(events[^1]);
        redirected.Type.Should().Be("arvo.orc.number.modifier.done");
        redirected.Data.GetRawText().Should().Be("""{"success":true,"error":[],"final":-3}""");
        events[^1].ParentId.Should().Be(init.Id);
        events[^2].ParentId.Should().NotBe(init.Id);
        ((MachineMemoryStateRecord)(await _fixture.Memory.ReadRecordAsync(init.Subject))!).InitEventId.Should().Be(init.Id);
    }

    // ---- B-7 Faulty child subject ----

    [Fact]
    public async Task ResolveAsync_ChildInitWithInvalidParentSubject_StopsWithAnExecutionViolation()
    {
        var broker = _fixture.Broker(_errors);
        var init = ReferenceFixture.NumberModifierInit("0.0.2", 1, 4, "decrement");

        var final = await broker.ResolveAsync(init);

        final.Should().BeNull();
        broker.RecordedEvents.Select(e => e.Type).Should().Equal("arvo.orc.number.modifier", "com.value.write", "evt.value.write.success");
        var (error, evt) = _errors.Should().ContainSingle().Subject;
        var violation = error.Should().BeOfType<ExecutionViolation>().Subject;
        violation.Name.Should().Be("ViolationError<Execution>");
        violation.Message.Should().Be(
            "ViolationError<Execution> [Emittable Event Creation] Invalid parentSubject$$ for the event(type='arvo.orc.dec', uri='#/test/orchestrator/decrement/0.0.2'). It must be follow the ArvoOrchestrationSubject schema. The easiest way is to use the current orchestration subject by storing the subject via the context block in the machine definition.");
        evt.Type.Should().Be("evt.value.write.success");
        ((MachineMemoryStateRecord)(await _fixture.Memory.ReadRecordAsync(init.Subject))!).Value!.Value.GetString().Should().Be("init_value", "nothing was persisted");
    }

    // ---- B-8 Two children, one orphan ----

    [Fact]
    public async Task ResolveAsync_TwoChildrenOneOrphan_CompletesOnceAndIgnoresTheOrphan()
    {
        var broker = _fixture.Broker(_errors);
        var init = ReferenceFixture.NumberModifierInit("0.0.2", 3, 2, "increment");

        var final = await broker.ResolveAsync(init);

        final.Should().NotBeNull();
        final!.Type.Should().Be("arvo.orc.number.modifier.done");
        final.To.Should().Be(ReferenceFixture.Client);
        final.Data.GetRawText().Should().Be("""{"success":true,"error":[],"final":6}""");
        final.ParentId.Should().Be(init.Id);
        _errors.Should().BeEmpty();

        var events = broker.RecordedEvents;
        events.Should().HaveCount(18);
        events.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.Count()).Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["arvo.orc.number.modifier"] = 1,
            ["com.value.write"] = 1,
            ["evt.value.write.success"] = 1,
            ["arvo.orc.inc"] = 2,
            ["com.value.read"] = 2,
            ["evt.value.read.success"] = 2,
            ["com.increment.number"] = 2,
            ["evt.increment.number.success"] = 2,
            ["evt.multiplier.number.success"] = 2,
            ["arvo.orc.inc.done"] = 2,
            ["arvo.orc.number.modifier.done"] = 1,
        });
        events[^1].Should().Be(final);

        // The parented child completes under the parent's subject; the orphan under its own, and is ignored.
        var childInits = events.Where(e => e.Type == "arvo.orc.inc").ToList();
        var parented = childInits.Single(e => e.Data.GetProperty("parentSubject$$").ValueKind == JsonValueKind.String);
        var orphan = childInits.Single(e => e.Data.GetProperty("parentSubject$$").ValueKind == JsonValueKind.Null);
        var completions = events.Where(e => e.Type == "arvo.orc.inc.done").ToList();
        completions.Should().OnlyContain(e => e.To == "arvo.orc.number.modifier");
        completions.Single(e => e.ParentId == parented.Id).Subject.Should().Be(init.Subject);
        completions.Single(e => e.ParentId == orphan.Id).Subject.Should().Be(orphan.Subject);
        ((MachineMemoryStateRecord)(await _fixture.Memory.ReadRecordAsync(orphan.Subject))!).Status.Should().Be("done");
    }

    // ---- Nested workflows and failing services ----

    [Fact]
    public async Task ResolveAsync_IncrementWorkflow_CompletesThroughTheBroker()
    {
        var broker = _fixture.Broker(_errors);
        _fixture.ValueStore["test.key"] = 2;

        var final = await broker.ResolveAsync(ReferenceFixture.ModifierInit(ReferenceContracts.Inc, "0.0.1", "test.key", 2));

        final!.Type.Should().Be("arvo.orc.inc.done");
        final.Data.GetRawText().Should().Be("""{"success":true,"error":[],"final":4}""");
        broker.RecordedEvents.Should().HaveCount(6);
    }

    [Fact]
    public async Task ResolveAsync_ServiceFails_WorkflowEndsThroughItsSystemErrorTransition()
    {
        // value.read throws for a missing key → sys.com.value.read.error → the machine's error state.
        var broker = _fixture.Broker(_errors);

        var final = await broker.ResolveAsync(ReferenceFixture.ModifierInit(ReferenceContracts.Dec, "0.0.1", "missing.key", 2));

        final!.Type.Should().Be("arvo.orc.dec.done");
        var data = final.Data;
        data.GetProperty("success").GetBoolean().Should().BeFalse();
        data.GetProperty("final").GetDouble().Should().Be(0);
        var error = data.GetProperty("error").EnumerateArray().Should().ContainSingle().Subject;
        error.GetProperty("errorName").GetString().Should().Be("InvalidOperationException");
        error.GetProperty("errorMessage").GetString().Should().Be("No value to find at key=missing.key");
        broker.RecordedEvents.Select(e => e.Type).Should().Equal("arvo.orc.dec", "com.value.read", "sys.com.value.read.error", "arvo.orc.dec.done");
        _errors.Should().BeEmpty();
    }

    [Fact]
    public async Task ResolveAsync_ChildServiceFails_ParentEndsInErrorWithTheChildErrors()
    {
        // value.write of -100 reports success: false → number.modifier's error state without a child.
        var broker = _fixture.Broker(_errors);

        var final = await broker.ResolveAsync(ReferenceFixture.NumberModifierInit("0.0.1", -100, 4, "decrement"));

        final!.Data.GetProperty("success").GetBoolean().Should().BeFalse();
        final.Data.GetProperty("error")[0].GetProperty("errorName").GetString().Should().Be("WriteFailure");
        broker.RecordedEvents.Should().HaveCount(4);
    }

    [Fact]
    public async Task ResolveAsync_ParentAndChildMachines_CompleteThroughTheBroker()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var domained = new List<ArvoEvent>();
        var broker = SimpleEventBroker.Create(
            [ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(NestedFixture.ParentMachine()).Build(), ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(NestedFixture.ChildMachine()).Build()],
            new SimpleEventBrokerOptions
            {
                RecordCapacity = 100,
                OnError = (e, evt) => _errors.Add((e, evt)),
                OnDomainedEvent = (d, _) =>
                {
                    domained.Add(d.Event);
                    return ValueTask.CompletedTask;
                },
            });
        var init = NestedFixture.ParentInit();

        var final = await broker.ResolveAsync(init);

        final!.Type.Should().Be("arvo.orc.parent.done");
        final.Data.GetRawText().Should().Be("""{"r":6}""");
        final.ParentId.Should().Be(init.Id);
        // The orphan child init carries domain ext.dom: it goes to the domained-event callback, not to the bus.
        broker.RecordedEvents.Select(e => e.Type).Should().Equal("arvo.orc.parent", "arvo.orc.child", "arvo.orc.child.done", "arvo.orc.parent.done");
        domained.Should().ContainSingle().Which.Domain.Should().Be("ext.dom");
        _errors.Should().BeEmpty();
    }
}
