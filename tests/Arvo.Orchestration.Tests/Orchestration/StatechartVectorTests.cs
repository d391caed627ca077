using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// Replays every run of <c>statecharts.json</c> (spec/statecharts.md, recorded from the reference orchestrator on
/// XState 5.24) through a real <see cref="ArvoOrchestrator"/> over <see cref="SimpleMachineMemory{T}"/>, with the
/// machines ported in <see cref="StatechartVectorMachines"/>: per step, the returned events (type, to, data, source,
/// dataschema, subject, parentid, redirectto, executionunits, domain, in order) and the stored record (execution
/// status, status, XState state value, context, output).
/// </summary>
public sealed class StatechartVectorTests
{
    private const string Initiator = "com.test.service";

    private static readonly JsonElement Vectors = JsonDocument.Parse(SpecVectors.ReadText("statecharts.json")).RootElement;

    public static TheoryData<string, string> Runs
    {
        get
        {
            var runs = new TheoryData<string, string>();
            foreach (var scenario in Scenarios())
            {
                foreach (var run in scenario.GetProperty("runs").EnumerateArray())
                {
                    runs.Add(scenario.GetProperty("key").GetString()!, run.GetProperty("key").GetString()!);
                }
            }

            return runs;
        }
    }

    [Fact]
    public void Vectors_EveryScenario_HasAPort()
    {
        Scenarios().Select(s => s.GetProperty("key").GetString()).Should().BeEquivalentTo(StatechartVectorMachines.Keys);
    }

    [Theory]
    [MemberData(nameof(Scenario))]
    public void Create_Port_RequiresResourceLockingAsTheReference(string key)
    {
        var scenario = Scenarios().Single(s => s.GetProperty("key").GetString() == key);

        StatechartVectorMachines.Create(key).RequiresResourceLocking.Should().Be(scenario.GetProperty("requires_resource_locking").GetBoolean());
    }

    public static TheoryData<string> Scenario => new(StatechartVectorMachines.Keys);

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task ExecuteAsync_ReferenceRun_EmitsAndStoresWhatTheReferenceDid(string key, string runKey)
    {
        var scenario = Scenarios().Single(s => s.GetProperty("key").GetString() == key);
        var run = scenario.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("key").GetString() == runKey);
        var self = StatechartVectorMachines.Self(key);
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(StatechartVectorMachines.Create(key)).Build();
        string? subject = null;
        string? initId = null;

