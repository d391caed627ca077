using System.Diagnostics;
using Arvo.Memory;
using Xunit.Abstractions;


namespace Arvo.Drills.Tests;

/// <summary>
/// The drills of the durable-memory issue, with real processes killed by SIGKILL: a worker dies in the middle of 1,000
/// workflows (once exactly between persist and publish, once at a random moment) and is restarted; two workers run the
/// same workflows at once; every event is delivered twice. Afterwards every workflow has emitted exactly the events a
/// crash-free run emits — each service command once — and nothing is left pending.
/// </summary>
/// <remarks>Each backend inherits this class. The counts of every run are written to the test output.</remarks>
public abstract class CrashDrills : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    private readonly List<WorkerProcess> _workers = [];

    protected CrashDrills(ITestOutputHelper output)
    {
        Output = output;
        Directory = System.IO.Directory.CreateTempSubdirectory("arvo-drill-").FullName;
    }

    protected ITestOutputHelper Output { get; }

    protected string Directory { get; }

    /// <summary>The worker arguments that select the backend (<c>--memory … --db … [--schema …]</c>).</summary>
    protected abstract string[] StoreArgs { get; }

    /// <summary>Opens the drill's store in this process (leases of <paramref name="leaseTimeToLive"/>).</summary>
    protected abstract IMachineMemory<MachineMemoryRecord> OpenMemory(TimeSpan leaseTimeToLive);

    /// <summary>Every outbox row of the drill's store.</summary>
    protected abstract Task<IReadOnlyList<OutboxRow>> ReadOutboxAsync();

    /// <summary>Prepares the store (e.g. a schema of its own).</summary>
    /// <returns>A task.</returns>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Kills what is still running and removes the drill's files.</summary>
    /// <returns>A task.</returns>
    public virtual Task DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a killed process's last handle; the temp folder is cleaned later.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task KillNine_MidwayThrough1000Workflows_RestartCompletesEachWithEveryCommandEmittedOnce()
    {
        var workload = await DrillWorkload.CreateAsync(1000);
        var inits = workload.WriteInits(Directory);

        // 1. Killed exactly in the window between persisting an answer's events and marking them published.
        var first = Start([.. StoreArgs, "--inits", inits, "--crash-after", "250"]);
        var firstExit = await first.WaitAsync(RunTimeout);
        firstExit.Should().NotBe(0, "the worker killed itself");
        first.Output.Should().Contain("crashing after 250 persisted answers");
        var afterFirst = await ReadOutboxAsync();
        var pendingAtFirstKill = afterFirst.Count(r => r.Status == "pending");
        pendingAtFirstKill.Should().BePositive("events were persisted but not published when the worker died");

        // 2. Killed from outside at a random moment, once about half the workflows have completed.
        var second = Start([.. StoreArgs, "--inits", inits]);
        var clock = Stopwatch.StartNew();
        while (!second.HasExited && (await ReadOutboxAsync()).Count(r => r.Type == "arvo.orc.counter.done") < 500 && clock.Elapsed < RunTimeout)
        {
            await Task.Delay(20);
        }

        second.HasExited.Should().BeFalse($"the second run is killed midway, not after finishing. Output:\n{second.Output}");
        second.Kill();
        var afterSecond = await ReadOutboxAsync();
        var pendingAtSecondKill = afterSecond.Count(r => r.Status == "pending");

        // 3. Restarted: it finishes every workflow.
        var third = Start([.. StoreArgs, "--inits", inits]);
        (await third.WaitAsync(RunTimeout)).Should().Be(0, third.Output);

        var rows = await ReadOutboxAsync();
        AssertExactlyTheCrashFreeEvents(workload, rows);
        Output.WriteLine(
            $"workflows {workload.Inits.Count}; pending at kill 1: {pendingAtFirstKill}; completed at kill 2: {afterSecond.Count(r => r.Type == "arvo.orc.counter.done")}, " +
            $"pending at kill 2: {pendingAtSecondKill}; service commands emitted: {rows.Count(IsCommand)}; completions: {rows.Count(r => r.Type == "arvo.orc.counter.done")}; " +
            $"final run: {third.Output.Trim()}");
    }

    [Fact]
    public async Task EveryEventDeliveredTwice_ResultsAreIdenticalAndNothingIsAppliedTwice()
    {
        var workload = await DrillWorkload.CreateAsync(200);
        var inits = workload.WriteInits(Directory);

        var worker = Start([.. StoreArgs, "--inits", inits, "--redeliver"]);

        (await worker.WaitAsync(RunTimeout)).Should().Be(0, worker.Output);
        AssertExactlyTheCrashFreeEvents(workload, await ReadOutboxAsync());
        Output.WriteLine(worker.Output.Trim());
    }

    [Fact]
    public async Task LeaseHolderKilledWhileHoldingTheLease_AnotherExecutorProceedsOnceTheLeaseExpires()
    {
        var init = Arvo.Samples.Counter.CounterWorkflows.CreateInit("increment", 3);
        var holder = Start(["hold-lease", .. StoreArgs, "--subject", init.Subject, "--lease-ttl-ms", "2000"]);
        (await holder.WaitAsync(RunTimeout)).Should().NotBe(0, "the holder killed itself");
        holder.Output.Should().Contain("lease held");
        var memory = OpenMemory(TimeSpan.FromSeconds(30));
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(memory).ExecutionUnits(1).Machines(Arvo.Samples.Counter.CounterMachine.Create()).RequiresResourceLocking(true).Build();

        var denied = async () => await orchestrator.ExecuteAsync(init);
        (await denied.Should().ThrowAsync<TransactionViolation>()).Which.Cause.Should().Be(TransactionViolationCause.LockUnacquired);

        var denials = 1;
        IReadOnlyList<ArvoEvent>? emitted = null;
        var clock = Stopwatch.StartNew();
        while (emitted is null && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                emitted = (await orchestrator.ExecuteAsync(init)).All;
            }
            catch (TransactionViolation violation) when (violation.Cause == TransactionViolationCause.LockUnacquired)
            {
                denials++;
                await Task.Delay(100);
            }
        }

        emitted.Should().NotBeNull("the dead holder's lease expires after its 2 s time-to-live");
        emitted!.Select(e => e.Type).Should().Equal("com.number.increment");
        Output.WriteLine($"denied {denials} times, then proceeded after {clock.Elapsed.TotalSeconds:F1} s");
        if (memory is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>Starts a worker process that the drill kills on dispose if it is still running.</summary>
    protected WorkerProcess Start(string[] args)
    {
        var worker = WorkerProcess.Start(args);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>
    /// Every workflow emitted exactly the ids a crash-free in-memory run emits — no missing event, no duplicate (a
    /// re-applied init or answer would add rows under new ids) — and every row was published.
    /// </summary>
    protected internal static void AssertExactlyTheCrashFreeEvents(DrillWorkload workload, IReadOnlyList<OutboxRow> rows)
    {
        var byWorkflow = rows.GroupBy(r => r.WorkflowId).ToDictionary(g => g.Key, g => g.Select(r => r.EventId).ToList(), StringComparer.Ordinal);
        byWorkflow.Keys.Should().BeEquivalentTo(workload.ExpectedOutbox.Keys);
        foreach (var (workflow, expected) in workload.ExpectedOutbox)
        {
            byWorkflow[workflow].Should().BeEquivalentTo(expected, o => o.WithoutStrictOrdering(), $"workflow {workflow} emits each of its events exactly once");
        }

        rows.Should().OnlyContain(r => r.Status == "published", "nothing is left pending");
        rows.Count(IsCommand).Should().Be(workload.Inits.Count, "one service command per workflow");
    }

    private static bool IsCommand(OutboxRow row) => row.Type is "com.number.increment" or "com.number.decrement";
}
