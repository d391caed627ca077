using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Memory;
using Arvo.Orchestration;
using Arvo.Resumable;
using Arvo.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// Leases and the execution timeout: an execution that holds a subject's lease is abandoned before persisting once its
/// execution timeout (shorter than the lease) has passed, so no write happens after another execution may have taken
/// the lease over. Both sides, with a fake clock and in real time; outcomes only, no durations asserted.
/// </summary>
public sealed class ExecutionTimeoutTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private static readonly ArvoOrchestratorContract TickerContract = ArvoContract.CreateOrchestrator("#/test/ticker", "ticker", c => c
        .Version("0.0.1", v => v.Init("""{"type":"object","properties":{}}""").Complete("""{"type":"object","properties":{}}""")));

    private static readonly ArvoContract TickContract = ArvoContract.Create("#/test/tick", "com.tick.source", c => c
        .Version("0.0.1", v => v
            .Accepts("""{"type":"object","properties":{}}""")
            .Emits("evt.tick.success", """{"type":"object","properties":{}}""")));

    private static ArvoEvent TickerInit() =>
        new ArvoOrchestratorEventFactory(TickerContract.Version("0.0.1"))
            .Init(new ArvoEventEnvelope { Source = "com.test.client" }, new JsonObject { ["parentSubject$$"] = null });

    private static ArvoResumable Ticker(IMachineMemory<ArvoResumableState> memory, ArvoResumableHandler<TickerState> handler, TimeSpan executionTimeout, TimeProvider clock) =>
        ArvoResumable.CreateBuilder<TickerState>(TickerContract)
            .Memory(memory)
            .Service("tick", TickContract.Version("0.0.1"))
            .Version("0.0.1", handler)
            .RequiresResourceLocking(true)
            .ExecutionTimeout(executionTimeout)
            .CreationOptions(new ArvoEventCreationOptions { TimeProvider = clock })
            .Build();

    private static ValueTask<ArvoResumableResult<TickerState>?> Started() =>
        ValueTask.FromResult<ArvoResumableResult<TickerState>?>(new() { Context = new TickerState(1) });

    private static async Task<TransactionViolation> ExpectTimeout(Task run)
    {
        var act = () => run.WaitAsync(Guard);
        var violation = (await act.Should().ThrowAsync<TransactionViolation>()).Which;
        violation.Cause.Should().Be(TransactionViolationCause.ExecutionTimeout);
        violation.Message.Should().StartWith("ViolationError<OrchestratorTransaction> [EXECUTION_TIMEOUT] Execution timeout - the execution of event").And.Contain("was abandoned before persisting");
        violation.InnerException.Should().BeOfType<TimeoutException>();
        return violation;
    }

    private static async Task LockIsFree<T>(IMachineMemory<T> memory, string subject)
        where T : class
    {
        var token = MachineMemoryLockToken.NewToken();
        (await memory.LockAsync(subject, token)).Should().BeTrue("the abandoned execution released its lease");
        await memory.UnlockAsync(subject, token);
    }

    // ---- Defaults ----

    [Fact]
    public void Defaults_LeaseIsFiveSecondsAndExecutionTimeoutFourSeconds()
    {
        SimpleMachineMemoryOptions.DefaultLockTimeToLive.Should().Be(TimeSpan.FromSeconds(5));
        new SimpleMachineMemory<MachineMemoryRecord>().LockTimeToLive.Should().Be(TimeSpan.FromSeconds(5));
        ArvoOrchestratorBuilder.DefaultExecutionTimeout.Should().Be(TimeSpan.FromSeconds(4));
        ArvoResumable.CreateBuilder<TickerState>(TickerContract).Memory(new SimpleMachineMemory<ArvoResumableState>()).Version("0.0.1", _ => null).Build()
            .ExecutionTimeout.Should().Be(TimeSpan.FromSeconds(4));
        ArvoOrchestrator.CreateBuilder().Memory(new SimpleMachineMemory<MachineMemoryRecord>()).Machines(CounterMachine.CreateTestMachine()).Build()
            .ExecutionTimeout.Should().Be(TimeSpan.FromSeconds(4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void ExecutionTimeout_NotPositive_ThrowsArgumentOutOfRange(int milliseconds)
    {
        var builder = () => ArvoOrchestrator.CreateBuilder().ExecutionTimeout(TimeSpan.FromMilliseconds(milliseconds));
        var resumable = () => ArvoResumable.CreateBuilder<TickerState>(TickerContract).ExecutionTimeout(TimeSpan.FromMilliseconds(milliseconds));

        builder.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("timeout");
        resumable.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("timeout");
    }

    [Fact]
    public void ExecutionTimeout_Infinite_IsAccepted()
    {
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(new SimpleMachineMemory<MachineMemoryRecord>())
            .Machines(CounterMachine.CreateTestMachine())
            .ExecutionTimeout(Timeout.InfiniteTimeSpan)
            .Build();

        orchestrator.ExecutionTimeout.Should().Be(Timeout.InfiniteTimeSpan);
    }

    // ---- Fake clock: the orchestrator ----

    [Fact]
    public async Task ExecuteAsync_LeasedExecutionPastItsTimeout_IsAbandonedBeforePersistingAndReleasesTheLease()
    {
        var clock = new FakeTimeProvider();
        var memory = new SlowMemory<MachineMemoryRecord>(clock) { ReadTakes = TimeSpan.FromSeconds(4) };
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(memory)
            .Machines(CounterMachine.CreateTestMachine())
            .RequiresResourceLocking(true)
            .CreationOptions(new ArvoEventCreationOptions { TimeProvider = clock })
            .Build();
        var init = MachineEvents.Init();

        await ExpectTimeout(orchestrator.ExecuteAsync(init).AsTask());

        memory.Writes.Should().Be(0);
        (await memory.ReadAsync(init.Subject)).Should().BeNull();
        (await memory.ReadPendingOutboxAsync(10)).Should().BeEmpty();
        await LockIsFree(memory, init.Subject); // 4 s into a 5 s lease: free only because it was released
    }

    [Fact]
    public async Task ExecuteAsync_LeasedExecutionWithinItsTimeout_Persists()
    {
        var clock = new FakeTimeProvider();
        var memory = new SlowMemory<MachineMemoryRecord>(clock) { ReadTakes = TimeSpan.FromSeconds(3.9) };
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(memory)
            .Machines(CounterMachine.CreateTestMachine())
            .RequiresResourceLocking(true)
            .CreationOptions(new ArvoEventCreationOptions { TimeProvider = clock })
            .Build();
        var init = MachineEvents.Init();

        var result = await orchestrator.ExecuteAsync(init).AsTask().WaitAsync(Guard);

        result.All.Should().ContainSingle();
        memory.Writes.Should().Be(1);
        (await memory.ReadAsync(init.Subject))!.Version.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_WithoutLocking_IsNotBounded()
    {
        var clock = new FakeTimeProvider();
        var memory = new SlowMemory<MachineMemoryRecord>(clock) { ReadTakes = TimeSpan.FromSeconds(60) };
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(memory)
            .Machines(CounterMachine.CreateTestMachine())
            .RequiresResourceLocking(false)
            .CreationOptions(new ArvoEventCreationOptions { TimeProvider = clock })
            .Build();

        (await orchestrator.ExecuteAsync(MachineEvents.Init()).AsTask().WaitAsync(Guard)).All.Should().ContainSingle();
        memory.Writes.Should().Be(1);
    }

    // ---- Fake clock: the resumable ----

    [Fact]
    public async Task ExecuteAsync_HandlerAwaitingPastTheTimeout_IsCancelledAndNothingIsPersisted()
    {
        var clock = new FakeTimeProvider();
        var memory = new SlowMemory<ArvoResumableState>(clock);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerCancelled = false;
        var resumable = Ticker(
            memory,
            async ctx =>
            {
                entered.SetResult();
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), clock, ctx.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    handlerCancelled = true;
                    throw;
                }

                return new() { Context = new TickerState(1) };
            },
            TimeSpan.FromSeconds(4),
            clock);
        var init = TickerInit();

        var run = resumable.ExecuteAsync(init).AsTask();
        await entered.Task.WaitAsync(Guard);
        clock.Advance(TimeSpan.FromSeconds(4));

        await ExpectTimeout(run);
        handlerCancelled.Should().BeTrue();
        memory.Writes.Should().Be(0);
        (await memory.ReadAsync(init.Subject)).Should().BeNull();
        await LockIsFree(memory, init.Subject);
    }

    [Fact]
    public async Task ExecuteAsync_HandlerIgnoringTheTokenAndThrowingAfterTheTimeout_WritesNoFailureRecord()
    {
        var clock = new FakeTimeProvider();
        var memory = new SlowMemory<ArvoResumableState>(clock);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resumable = Ticker(
            memory,
            async ctx =>
            {
                entered.SetResult();
                await release.Task;
                throw new InvalidOperationException("late failure");
            },
            TimeSpan.FromSeconds(4),
            clock);
        var init = TickerInit();

        var run = resumable.ExecuteAsync(init).AsTask();
        await entered.Task.WaitAsync(Guard);
        clock.Advance(TimeSpan.FromSeconds(4));
        release.SetResult();

        var violation = await ExpectTimeout(run);
        violation.InnerException!.InnerException.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("late failure");
        memory.Writes.Should().Be(0);
        (await memory.ReadAsync(init.Subject)).Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_ExistingWorkflowPastTheTimeout_LeavesTheStoredVersion()
    {
        var clock = new FakeTimeProvider();
        var memory = new SlowMemory<ArvoResumableState>(clock);
        var resumable = Ticker(memory, ctx => ctx.Input is not null ? Started() : ValueTask.FromResult<ArvoResumableResult<TickerState>?>(new() { Context = new TickerState(2) }), TimeSpan.FromSeconds(4), clock);
        var init = TickerInit();
        await resumable.ExecuteAsync(init);
        var before = (await memory.ReadAsync(init.Subject))!.Version;
        memory.ReadTakes = TimeSpan.FromSeconds(4);
        var tick = new ArvoEventFactory(TickContract.Version("0.0.1")).Emits(
            new ArvoEventEnvelope { Source = "com.tick.source", Subject = init.Subject, To = "arvo.orc.ticker" }, "evt.tick.success", new { });

        await ExpectTimeout(resumable.ExecuteAsync(tick).AsTask());

        (await memory.ReadAsync(init.Subject))!.Version.Should().Be(before);
        memory.Writes.Should().Be(1);
    }

    // ---- Real time ----

    [Fact]
    public async Task ExecuteAsync_RealTime_AbandonedExecutionReleasesTheLeaseAndTheNextGetsInAfterIt()
    {
        // A 5 s lease and a 200 ms timeout: the second execution can only get in through the first one's release.
        var memory = new SlowMemory<ArvoResumableState>(TimeProvider.System);
        var firstAbandoned = false;
        var calls = 0;
        var secondSawFirstAbandoned = (bool?)null;
        var resumable = Ticker(
            memory,
            async ctx =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        Volatile.Write(ref firstAbandoned, true);
                        throw;
                    }
                }

                secondSawFirstAbandoned = Volatile.Read(ref firstAbandoned);
                return new() { Context = new TickerState(1) };
            },
            TimeSpan.FromMilliseconds(200),
            TimeProvider.System);
        var init = TickerInit();

        var first = Task.Run(async () => await resumable.ExecuteAsync(init));
        await memory.FirstLock.Task.WaitAsync(Guard);
        var second = Task.Run(() => ExecuteUntilLeased(resumable, init));

        await ExpectTimeout(first);
        (await second.WaitAsync(Guard)).Should().BeEmpty();
        secondSawFirstAbandoned.Should().BeTrue();
        memory.Writes.Should().Be(1);
        (await memory.ReadAsync(init.Subject))!.Version.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_RealTime_ExecutionOutlivingItsLease_DoesNotWriteAfterTheSecondGotIn()
    {
        // A 300 ms lease and a 200 ms timeout; the first execution ignores its token and outlives its lease.
        var memory = new SlowMemory<ArvoResumableState>(TimeProvider.System, TimeSpan.FromMilliseconds(300));
        var firstTimedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var resumable = Ticker(
            memory,
            async ctx =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    ctx.CancellationToken.Register(() => firstTimedOut.TrySetResult());
                    await releaseFirst.Task;
                    return new() { Context = new TickerState(100) };
                }

                return new() { Context = new TickerState(2) };
            },
            TimeSpan.FromMilliseconds(200),
            TimeProvider.System);
        var init = TickerInit();

        var first = Task.Run(async () => await resumable.ExecuteAsync(init));
        await memory.FirstLock.Task.WaitAsync(Guard);
        (await Task.Run(() => ExecuteUntilLeased(resumable, init)).WaitAsync(Guard)).Should().BeEmpty(); // in once the lease expired
        await firstTimedOut.Task.WaitAsync(Guard);
        releaseFirst.SetResult();

        await ExpectTimeout(first);
        memory.Writes.Should().Be(1);
        var stored = await memory.ReadAsync(init.Subject);
        stored!.Version.Should().Be(1);
        stored.Record.State!.Value.GetProperty("count").GetInt32().Should().Be(2, "the second execution's write is the only one");
    }

    private static async Task<IReadOnlyList<ArvoEvent>> ExecuteUntilLeased(ArvoResumable resumable, ArvoEvent evt)
    {
        var deadline = DateTime.UtcNow + Guard;
        while (true)
        {
            try
            {
                return (await resumable.ExecuteAsync(evt)).All;
            }
            catch (TransactionViolation violation) when (violation.Cause == TransactionViolationCause.LockUnacquired && violation.InnerException is null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
        }
    }

    private sealed record TickerState(int Count);

    /// <summary>
    /// A <see cref="SimpleMachineMemory{T}"/> on a given clock whose reads take <see cref="ReadTakes"/> of that clock
    /// (a fake clock is advanced by that much during the read); counts writes and reports the first lock.
    /// </summary>
    private sealed class SlowMemory<T>(TimeProvider clock, TimeSpan? lockTimeToLive = null) : IMachineMemory<T>
        where T : class
    {
        private readonly SimpleMachineMemory<T> _inner = new(new SimpleMachineMemoryOptions
        {
            TimeProvider = clock,
            LockTimeToLive = lockTimeToLive ?? SimpleMachineMemoryOptions.DefaultLockTimeToLive,
        });

        private int _writes;

        public TimeSpan ReadTakes { get; set; }

        public int Writes => Volatile.Read(ref _writes);

        public TaskCompletionSource FirstLock { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<MachineMemoryEntry<T>?> ReadAsync(string id, CancellationToken cancellationToken = default)
        {
            if (ReadTakes > TimeSpan.Zero && clock is FakeTimeProvider fake)
            {
                fake.Advance(ReadTakes);
            }

            return _inner.ReadAsync(id, cancellationToken);
        }

        public ValueTask<long> WriteAsync(string id, MachineMemoryWrite<T> write, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writes);
            return _inner.WriteAsync(id, write, cancellationToken);
        }

        public async ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
        {
            var acquired = await _inner.LockAsync(id, owner, cancellationToken);
            if (acquired)
            {
                FirstLock.TrySetResult();
            }

            return acquired;
        }

        public ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default) =>
            _inner.UnlockAsync(id, owner, cancellationToken);

        public ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default) =>
            _inner.ReadPendingOutboxAsync(maxCount, cancellationToken);

        public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
            _inner.MarkPublishedAsync(id, eventIds, cancellationToken);
    }
}
