using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Samples.Tests.TestSupport;

/// <summary>The counter workflows of <c>vectors/events.json</c>, as lists of wire strings in sequence order.</summary>
internal static class CounterVectors
{
    private static readonly Lazy<JsonNode> Events = new(() => SpecVectors.Load("events.json"));

    /// <summary>The names of the workflows whose init event completes with <c>arvo.orc.counter.done</c>.</summary>
    public static TheoryData<string> CompletingWorkflows => new() { "counter_workflow", "counter_workflow_decrement", "handler_error_workflow" };

    /// <summary>The wire strings of one workflow (<c>counter_workflow</c>, <c>counter_workflow_decrement</c>, <c>handler_error_workflow</c>, <c>orchestrator_error</c>).</summary>
    public static IReadOnlyList<string> Wires(string workflow)
    {
        var node = Events.Value[workflow] ?? throw new KeyNotFoundException($"events.json has no '{workflow}'.");
        var events = node is JsonArray array ? array : node["events"]!.AsArray();
        return [.. events.Select(e => e!["wire"]!.GetValue<string>())];
    }

    /// <summary>One event of a workflow, parsed.</summary>
    public static ArvoEvent Event(string workflow, int index) => ArvoEventJson.Parse(Wires(workflow)[index]);

    /// <summary>The event of <paramref name="workflow"/> whose type is <paramref name="type"/>.</summary>
    public static ArvoEvent EventOfType(string workflow, string type) =>
        Wires(workflow).Select(ArvoEventJson.Parse).Single(e => e.Type == type);

    /// <summary>The wire strings of <c>handler_error_standalone</c> (command, system error).</summary>
    public static IReadOnlyList<string> StandaloneHandlerError() => Wires("handler_error_standalone");
}
