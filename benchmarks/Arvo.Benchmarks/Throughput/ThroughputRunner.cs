using System.Diagnostics;
using Arvo.Memory;
using Arvo.Samples.Counter;

namespace Arvo.Benchmarks.Throughput;

/// <summary>
/// Runs counter workflows in-process (the counter system of samples/Counter, <see cref="CounterRouter"/>, no broker
/// timers, no ActivityListener) over the store <see cref="ThroughputOptions.Memory"/> names, and measures them: a
/// throughput phase with <see cref="ThroughputOptions.Concurrency"/> workflows in flight; for a durable store, the raw
/// baseline (<see cref="IRawBaseline"/>: the same storage round trips in plain SQL, same concurrency); then a separate
/// sequential loop that times each orchestrator execution on its own.
/// </summary>
public static class ThroughputRunner
{
    /// <summary>Runs warm-up, the measured phase, the raw baseline (durable stores) and the latency loop.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The measurements.</returns>
    public static async ValueTask<ThroughputReport> RunAsync(ThroughputOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var backend = await ThroughputBackend.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        await using var backendDisposal = backend.ConfigureAwait(false);
        var memory = backend.Memory;
        var orchestrator = CounterOrchestrator.Create(memory);
        var router = new CounterRouter([orchestrator, .. CounterHandlers.CreateAll()]);

        // What one workflow does at the storage level, recorded from a real workflow through the same store (the raw
        // loop replays exactly these calls with exactly this JSON).
        StorageTrace? trace = null;
        if (backend.Raw is not null)
        {
            var recorder = new StorageTrace.Recorder<MachineMemoryRecord>(memory);
            var probe = new CounterRouter([CounterOrchestrator.Create(recorder), .. CounterHandlers.CreateAll()]);
            await probe.RunAsync(CreateInits(1)[0], null, cancellationToken).ConfigureAwait(false);
            trace = recorder.Trace;
        }

        var warmup = options.EffectiveWarmup;
        if (warmup > 0)
        {
            var warmupStart = Stopwatch.GetTimestamp();
            do
            {
                await RunWorkflowsAsync(router, CreateInits(warmup), options.Concurrency, cancellationToken).ConfigureAwait(false);
            }
            while (Stopwatch.GetElapsedTime(warmupStart) < options.WarmupTime);
        }

        var inits = CreateInits(options.Workflows);
        StartPhase(memory);
        var collectionsBefore = Collections();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pausedBefore = GC.GetTotalPauseDuration();
        var start = Stopwatch.GetTimestamp();
        var counts = await RunWorkflowsAsync(router, inits, options.Concurrency, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var collections = Collections();
        for (var generation = 0; generation < collections.Length; generation++)
        {
            collections[generation] -= collectionsBefore[generation];
        }

        TimeSpan? rawElapsed = null;
        if (backend.Raw is { } raw && trace is not null)
        {
            rawElapsed = await RunRawAsync(raw, trace, options, cancellationToken).ConfigureAwait(false);
        }

        var scaling = await MeasureScalingAsync(router, memory, options, cancellationToken).ConfigureAwait(false);
        var (latencies, orchestratorBytes) = await MeasureLatencyAsync(router, orchestrator.Source, options.EffectiveLatencyWorkflows, allThreads: backend.Raw is not null, cancellationToken).ConfigureAwait(false);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new ThroughputReport
        {
            Memory = options.Memory.ToString().ToLowerInvariant(),
            Workflows = options.Workflows,
            Concurrency = options.Concurrency,
            Completed = counts.Completed,
            Elapsed = elapsed,
            OrchestratorExecutions = counts.OrchestratorExecutions,
            Events = counts.Events,
            AllocatedBytes = allocated,
            Collections = collections,
            GcPauseMilliseconds = paused.TotalMilliseconds,
            LatencyMicroseconds = latencies,
            OrchestratorBytesPerWorkflow = orchestratorBytes,
            PeakWorkingSetBytes = process.PeakWorkingSet64,
            RawElapsed = rawElapsed,
            RawOps = trace?.Describe(),
            Scaling = scaling,
        };
    }

    /// <summary>
    /// The raw baseline: the same number of workflows at the same concurrency, each one replay of <paramref name="trace"/>
    /// (warmed up as the measured phase is). Each worker has its own session, opened before timing.
    /// </summary>
    private static async ValueTask<TimeSpan> RunRawAsync(IRawBaseline raw, StorageTrace trace, ThroughputOptions options, CancellationToken cancellationToken)
    {
        var sessions = new IRawSession[Math.Min(options.Concurrency, options.Workflows)];
        for (var i = 0; i < sessions.Length; i++)
        {
            sessions[i] = await raw.OpenSessionAsync(trace, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (options.EffectiveWarmup > 0)
            {
                var warmupStart = Stopwatch.GetTimestamp();
                do
                {
                    await RunRawWorkflowsAsync(sessions, options.EffectiveWarmup, cancellationToken).ConfigureAwait(false);
                }
                while (Stopwatch.GetElapsedTime(warmupStart) < options.WarmupTime);
            }

            var start = Stopwatch.GetTimestamp();
            await RunRawWorkflowsAsync(sessions, options.Workflows, cancellationToken).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(start);
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask RunRawWorkflowsAsync(IRawSession[] sessions, int workflows, CancellationToken cancellationToken)
    {
        var next = -1;
        if (sessions.Length == 1)
        {
            await WorkAsync(sessions[0]).ConfigureAwait(false);
            return;
        }

        await Task.WhenAll(sessions.Select(session => Task.Run(() => WorkAsync(session), cancellationToken))).ConfigureAwait(false);

        async Task WorkAsync(IRawSession session)
        {
            while (Interlocked.Increment(ref next) < workflows)
            {
                await session.RunWorkflowAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Before a timed phase: the in-memory store starts empty (so every phase, and every scaling round, runs against a
    /// store of the same size, growing as a user's would), and the garbage of earlier phases is collected.
    /// </summary>
    private static void StartPhase(IMachineMemory<MachineMemoryRecord> memory)
    {
        if (memory is SimpleMachineMemory<MachineMemoryRecord> simple)
        {
            simple.Clear();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>
    /// The scaling phase: <see cref="ThroughputOptions.EffectiveScalingRounds"/> rounds of <see cref="ThroughputOptions.Workflows"/>
    /// workflows at concurrency 1 then 2; null when there are no rounds.
    /// </summary>
    private static async ValueTask<ScalingReport?> MeasureScalingAsync(
        CounterRouter router, IMachineMemory<MachineMemoryRecord> memory, ThroughputOptions options, CancellationToken cancellationToken)
    {
        var rounds = options.EffectiveScalingRounds;
        if (rounds == 0)
        {
            return null;
        }

        var single = new double[rounds];
        var dual = new double[rounds];
        var singlePauses = new double[rounds];
        var dualPauses = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            (single[round], singlePauses[round]) = await RateAsync(1).ConfigureAwait(false);
            (dual[round], dualPauses[round]) = await RateAsync(2).ConfigureAwait(false);
        }

        return new ScalingReport
        {
            Workflows = options.Workflows,
            SingleWorkerRates = single,
            TwoWorkerRates = dual,
            SingleWorkerGcPausePercents = singlePauses,
            TwoWorkerGcPausePercents = dualPauses,
        };

        // The rate, and the share of the round the collector paused every worker (two workers allocate twice as fast).
        async ValueTask<(double Rate, double GcPausePercent)> RateAsync(int concurrency)
        {
            var inits = CreateInits(options.Workflows);
            StartPhase(memory);
            var pausedBefore = GC.GetTotalPauseDuration();
            var start = Stopwatch.GetTimestamp();
            var counts = await RunWorkflowsAsync(router, inits, concurrency, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start);
            var paused = GC.GetTotalPauseDuration() - pausedBefore;
            if (counts.Completed != inits.Length)
            {
                throw new InvalidOperationException($"Scaling phase: only {counts.Completed} of {inits.Length} workflows completed at concurrency {concurrency}.");
            }

            return (inits.Length / elapsed.TotalSeconds, 100 * paused.TotalMilliseconds / elapsed.TotalMilliseconds);
        }
    }

    /// <summary>The init events of <paramref name="count"/> increment workflows with deltas 1, 2, 3, … (made before timing: they are the client's work).</summary>
    private static ArvoEvent[] CreateInits(int count)
    {
        var inits = new ArvoEvent[count];
        for (var i = 0; i < count; i++)
        {
            inits[i] = CounterWorkflows.CreateInit("increment", i + 1);
        }

        return inits;
    }

    private static async ValueTask<PhaseCounts> RunWorkflowsAsync(CounterRouter router, ArvoEvent[] inits, int concurrency, CancellationToken cancellationToken)
    {
        var next = -1;
        var workers = new Task<PhaseCounts>[Math.Min(concurrency, inits.Length)];
        if (workers.Length == 1)
        {
            return await WorkAsync().ConfigureAwait(false);
        }

        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync().AsTask(), cancellationToken);
        }

        var total = new PhaseCounts();
        foreach (var counts in await Task.WhenAll(workers).ConfigureAwait(false))
        {
            total.Add(counts);
        }

        return total;

        async ValueTask<PhaseCounts> WorkAsync()
        {
            var counts = new PhaseCounts();
            var onEmitted = counts.Observe;
            int index;
            while ((index = Interlocked.Increment(ref next)) < inits.Length)
            {
                counts.Expect(inits[index]);
                await router.RunAsync(inits[index], onEmitted, cancellationToken).ConfigureAwait(false);
            }

            return counts;
        }
    }

    /// <summary>
    /// One workflow at a time; every orchestrator execution is timed on its own (handlers are not timed), and the
    /// bytes the orchestrator executions allocate are summed: on this thread in memory (they complete synchronously);
    /// on all threads for a durable store, whose async I/O resumes on other threads (one execution at a time here).
    /// </summary>
    private static async ValueTask<(double[] Latencies, double? OrchestratorBytesPerWorkflow)> MeasureLatencyAsync(
        CounterRouter router, string orchestratorSource, int workflows, bool allThreads, CancellationToken cancellationToken)
    {
        var inits = CreateInits(workflows);
        var samples = new List<double>(workflows * 2);
        var pending = new Queue<ArvoEvent>();
        var toMicroseconds = 1_000_000.0 / Stopwatch.Frequency;
        long orchestratorBytes = 0;
        foreach (var init in inits)
        {
            pending.Enqueue(init);
            while (pending.TryDequeue(out var evt))
            {
                var timed = evt.To == orchestratorSource;
                var bytes = AllocatedBytes(allThreads);
                var start = Stopwatch.GetTimestamp();
                var result = await router.ExecuteAsync(evt, cancellationToken).ConfigureAwait(false);
                var ticks = Stopwatch.GetTimestamp() - start;
                bytes = AllocatedBytes(allThreads) - bytes;
                if (result is null)
                {
                    continue;
                }

                if (timed)
                {
                    samples.Add(ticks * toMicroseconds);
                    orchestratorBytes += bytes;
                }

                foreach (var emitted in result.All)
                {
                    pending.Enqueue(emitted);
                }
            }
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return (sorted, workflows == 0 ? null : (double)orchestratorBytes / workflows);
    }

    private static long AllocatedBytes(bool allThreads) =>
        allThreads ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();

    private static int[] Collections()
    {
        var collections = new int[GC.MaxGeneration + 1];
        for (var generation = 0; generation < collections.Length; generation++)
        {
            collections[generation] = GC.CollectionCount(generation);
        }

        return collections;
    }

    /// <summary>Per-worker counters (no sharing between threads; summed at the end).</summary>
    private sealed class PhaseCounts
    {
        private double _expectedFinal = double.NaN;

        public int Completed { get; private set; }

        public long OrchestratorExecutions { get; private set; }

        public long Events { get; private set; }

        /// <summary>A worker runs one workflow at a time: the completion that follows must carry this init's delta.</summary>
        public void Expect(ArvoEvent init)
        {
            Events++;
            OrchestratorExecutions++;
            _expectedFinal = init.Data.GetProperty("delta").GetDouble();
        }

        public void Observe(ArvoEvent emitted)
        {
            Events++;
            if (emitted.To == CounterContracts.OrchestratorType)
            {
                OrchestratorExecutions++;
            }
            else if (emitted.Type == CounterContracts.CompleteType && emitted.Data.GetProperty("final").GetDouble() == _expectedFinal)
            {
                Completed++;
            }
        }

        public void Add(PhaseCounts other)
        {
            Completed += other.Completed;
            OrchestratorExecutions += other.OrchestratorExecutions;
            Events += other.Events;
        }
    }
}
