using Arvo.Broker;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Samples.Counter;

namespace Arvo.Samples.Tests.Counter;

/// <summary>The counter workflow as a resumable reaches the same completions, with the same events, as the machine.</summary>
public sealed class CounterResumableTests
{
    private static async Task<(ArvoEvent? Answer, string[] Trace, List<Exception> Errors)> RunAsync(IArvoEventHandler workflow, string type, double delta)
    {
        var errors = new List<Exception>();
        var broker = SimpleEventBroker.Create(
            [workflow, .. CounterHandlers.CreateAll()],
            new SimpleEventBrokerOptions { RecordCapacity = 100, OnError = (error, _) => errors.Add(error) });
        var answer = await broker.ResolveAsync(CounterWorkflows.CreateInit(type, delta));
        return (answer, [.. broker.RecordedEvents.Select(e => $"{e.Type} {e.Source}->{e.To} {(e.Type.StartsWith("sys.", StringComparison.Ordinal) ? e.Data.GetProperty("errorMessage").GetString() : e.Data.GetRawText())}")], errors);
    }

    [Theory]
    [InlineData("increment", 5, 5)]
    [InlineData("decrement", 3, -3)]
    [InlineData("increment", 1e300, 0)]
    public async Task ResolveAsync_SameInit_ResumableAndMachineCompleteAlike(string type, double delta, double final)
    {
        var machine = await RunAsync(CounterOrchestrator.Create(new SimpleMachineMemory<MachineMemoryRecord>()), type, delta);
        var resumable = await RunAsync(CounterResumable.Create(new SimpleMachineMemory<ArvoResumableState>()), type, delta);

        resumable.Answer!.Type.Should().Be("arvo.orc.counter.done");
        CounterWorkflows.GetFinal(resumable.Answer).Should().Be(final);
        CounterWorkflows.GetFinal(machine.Answer!).Should().Be(final);
        resumable.Trace.Should().Equal(machine.Trace);
        resumable.Errors.Should().BeEmpty();
        machine.Errors.Should().BeEmpty();
    }
}
