using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// Replays the reference's workflows of <c>memory-records.json</c> (the consumed events are taken from the vectors) and
/// compares what this orchestrator stores after every step with what the reference stored: every field that is not
/// random (generated ids and times) and not engine-specific (the XState snapshot keeps <c>historyValue</c>,
/// <c>children</c> and an empty <c>arvo$$</c> in the context; the port's snapshot layout differs, orchestrator.md 3), plus
/// the memory calls made in each step.
/// </summary>
public sealed class MemoryRecordVectorTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(SpecVectors.ReadText("memory-records.json")).RootElement;

    private readonly SpyMachineMemory _memory = new();

    private ArvoOrchestrator Orchestrator(bool faulty = false) => ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(1).Machines(VectorCounterMachine.Create(faulty)).Build();

    public static TheoryData<string> Paths => new() { "happy_path", "handler_error_path" };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task ExecuteAsync_ReferenceWorkflow_StoresTheReferenceRecords(string path)
    {
        var orchestrator = Orchestrator();
        foreach (var step in Vectors.GetProperty(path).GetProperty("steps").EnumerateArray())
        {
            var expected = step.GetProperty("record_after_step");
            var consumed = ArvoEventJson.Parse(expected.GetProperty("events").GetProperty("consumed"));
            var callsBefore = _memory.Calls.Count;

            var result = await orchestrator.ExecuteAsync(consumed);

            var actual = JsonSerializer.SerializeToElement(await _memory.Inner.ReadRecordAsync(consumed.Subject));
            AssertRecord(actual, expected, $"{path} step {step.GetProperty("step").GetInt32()}");
            actual.GetProperty("events").GetProperty("produced").GetArrayLength().Should().Be(result.All.Count);
            _memory.Calls.Skip(callsBefore).Select(c => (c.Op, c.Detail)).Should().Equal(
                step.GetProperty("memory_ops").EnumerateArray().Select(op => op.GetProperty("op").GetString() == "read"
                    ? ("read", op.GetProperty("found").GetBoolean())
                    : ("write", op.GetProperty("had_previous_record_argument").GetBoolean())));
        }
    }

    [Fact]
    public async Task ExecuteAsync_ReferenceOrchestratorError_StoresTheFailureRecordAndIgnoresTheRedeliveredInit()
    {
        var vector = Vectors.GetProperty("orchestrator_error_path");
        var expected = vector.GetProperty("record_after_failure");
        var events = JsonDocument.Parse(SpecVectors.ReadText("events.json")).RootElement.GetProperty("orchestrator_error");
        var init = ArvoEventJson.Parse(events.GetProperty("events")[0].GetProperty("json"));
        var expectedError = events.GetProperty("events")[1].GetProperty("json");
        var orchestrator = Orchestrator(faulty: true);

        var first = await orchestrator.ExecuteAsync(init);
        // The reference re-executes a redelivered event; here the same id is answered from the inbox, so the
        // reference's "delivered again" case is an init under a new id.
        var again = await orchestrator.ExecuteAsync(init.WithId("delivered-again"));

        var error = first.All.Should().ContainSingle().Subject;
        var json = JsonNode.Parse(error.ToJson())!.AsObject();
        var reference = JsonNode.Parse(expectedError.GetRawText())!.AsObject();
        foreach (var key in new[] { "id", "time" })
        {
            json.Remove(key);
            reference.Remove(key);
        }

        // errorName/errorStack name the exception type (InvalidOperationException vs the reference's Error).
        json["data"]!.AsObject().Remove("errorName");
        json["data"]!.AsObject().Remove("errorStack");
        reference["data"]!.AsObject().Remove("errorName");
        reference["data"]!.AsObject().Remove("errorStack");
        JsonNode.DeepEquals(json, reference).Should().BeTrue($"{json.ToJsonString()}\n{reference.ToJsonString()}");
        again.All.Should().HaveCount(events.GetProperty("events_emitted_when_the_init_is_delivered_again").GetInt32());

        var stored = JsonSerializer.SerializeToElement(await _memory.Inner.ReadRecordAsync(init.Subject));
        stored.GetProperty("executionStatus").GetString().Should().Be(expected.GetProperty("executionStatus").GetString());
        stored.GetProperty("subject").GetString().Should().Be(expected.GetProperty("subject").GetString());
        stored.GetProperty("error").GetProperty("message").GetString().Should().Be(expected.GetProperty("error").GetProperty("message").GetString());
        stored.GetProperty("error").GetProperty("name").GetString().Should().Be("InvalidOperationException");
        stored.GetProperty("error").GetProperty("stack").GetString().Should().Contain(expected.GetProperty("error").GetProperty("message").GetString());
        _memory.Calls.Select(c => (c.Op, c.Detail)).Should().Equal(
            vector.GetProperty("memory_ops").EnumerateArray().Select(op => op.GetProperty("op").GetString() == "read"
                ? ("read", op.GetProperty("found").GetBoolean())
                : ("write", op.GetProperty("had_previous_record_argument").GetBoolean())));
        (await orchestrator.ExecuteAsync(init)).All.Should().Equal(first.All, "the same id redelivered is answered from the inbox");
    }

    private static void AssertRecord(JsonElement actual, JsonElement expected, string because)
    {
        foreach (var key in new[] { "executionStatus", "initEventId", "subject", "parentSubject", "status", "value" })
        {
            JsonElement.DeepEquals(actual.GetProperty(key), expected.GetProperty(key)).Should().BeTrue($"{because}: {key}");
        }

        // Snapshot: status, value and output as stored by the reference; the context without XState's empty arvo$$.
        var state = actual.GetProperty("state");
        var expectedState = expected.GetProperty("state");
        state.GetProperty("status").GetString().Should().Be(expectedState.GetProperty("status").GetString(), because);
        state.GetProperty("value").GetString().Should().Be(expectedState.GetProperty("value").GetString(), because);
        if (expectedState.TryGetProperty("output", out var output))
        {
            JsonElement.DeepEquals(state.GetProperty("output"), output).Should().BeTrue($"{because}: output");
        }

        var context = JsonNode.Parse(expectedState.GetProperty("context").GetRawText())!.AsObject();
        context.Remove("arvo$$");
        JsonNode.DeepEquals(JsonNode.Parse(state.GetProperty("context").GetRawText()), context)
            .Should().BeTrue($"{because}: context {state.GetProperty("context").GetRawText()}");

        // Events: the consumed event exactly; the produced events except their generated id and time.
        var events = actual.GetProperty("events");
        var expectedEvents = expected.GetProperty("events");
        JsonElement.DeepEquals(events.GetProperty("consumed"), expectedEvents.GetProperty("consumed")).Should().BeTrue($"{because}: consumed");
        var produced = events.GetProperty("produced").EnumerateArray().ToList();
        var expectedProduced = expectedEvents.GetProperty("produced").EnumerateArray().ToList();
        produced.Should().HaveSameCount(expectedProduced, because);
        for (var i = 0; i < produced.Count; i++)
        {
            var left = JsonNode.Parse(produced[i].GetRawText())!.AsObject();
            var right = JsonNode.Parse(expectedProduced[i].GetRawText())!.AsObject();
            foreach (var key in new[] { "id", "time" })
            {
                left.Remove(key);
                right.Remove(key);
            }

            JsonNode.DeepEquals(left, right).Should().BeTrue($"{because}: produced[{i}]\n{left.ToJsonString()}\n{right.ToJsonString()}");
        }

        // The machine definition: the port's JSON (ArvoMachine.Definition) describes the shape of the XState config the
        // reference stored: the same states, types and transitions (event, target, guard, named actions).
        var definition = actual.GetProperty("machineDefinition").GetString()!;
        definition.Should().Be(VectorCounterMachine.Create().Definition, because);
        Shape(definition).Should().Equal(Shape(expected.GetProperty("machineDefinition").GetString()!), because);
    }

    /// <summary>One line per state and per transition of a machine definition (the port's or an XState config).</summary>
    private static List<string> Shape(string definition)
    {
        var root = JsonDocument.Parse(definition).RootElement;
        var lines = new List<string> { $"{root.GetProperty("id").GetString()} initial {root.GetProperty("initial").GetString()}" };
        foreach (var state in root.GetProperty("states").EnumerateObject())
        {
            lines.Add($"{state.Name} {(state.Value.TryGetProperty("type", out var type) ? type.GetString() : "atomic")}");
            if (state.Value.TryGetProperty("on", out var on))
            {
                foreach (var trigger in on.EnumerateObject())
                {
                    lines.AddRange(Alternatives(trigger.Value).Select(t => $"{state.Name} on {trigger.Name} {Transition(t)}"));
                }
            }

            if (state.Value.TryGetProperty("always", out var always))
            {
                lines.AddRange(Alternatives(always).Select(t => $"{state.Name} always {Transition(t)}"));
            }
        }

        return lines;
    }

    // XState accepts one transition object or an array of them; the port always writes an array.
    private static List<JsonElement> Alternatives(JsonElement value) => value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [value];

    private static string Transition(JsonElement transition)
    {
        var target = transition.TryGetProperty("target", out var t) ? t.GetString() : "(internal)";
        var guard = transition.TryGetProperty("guard", out var g) ? g.GetString() : "-";
        var actions = transition.TryGetProperty("actions", out var a) ? string.Join(",", a.EnumerateArray().Select(x => x.GetProperty("type").GetString())) : string.Empty;
        return $"-> {target} [{guard}] {actions}";
    }
}
