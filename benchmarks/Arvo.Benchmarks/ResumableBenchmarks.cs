using Arvo.Memory;
using Arvo.Resumable;
using BenchmarkDotNet.Attributes;

namespace Arvo.Benchmarks;

/// <summary>
/// One execution of the counter workflow (<see cref="CounterWorkflow"/>) as an <see cref="ArvoResumable"/> next to the
/// same execution as an <see cref="ArvoOrchestrator"/> machine, both over a <see cref="SimpleMachineMemory{T}"/>, no
/// locking, no ActivityListener. <c>*Init</c> starts a workflow (the record is removed first; one service event);
/// <c>*Resume</c> finishes it with the increment success (the active record is restored first; notification plus
/// completion). Both share the pipeline; the difference is the core (engine + snapshot vs. handler call + context JSON)
/// and the record shape.
/// Run: dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*ResumableBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class ResumableBenchmarks
{
    private readonly SimpleMachineMemory<MachineMemoryRecord> _machineMemory = new();
    private readonly SimpleMachineMemory<ArvoResumableState> _resumableMemory = new();
    private ArvoOrchestrator _orchestrator = null!;
    private ArvoResumable _resumable = null!;
    private ArvoEvent _init = null!;
    private ArvoEvent _success = null!;
    private MachineMemoryRecord _machineActive = null!;
    private ArvoResumableState _resumableActive = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _orchestrator = ArvoOrchestrator.CreateBuilder().Memory(_machineMemory).ExecutionUnits(1).Machines(CounterWorkflow.CreateMachine()).Build();
        _resumable = Arvo.Samples.Counter.CounterResumable.Create(_resumableMemory, requiresResourceLocking: false);
        _init = CounterWorkflow.Init();
        _success = CounterWorkflow.IncrementSuccess(_init.Subject);
        await _orchestrator.ExecuteAsync(_init);
        await _resumable.ExecuteAsync(_init);
        _machineActive = (await _machineMemory.ReadRecordAsync(_init.Subject))!;
        _resumableActive = (await _resumableMemory.ReadRecordAsync(_init.Subject))!;
    }

    /// <summary>Start the workflow as a machine.</summary>
    /// <returns>The number of emitted events (1).</returns>
    [Benchmark]
    public async ValueTask<int> MachineInit()
    {
        _machineMemory.Clear(_init.Subject);
        return (await _orchestrator.ExecuteAsync(_init)).All.Count;
    }

    /// <summary>Start the workflow as a resumable.</summary>
    /// <returns>The number of emitted events (1).</returns>
    [Benchmark]
    public async ValueTask<int> ResumableInit()
    {
        _resumableMemory.Clear(_init.Subject);
        return (await _resumable.ExecuteAsync(_init)).All.Count;
    }

    /// <summary>Finish the active workflow as a machine.</summary>
    /// <returns>The number of emitted events (2).</returns>
    [Benchmark(Baseline = true)]
    public async ValueTask<int> MachineResume()
    {
        _machineMemory.Clear(_init.Subject);
        await _machineMemory.WriteAsync(_init.Subject, new MachineMemoryWrite<MachineMemoryRecord> { Record = _machineActive });
        return (await _orchestrator.ExecuteAsync(_success)).All.Count;
    }

    /// <summary>Finish the active workflow as a resumable.</summary>
    /// <returns>The number of emitted events (2).</returns>
    [Benchmark]
    public async ValueTask<int> ResumableResume()
    {
        _resumableMemory.Clear(_init.Subject);
        await _resumableMemory.WriteAsync(_init.Subject, new MachineMemoryWrite<ArvoResumableState> { Record = _resumableActive });
        return (await _resumable.ExecuteAsync(_success)).All.Count;
    }
}
