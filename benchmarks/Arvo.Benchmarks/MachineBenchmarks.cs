using Arvo.Machines;
using BenchmarkDotNet.Attributes;

namespace Arvo.Benchmarks;

/// <summary>
/// One execution of the seed counter machine (docs/counter-machine.md) through <see cref="MachineExecutionEngine"/>,
/// without an ActivityListener. <see cref="ResumeFromSnapshot"/> is the per-event cost of a running workflow: parse
/// the stored snapshot JSON, build the per-execution Stateless machine from the cached configuration, deliver
/// <c>evt.number.increment.success</c>, settle (<c>notification</c> → <c>done</c>, one enqueued event validated against
/// its contract, output computed) and serialize the new snapshot. <see cref="Start"/> runs the init event (context
/// factory, <c>route</c> guards, one emitted event validated) for comparison.
/// Run: dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*MachineBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class MachineBenchmarks
{
    private ArvoMachine<Arvo.Samples.Counter.CounterContext> _machine = null!;
    private ArvoEvent _init = null!;
    private ArvoEvent _success = null!;
    private string _snapshot = null!;

    [GlobalSetup]
    public void Setup()
    {
        _machine = CounterWorkflow.CreateMachine();
        _init = CounterWorkflow.Init();
        _success = CounterWorkflow.IncrementSuccess(_init.Subject);
        _snapshot = MachineExecutionEngine.Instance.Execute(_machine, null, _init).Snapshot.ToJson();
    }

    /// <summary>Restore the stored snapshot, deliver the success event, settle to <c>done</c>, serialize the new snapshot.</summary>
    /// <returns>The new snapshot JSON.</returns>
    [Benchmark(Baseline = true)]
    public string ResumeFromSnapshot()
    {
        var result = MachineExecutionEngine.Instance.Execute(_machine, ArvoMachineSnapshot.Parse(_snapshot), _success);
        return result.Snapshot.ToJson();
    }

    /// <summary>Start from the init event and serialize the first snapshot.</summary>
    /// <returns>The new snapshot JSON.</returns>
    [Benchmark]
    public string Start() => MachineExecutionEngine.Instance.Execute(_machine, null, _init).Snapshot.ToJson();
}