        foreach (var step in run.GetProperty("steps").EnumerateArray())
        {
            var where = $"{key}/{runKey} step {step.GetProperty("step").GetInt32()}";
            var input = step.GetProperty("input");
            var consumed = subject is null
                ? new ArvoOrchestratorEventFactory(self).Init(new ArvoEventEnvelope { Source = Initiator }, input.GetProperty("data").Clone())
                : ArvoEvent.Create(new ArvoEventInit
                {
                    Type = input.GetProperty("type").GetString()!,
                    Source = input.GetProperty("source").GetString()!,
                    DataSchema = input.GetProperty("dataschema").GetString(),
                    Data = input.GetProperty("data").Clone(),
                    Subject = subject,
                    To = self.Accepts.Type,
                });
            subject ??= consumed.Subject;
            initId ??= consumed.Id;
            consumed.DataSchema.Should().Be(input.GetProperty("dataschema").GetString(), where);

            var result = await orchestrator.ExecuteAsync(consumed);

            var expected = step.GetProperty("emitted").EnumerateArray().ToArray();
            result.All.Select(e => e.Type).Should().Equal(expected.Select(e => e.GetProperty("type").GetString()), where);
            for (var i = 0; i < expected.Length; i++)
            {
                AssertEvent(result.All[i], expected[i], subject, consumed.Id, initId, $"{where}, event {i}");
            }

            var record = (await memory.ReadRecordAsync(subject)).Should().BeOfType<MachineMemoryStateRecord>(where).Subject;
            AssertRecord(record, step.GetProperty("after"), where);
        }
    }

    // ---- rejections[]: the machine definitions the reference rejects (or accepts), where C# can express them ----
    // Not expressible, so nothing to reject: setup_actors, setup_delays, invoke_in_nested_state,
    // after_in_parallel_region (the builders have no actors, delays, invoke or after) and history_state (no history states).

    [Fact]
    public void CreateMachine_VersionMismatch_IsRejectedWithTheReferenceMessageInCSharpWords()
    {
        var act = () => RejectionSetup().CreateMachine("rejected", m => m
            .Version("0.0.2")
            .Context(input => input.Data)
            .Initial("outer")
            .State("outer", s => s.Initial("inner").State("inner"))
            .Final("done"));

        // Issue 16 item 10: the reference's text, but "undefined" is not a C# word (configuration messages are not on the wire).
        var reference = Rejection("version_mismatch").GetProperty("message").GetString()!;
        reference.Should().Contain("or undefined");
        act.Should().Throw<ConfigViolation>().Which.Message.Should().Be(reference.Replace("or undefined", "or not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Action_NamedEnqueueArvoEvent_IsRejectedAsAConfigViolation()
    {
        var act = () => RejectionSetup().Action("enqueueArvoEvent", a => a.Assign(ctx => ctx));

        act.Should().Throw<ConfigViolation>().Which.Message.Should().StartWith("ViolationError<Config> Configuration Error: Reserved action name 'enqueueArvoEvent'");
        Rejection("setup_action_named_enqueueArvoEvent").GetProperty("arvo_violation").GetString().Should().Be("Config");
    }

    // The reference rejects the key enqueueArvoEvent anywhere in the states tree; here the only such key is a state name.
    [Fact]
    public void CreateMachine_StateNamedEnqueueArvoEvent_IsRejectedAsAConfigViolation()
    {
        var act = () => RejectionSetup().CreateMachine("rejected", m => m
            .Context(input => input.Data)
            .Initial("outer")
            .State("outer", s => s.Initial("enqueueArvoEvent").State("enqueueArvoEvent"))
            .Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Message.Should().StartWith("ViolationError<Config> Configuration Error: Reserved action name 'enqueueArvoEvent'");
        Rejection("enqueueArvoEvent_as_key").GetProperty("arvo_violation").GetString().Should().Be("Config");
    }

    // The reference lets XState throw a plain Error; here an unknown target is a ConfigViolation like every build check.
    [Fact]
    public void CreateMachine_TargetToMissingState_IsRejectedAsAConfigViolation()
    {
        var act = () => RejectionSetup().CreateMachine("rejected", m => m
            .Context(input => input.Data)
            .Initial("outer")
            .State("outer", s => s.Initial("inner").State("inner", i => i.On("evt.step.a.success", "nowhere")))
            .Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().StartWith("Configuration Error: unknown target state 'nowhere' in machine 'rejected' (version '0.0.1'), state 'inner'");
        Rejection("target_to_missing_state").GetProperty("arvo_violation").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void CreateMachine_EnqueueArvoEventAction_IsAccepted()
    {
        var machine = RejectionSetup().CreateMachine("rejected", m => m
            .Context(input => input.Data)
            .Initial("outer")
            .State("outer", s => s
                .Initial("inner")
                .State("inner", i => i.Entry(a => a.EnqueueArvoEvent(ArvoMachineEmit.Create(StatechartVectorMachines.Trace, new { step = "x" })))))
            .Final("done"));

        var reference = Vectors.GetProperty("rejections").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "enqueueArvoEvent_as_action_type_value");
        reference.GetProperty("accepted").GetBoolean().Should().BeTrue();
        machine.RequiresResourceLocking.Should().Be(reference.GetProperty("requires_resource_locking").GetBoolean());
    }

    // The reference rejects a state merely named 'after' (its key scan does not know what a key means); a C# state
    // name cannot be mistaken for a delayed transition, so the same machine is accepted here.
    [Fact]
    public void CreateMachine_StateNamedAfter_IsAccepted()
    {
        var machine = RejectionSetup().CreateMachine("rejected", m => m
            .Context(input => input.Data)
            .Initial("outer")
            .State("outer", s => s.Initial("inner").State("inner", i => i.On("evt.step.a.success", "after")).Final("after"))
            .Final("done"));

        Rejection("state_named_after").GetProperty("message").GetString().Should().StartWith("ViolationError<Config> Configuration Error: 'after' not supported");
        machine.Id.Should().Be("rejected");
    }

    private static ArvoMachineSetup<JsonElement> RejectionSetup() =>
        ArvoMachine.Setup<JsonElement>(ArvoContract.CreateOrchestrator("#/statecharts/machine/sc/rejected", "sc.rejected", c => c
                .Version("0.0.1", v => v
                    .Init("""{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}""")
                    .Complete("""{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}"""))).Version("0.0.1"))
            .Service("a", StatechartVectorMachines.StepA.Version("0.0.1"))
            .Service("b", StatechartVectorMachines.StepB.Version("0.0.1"))
            .Service("trace", StatechartVectorMachines.TraceContract.Version("0.0.1"));

    private static JsonElement Rejection(string key)
    {
        var entry = Vectors.GetProperty("rejections").EnumerateArray().Single(r => r.GetProperty("key").GetString() == key);
        entry.GetProperty("accepted").GetBoolean().Should().BeFalse(key);
        return entry.GetProperty("rejection");
    }

    private static IEnumerable<JsonElement> Scenarios() =>
        Vectors.GetProperty("scenarios").EnumerateObject().SelectMany(group => group.Value.EnumerateArray());

    private static void AssertEvent(ArvoEvent actual, JsonElement expected, string subject, string consumedId, string initId, string where)
    {
        actual.To.Should().Be(expected.GetProperty("to").GetString(), where);
        actual.Source.Should().Be(expected.GetProperty("source").GetString(), where);
        actual.DataSchema.Should().Be(expected.GetProperty("dataschema").GetString(), where);
        actual.RedirectTo.Should().Be(expected.GetProperty("redirectto").GetString(), where);
        actual.ExecutionUnits.Should().Be(expected.GetProperty("executionunits").GetDouble(), where);
        actual.Domain.Should().Be(expected.GetProperty("domain").GetString(), where);
        actual.Subject.Should().Be(expected.GetProperty("subject").GetString() == "<workflow subject>" ? subject : expected.GetProperty("subject").GetString(), where);
        actual.ParentId.Should().Be(expected.GetProperty("parentid").GetString() switch
        {
            "<consumed event id>" => consumedId,
            "<init event id>" => initId,
            var other => other,
        }, where);
        AssertJson(actual.Data, expected.GetProperty("data"), $"{where} data");
    }

    private static void AssertRecord(MachineMemoryStateRecord record, JsonElement after, string where)
    {
        after.GetProperty("execution_status").GetString().Should().Be("normal", where);
        record.Status.Should().Be(after.GetProperty("status").GetString(), where);
        AssertJson(record.Value!.Value, after.GetProperty("value"), $"{where} value");
        AssertJson(record.State.GetProperty("value"), after.GetProperty("value"), $"{where} state.value");
        AssertJson(record.State.GetProperty("context"), after.GetProperty("context"), $"{where} context");
        if (after.TryGetProperty("output", out var output))
        {
            AssertJson(record.State.GetProperty("output"), output, $"{where} output");
        }
        else
        {
            record.State.TryGetProperty("output", out _).Should().BeFalse(where);
        }
    }

    /// <summary>Structurally equal JSON (property order and number spelling do not matter).</summary>
    private static void AssertJson(JsonElement actual, JsonElement expected, string where) =>
        JsonNode.DeepEquals(JsonNode.Parse(actual.GetRawText()), JsonNode.Parse(expected.GetRawText()))
            .Should().BeTrue($"{where}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
}
