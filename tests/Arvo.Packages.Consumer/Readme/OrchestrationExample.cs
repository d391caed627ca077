using Arvo.Handlers;

namespace Arvo.Packages.Consumer.Readme;

/// <summary>src/Arvo.Orchestration/README.md's example: the region between the markers is the README's code block.</summary>
internal static class OrchestrationExample
{
    public static async Task<ArvoEvent?> RunAsync(ArvoContract increment, ArvoEvent command)
    {
        // README:Arvo.Orchestration:start
        // A handler: one function per version of its contract (`increment` and `command` as in Arvo.Core's example).
        var handler = ArvoEventHandler.CreateBuilder(increment)
            .ExecutionUnits(1)
            .Version("1.0.0", context => ArvoHandlerOutput.Emit(
                "evt.demo.increment.success", new { value = context.Data.GetProperty("delta").GetDouble() }))
            .Build();

        // The broker delivers each event to the handler whose source is the event's `to`, until the system is idle.
        var broker = SimpleEventBroker.Create([handler]);
        ArvoEvent? answer = await broker.ResolveAsync(command); // evt.demo.increment.success {"value":2}
        // README:Arvo.Orchestration:end
        return answer;
    }
}
