using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Factories;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>The ticker machine's context: how many ticks it applied, and which.</summary>
public sealed record TickerContext
{
    public int Count { get; init; }

    public IReadOnlyList<int> Seen { get; init; } = [];
}

/// <summary>
/// Concurrent executions on one subject (scenario O-18, memory-and-locking.md 2 and 5): with locking each lock is won by
/// exactly one execution and the losers get <c>LOCK_UNACQUIRED</c>; without locking the compare-and-set write rejects
/// lost updates. Retrying the rejected events applies every event exactly once. No sleeps: contention is forced with a
/// gate that holds the first lock holder until another execution has been denied.
/// </summary>
public sealed class ArvoOrchestratorConcurrencyTests
{
    private const int Ticks = 64;

    private static readonly ArvoOrchestratorContract TickerContract = ArvoContract.CreateOrchestrator("#/test/ticker", "ticker", c => c
        .Version("0.0.1", v => v.Init("""{"type":"object","properties":{}}""").Complete("""{"type":"object","properties":{"count":{"type":"number"}}}""")));

    /// <summary>Two emit types: a machine using it requires locking.</summary>
    private static readonly ArvoContract TickContract = ArvoContract.Create("#/test/tick", "com.tick.source", c => c
        .Version("0.0.1", v => v
            .Accepts("""{"type":"object","properties":{}}""")
            .Emits("evt.tick.success", """{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}""")
            .Emits("evt.tick.failure", """{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}""")));

    private readonly SpyMachineMemory _memory = new();

    private static ArvoMachine<TickerContext> TickerMachine() =>
        ArvoMachine.Setup<TickerContext>(TickerContract.Version("0.0.1"))
            .Service("tick", TickContract.Version("0.0.1"))
            .CreateMachine("ticker", m => m
                .Context(_ => new TickerContext())
                .Initial("counting")
                .State("counting", s => s.On("evt.tick.success", t => t.Assign((ctx, evt) => ctx with
                {
                    Count = ctx.Count + 1,
                    Seen = [.. ctx.Seen, evt.Data.GetProperty("n").GetInt32()],
                }))));

    private static ArvoEvent Tick(string subject, int n) =>
        new ArvoEventFactory(TickContract.Version("0.0.1")).Emits(
            new ArvoEventEnvelope { Source = "com.tick.source", Subject = subject, To = "arvo.orc.ticker" }, "evt.tick.success", new { n });

    private static async Task<int> ExecuteUntilApplied(ArvoOrchestrator orchestrator, ArvoEvent evt, TransactionViolationCause retryOn)
    {
        for (var attempt = 1; attempt <= 100_000; attempt++)
        {
            try
            {
                (await orchestrator.ExecuteAsync(evt)).All.Should().BeEmpty();
                return attempt;
            }
            catch (TransactionViolation violation) when (violation.Cause == retryOn)
            {
                await Task.Yield();
            }
        }

        throw new InvalidOperationException($"Event {evt.Id} was never applied.");
    }

    private async Task<TickerContext> StoredContext(string subject)
    {
        var record = (MachineMemoryStateRecord)(await _memory.Inner.ReadRecordAsync(subject))!;
        return ArvoMachineSnapshot.Parse(record.State).Context.Deserialize<TickerContext>(JsonSerializerOptions.Web)!;
    }

    [Fact]
    public void RequiresResourceLocking_ServiceWithTwoEmitTypes_IsTrue()
    {
        ArvoOrchestrator.CreateBuilder().Memory(_memory).Machines(TickerMachine()).Build().RequiresResourceLocking.Should().BeTrue();
    }

    [Fact]
    public async Task ExecuteAsync_TwoSimultaneousInits_ExactlyOneWinsTheLock()
    {
        // O-18 on the reference inc orchestrator (locking required).
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(0.1).Machines(ReferenceMachines.Inc("0.0.1"), ReferenceMachines.Inc("0.0.2")).Build();
        var init = ReferenceFixture.ModifierInit(ReferenceContracts.Inc, "0.0.1", "test.key", 2);
        _memory.HoldFirstRead = _memory.FirstDenial.Task;

        var first = orchestrator.ExecuteAsync(init).AsTask();
        var second = Task.Run(async () => await orchestrator.ExecuteAsync(init));

        var loser = async () => await second;
        (await loser.Should().ThrowAsync<TransactionViolation>()).Which.Cause.Should().Be(TransactionViolationCause.LockUnacquired);
        (await first).All.Should().ContainSingle().Which.Type.Should().Be("com.value.read");
        (await _memory.Inner.LockAsync(init.Subject, MachineMemoryLockToken.NewToken())).Should().BeTrue("the winner released the lock");
        _memory.MaxHolders.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_ManyConcurrentEventsWithLocking_EachLockHasOneHolderAndEveryEventAppliesOnce()
    {
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(_memory).Machines(TickerMachine()).Build();
        var init = new ArvoOrchestratorEventFactory(TickerContract.Version("0.0.1"))
            .Init(new ArvoEventEnvelope { Source = "com.test.client" }, new JsonObject { ["parentSubject$$"] = null });
        await orchestrator.ExecuteAsync(init);
        var ticks = Enumerable.Range(0, Ticks).Select(n => Tick(init.Subject, n)).ToArray();
        _memory.HoldFirstRead = _memory.FirstDenial.Task;

        var attempts = await Task.WhenAll(ticks.Select(tick => Task.Run(() => ExecuteUntilApplied(orchestrator, tick, TransactionViolationCause.LockUnacquired))));

        var context = await StoredContext(init.Subject);
        context.Count.Should().Be(Ticks);
        context.Seen.Order().Should().Equal(Enumerable.Range(0, Ticks), "every tick is applied exactly once");
        _memory.MaxHolders.Should().Be(1, "a lock is never held by two executions");
        _memory.Denials.Should().BeGreaterThan(0).And.Be(attempts.Sum() - Ticks, "every denial was retried");
        _memory.Writes.Should().Be(Ticks + 1, "one write per applied event, none for denied attempts");
    }

    [Fact]
    public async Task ExecuteAsync_ManyConcurrentEventsWithoutLocking_CompareAndSetRejectsLostUpdates()
    {
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(_memory).Machines(TickerMachine()).RequiresResourceLocking(false).Build();
        var init = new ArvoOrchestratorEventFactory(TickerContract.Version("0.0.1"))
            .Init(new ArvoEventEnvelope { Source = "com.test.client" }, new JsonObject { ["parentSubject$$"] = null });
        await orchestrator.ExecuteAsync(init);
        var ticks = Enumerable.Range(0, Ticks).Select(n => Tick(init.Subject, n)).ToArray();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _memory.HoldFirstRead = gate.Task;

        // The first execution reads, then waits until another one has written: its own write must then be rejected.
        var held = Task.Run(() => ExecuteUntilApplied(orchestrator, ticks[0], TransactionViolationCause.WriteMachineMemoryFailure));
        await _memory.HeldReadReached.Task;
        var others = ticks.Skip(1).Select(tick => Task.Run(() => ExecuteUntilApplied(orchestrator, tick, TransactionViolationCause.WriteMachineMemoryFailure))).ToArray();
        await others[0];
        gate.SetResult();
        var attempts = await Task.WhenAll([held, .. others]);

        var context = await StoredContext(init.Subject);
        context.Count.Should().Be(Ticks);
        context.Seen.Order().Should().Equal(Enumerable.Range(0, Ticks), "every tick is applied exactly once");
        attempts[0].Should().BeGreaterThan(1, "the held execution lost its compare-and-set and was retried");
        _memory.Ops.Should().NotContain("lock");
    }
}
