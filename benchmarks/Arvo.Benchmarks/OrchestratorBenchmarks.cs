using Arvo.Memory;
using BenchmarkDotNet.Attributes;

namespace Arvo.Benchmarks;

/// <summary>
/// One <see cref="ArvoOrchestrator.ExecuteAsync"/> of the seed counter machine (docs/counter-machine.md) over a
/// <see cref="SimpleMachineMemory{T}"/>, without an ActivityListener (no locking: the counter machine does not need it).
/// <see cref="Init"/> starts a workflow: subject check, read (no record), machine resolution, input validation, engine
/// start, one emitted event built and validated, record serialized and written. <see cref="Resume"/> is the per-event
/// cost of a running workflow: the same steps with the stored snapshot parsed and the machine resumed to <c>done</c>
/// (one enqueued notification plus the completion event). Each <see cref="Resume"/> invocation first restores the active
/// record (a clear plus a write, measured alone by <see cref="ResetOnly"/>); each <see cref="Init"/> invocation first
/// removes the record.
/// Run: dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*OrchestratorBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class OrchestratorBenchmarks
{
    private readonly SimpleMachineMemory<MachineMemoryRecord> _memory = new();
    private ArvoOrchestrator _orchestrator = null!;
    private ArvoEvent _init = null!;
    private ArvoEvent _success = null!;
    private MachineMemoryRecord _active = null!;
    private ArvoOrchestrator _noStore = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _orchestrator = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(1).Machines(CounterWorkflow.CreateMachine()).Build();
        _init = CounterWorkflow.Init();
        _success = CounterWorkflow.IncrementSuccess(_init.Subject);
        await _orchestrator.ExecuteAsync(_init);
        _active = (await _memory.ReadRecordAsync(_init.Subject))!;
        _noStore = ArvoOrchestrator.CreateBuilder().Memory(new FixedRecordMemory(_active)).ExecutionUnits(1).Machines(CounterWorkflow.CreateMachine()).Build();
    }

    /// <summary>Start a workflow (the record is removed first).</summary>
    /// <returns>The number of emitted events (1).</returns>
    [Benchmark]
    public async ValueTask<int> Init()
    {
        _memory.Clear(_init.Subject);
        return (await _orchestrator.ExecuteAsync(_init)).All.Count;
    }

    /// <summary>Resume the active workflow with the increment success and finish it (the active record is restored first).</summary>
    /// <returns>The number of emitted events (2).</returns>
    [Benchmark(Baseline = true)]
    public async ValueTask<int> Resume()
    {
        _memory.Clear(_init.Subject);
        await WriteActiveAsync();
        return (await _orchestrator.ExecuteAsync(_success)).All.Count;
    }

    /// <summary>
    /// <see cref="Resume"/> over a memory that hands out the active record without copying and discards writes: the
    /// orchestrator's own cost (pipeline, machine, event building, record creation) without JSON storage.
    /// </summary>
    /// <returns>The number of emitted events (2).</returns>
    [Benchmark]
    public async ValueTask<int> ResumeWithoutStorage() => (await _noStore.ExecuteAsync(_success)).All.Count;

    /// <summary>Only the restore step of <see cref="Resume"/>: subtract it to get the orchestrator's own cost.</summary>
    /// <returns>A completed task.</returns>
    [Benchmark]
    public ValueTask ResetOnly()
    {
        _memory.Clear(_init.Subject);
        return WriteActiveAsync();
    }

    private async ValueTask WriteActiveAsync() =>
        await _memory.WriteAsync(_init.Subject, new MachineMemoryWrite<MachineMemoryRecord> { Record = _active });

    /// <summary>Reads always return one record instance; writes are discarded; locks always succeed.</summary>
    private sealed class FixedRecordMemory(MachineMemoryRecord record) : IMachineMemory<MachineMemoryRecord>
    {
        private readonly MachineMemoryEntry<MachineMemoryRecord> _entry = new(record, 1, MachineMemoryInbox.Empty);

        public ValueTask<MachineMemoryEntry<MachineMemoryRecord>?> ReadAsync(string id, CancellationToken cancellationToken = default) => new(_entry);

        public ValueTask<long> WriteAsync(string id, MachineMemoryWrite<MachineMemoryRecord> write, CancellationToken cancellationToken = default) => new(2L);

        public ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default) =>
            new(Array.Empty<MachineMemoryOutboxEntry>());

        public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) => new(0);

        public ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default) => new(true);

        public ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default) => new(true);
    }
}
