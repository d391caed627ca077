// N-6 throws a plain Error in the reference; its C# counterpart is System.Exception.
#pragma warning disable CA2201

using System.Text.Json;
using Arvo.Factories;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>Child orchestrations (orchestrator.md 15, scenarios N-1 … N-6).</summary>
public sealed class NestedOrchestrationTests
{
    private readonly SimpleMachineMemory<MachineMemoryRecord> _memory = new();
    private readonly ArvoOrchestrator _parent;
    private readonly ArvoOrchestrator _child;

    public NestedOrchestrationTests()
    {
        _parent = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(1).Machines(NestedFixture.ParentMachine()).Build();
        _child = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(1).Machines(NestedFixture.ChildMachine()).Build();
    }

    private async Task<(ArvoEvent Init, IReadOnlyList<ArvoEvent> Children)> StartParent()
    {
        var init = NestedFixture.ParentInit();
        var children = (await _parent.ExecuteAsync(init)).All;
        children.Should().HaveCount(2);
        return (init, children);
    }

    // ---- N-1 ----

    [Fact]
    public async Task ExecuteAsync_ParentInit_EmitsAChildInitUnderADerivedSubject()
    {
        var (init, children) = await StartParent();

        var first = children[0];
        first.Type.Should().Be("arvo.orc.child");
        first.To.Should().Be("arvo.orc.child");
        first.RedirectTo.Should().Be("arvo.orc.parent");
        first.ParentId.Should().Be(init.Id);
        first.DataSchema.Should().Be("#/child/1.0.0");
        first.Domain.Should().BeNull();
        first.Data.GetProperty("parentSubject$$").GetString().Should().Be(init.Subject);
        var subject = ArvoOrchestrationSubject.Parse(first.Subject);
        subject.Orchestrator.Name.Should().Be("arvo.orc.child");
        subject.Orchestrator.Version.Should().Be("1.0.0");
        subject.Execution.Initiator.Should().Be("arvo.orc.parent");
        subject.Execution.Domain.Should().Be("root.dom");
        subject.Meta.Should().Equal(new Dictionary<string, string> { ["redirectto"] = "arvo.orc.parent" });
        subject.Execution.Id.Should().NotBe(ArvoOrchestrationSubject.Parse(init.Subject).Execution.Id);
    }

    [Fact]
    public async Task ExecuteAsync_ParentInit_EmitsAnOrphanChildInitInItsOwnDomain()
    {
        var (_, children) = await StartParent();

        var second = children[1];
        second.Domain.Should().Be("ext.dom");
        second.Data.GetProperty("parentSubject$$").ValueKind.Should().Be(JsonValueKind.Null);
        var subject = ArvoOrchestrationSubject.Parse(second.Subject);
        subject.Execution.Domain.Should().Be("ext.dom");
        subject.Execution.Initiator.Should().Be("arvo.orc.parent");
        subject.Meta.Should().Equal(new Dictionary<string, string> { ["redirectto"] = "arvo.orc.parent" });
    }

    // ---- N-2 ----

    [Fact]
    public async Task ExecuteAsync_ChildInit_CompletesUnderTheParentSubject()
    {
        var (init, children) = await StartParent();
        var childInit = children[0];

        var done = (await _child.ExecuteAsync(childInit)).All.Should().ContainSingle().Subject;

        done.Type.Should().Be("arvo.orc.child.done");
        done.Subject.Should().Be(init.Subject);
        done.To.Should().Be("arvo.orc.parent");
        done.ParentId.Should().Be(childInit.Id);
        done.Data.GetRawText().Should().Be("""{"r":6}""");
        done.Domain.Should().BeNull();
        var record = (MachineMemoryStateRecord)(await _memory.ReadRecordAsync(childInit.Subject))!;
        record.ParentSubject.Should().Be(init.Subject);
        record.InitEventId.Should().Be(childInit.Id);
        record.Status.Should().Be("done");
    }

    // ---- N-3 ----

    [Fact]
    public async Task ExecuteAsync_ChildCompletion_CompletesTheParent()
    {
        var (init, children) = await StartParent();
        var childDone = (await _child.ExecuteAsync(children[0])).All.Single();

        var done = (await _parent.ExecuteAsync(childDone)).All.Should().ContainSingle().Subject;

        done.Type.Should().Be("arvo.orc.parent.done");
        done.To.Should().Be(NestedFixture.Client);
        done.Data.GetRawText().Should().Be("""{"r":6}""");
        done.ParentId.Should().Be(init.Id);
        done.Domain.Should().BeNull();
        done.Subject.Should().Be(init.Subject);
    }

    // ---- N-4 ----

    [Fact]
    public async Task ExecuteAsync_OrphanChild_CompletesUnderItsOwnSubjectAndTheParentIgnoresIt()
    {
        var (_, children) = await StartParent();
        var orphanInit = children[1];

        var done = (await _child.ExecuteAsync(orphanInit)).All.Should().ContainSingle().Subject;

        done.Subject.Should().Be(orphanInit.Subject);
        done.To.Should().Be("arvo.orc.parent");
        done.Domain.Should().BeNull();
        (await _parent.ExecuteAsync(done)).All.Should().BeEmpty();
    }

