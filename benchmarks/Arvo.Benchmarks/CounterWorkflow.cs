using Arvo.Factories;
using Arvo.Samples.Counter;

namespace Arvo.Benchmarks;

/// <summary>
/// The events the BenchmarkDotNet suites feed to the counter system of <c>samples/Counter</c> (the same contracts,
/// machine and resumable the throughput runner and the sample use), shared by <see cref="MachineBenchmarks"/>,
/// <see cref="OrchestratorBenchmarks"/> and <see cref="ResumableBenchmarks"/>.
/// </summary>
public static class CounterWorkflow
{
    private static readonly ArvoEventFactory IncrementFactory = new(CounterContracts.Increment.Version(CounterContracts.Version));

    /// <summary>Builds the counter machine.</summary>
    /// <returns>The machine.</returns>
    public static ArvoMachine<CounterContext> CreateMachine() => CounterMachine.Create();

    /// <summary>An init event <c>{delta: 1, type: "increment"}</c> with a new subject.</summary>
    /// <returns>The event.</returns>
    public static ArvoEvent Init() => CounterWorkflows.CreateInit("increment", 1);

    /// <summary>The increment service's answer <c>{newValue: 10}</c> on <paramref name="subject"/>.</summary>
    /// <param name="subject">The workflow subject.</param>
    /// <returns>The event.</returns>
    public static ArvoEvent IncrementSuccess(string subject) =>
        IncrementFactory.Emits(
            new ArvoEventEnvelope { Source = CounterContracts.IncrementType, Subject = subject, To = CounterContracts.OrchestratorType },
            CounterContracts.IncrementSuccessType,
            new { newValue = 10 });
}