    // ---- N-5 ----

    [Fact]
    public async Task ExecuteAsync_ChildInitWithInvalidParentSubject_ThrowsAndPersistsNothing()
    {
        var fixture = new ReferenceFixture();
        var init = ReferenceFixture.NumberModifierInit("0.0.2", 1, 4, "decrement");
        var write = (await fixture.NumberModifierOrchestrator.ExecuteAsync(init)).All.Single();
        var written = (await fixture.ValueWrite.ExecuteAsync(write)).All.Single();
        var before = JsonSerializer.Serialize(await fixture.Memory.ReadRecordAsync(init.Subject));

        var act = async () => await fixture.NumberModifierOrchestrator.ExecuteAsync(written);

        (await act.Should().ThrowAsync<ExecutionViolation>()).Which.Message.Should().Be(
            "ViolationError<Execution> [Emittable Event Creation] Invalid parentSubject$$ for the event(type='arvo.orc.dec', uri='#/test/orchestrator/decrement/0.0.2'). It must be follow the ArvoOrchestrationSubject schema. The easiest way is to use the current orchestration subject by storing the subject via the context block in the machine definition.");
        JsonSerializer.Serialize(await fixture.Memory.ReadRecordAsync(init.Subject)).Should().Be(before);
    }

    [Fact]
    public async Task ExecuteAsync_InitRepeatedWithoutParent_OverwritesTheStoredParentSubject()
    {
        // orchestrator.md 7 step 9 FLAG: the reference takes parentSubject$$ from every init event, also on an existing record.
        var parent = NestedFixture.ParentInit();
        var machine = OrchestrationTestMachines.Variant(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }));
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(1).Machines(machine).Build();
        var init = OrchestrationTestMachines.Init(parentSubject: parent.Subject);
        await orchestrator.ExecuteAsync(init);
        ((MachineMemoryStateRecord)(await _memory.ReadRecordAsync(init.Subject))!).ParentSubject.Should().Be(parent.Subject);
        var repeated = init.WithData(JsonSerializer.SerializeToElement(new Dictionary<string, object?> { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "increment" })).WithId("repeated-init");

        (await orchestrator.ExecuteAsync(repeated)).All.Should().BeEmpty();

        ((MachineMemoryStateRecord)(await _memory.ReadRecordAsync(init.Subject))!).ParentSubject.Should().BeNull();
    }

    // ---- N-6 ----

    [Fact]
    public async Task ExecuteAsync_FailingChild_ReportsToItsParent()
    {
        var parentSubject = ArvoOrchestrationSubject.New("arvo.orc.parent", "1.0.0", "com.root.caller", "parent.dom");
        var orchestrator = DumbFixture.Orchestrator(_memory, () => new Exception("Child failed"));
        var childInit = DumbFixture.Init(source: "arvo.orc.parent", parentSubject: parentSubject);
        ArvoOrchestrationSubject.Parse(childInit.Subject).Execution.Initiator.Should().Be("arvo.orc.parent");

        var error = (await orchestrator.ExecuteAsync(childInit)).All.Should().ContainSingle().Subject;

        error.Type.Should().Be("sys.arvo.orc.dumb.error");
        error.Subject.Should().Be(parentSubject);
        error.To.Should().Be("arvo.orc.parent");
        error.ParentId.Should().Be(childInit.Id);
        error.Domain.Should().BeNull();
        error.DataSchema.Should().Be("#/dumb/0.0.0");
        error.RedirectTo.Should().BeNull();
        error.ExecutionUnits.Should().Be(1);
        var record = (await _memory.ReadRecordAsync(childInit.Subject)).Should().BeOfType<MachineMemoryFailureRecord>().Subject;
        record.Subject.Should().Be(childInit.Subject);
        (await orchestrator.ExecuteAsync(childInit.WithId("another-child-init"))).All.Should().BeEmpty();
        (await orchestrator.ExecuteAsync(childInit)).All.Should().Equal([error], "a redelivery is answered from the inbox");
    }

    [Fact]
    public async Task ExecuteAsync_FailingChildWithRedirect_StillReportsToTheInitiator()
    {
        // Section 9 FLAG: system errors ignore meta.redirectto (completions honour it).
        var parentSubject = ArvoOrchestrationSubject.New("arvo.orc.parent", "1.0.0", "com.root.caller", "parent.dom");
        var orchestrator = DumbFixture.Orchestrator(_memory, () => new Exception("Child failed"));
        var childInit = new ArvoOrchestratorEventFactory(DumbFixture.Contract.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "arvo.orc.parent", RedirectTo = "com.root.caller" },
            new System.Text.Json.Nodes.JsonObject { ["parentSubject$$"] = parentSubject });
        ArvoOrchestrationSubject.Parse(childInit.Subject).Meta["redirectto"].Should().Be("com.root.caller");

        var error = (await orchestrator.ExecuteAsync(childInit)).All.Single();

        error.To.Should().Be("arvo.orc.parent");
    }
}
