using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Factories;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Tests.Orchestration;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Resumable;

/// <summary>
/// The orchestrator's concurrency test (<see cref="ArvoOrchestratorConcurrencyTests"/>) for a resumable: one subject,
/// many concurrent events; with locking each lock has one holder and, retrying the denied events, every event is applied
/// exactly once. No sleeps: the first lock holder is held until another execution has been denied.
/// </summary>
public sealed class ArvoResumableConcurrencyTests
{
    private const int Ticks = 64;

    private static readonly ArvoOrchestratorContract TickerContract = ArvoContract.CreateOrchestrator("#/test/ticker", "ticker", c => c
        .Version("0.0.1", v => v.Init("""{"type":"object","properties":{}}""").Complete("""{"type":"object","properties":{"count":{"type":"number"}}}""")));

    private static readonly ArvoContract TickContract = ArvoContract.Create("#/test/tick", "com.tick.source", c => c
        .Version("0.0.1", v => v
            .Accepts("""{"type":"object","properties":{}}""")
            .Emits("evt.tick.success", """{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}""")));

    private readonly SpyMachineMemory<ArvoResumableState> _memory = new();

    private ArvoResumable Ticker(bool locking) => ArvoResumable.CreateBuilder<TickerContext>(TickerContract)
        .Memory(_memory)
        .Service("tick", TickContract.Version("0.0.1"))
        .Version("0.0.1", ctx => ctx.Input is not null
            ? new() { Context = new TickerContext() }
            : new() { Context = ctx.Context! with { Count = ctx.Context.Count + 1, Seen = [.. ctx.Context.Seen, ctx.Service!.Data.GetProperty("n").GetInt32()] } })
        .RequiresResourceLocking(locking)
        .Build();

    private static ArvoEvent Tick(string subject, int n) =>
        new ArvoEventFactory(TickContract.Version("0.0.1")).Emits(
            new ArvoEventEnvelope { Source = "com.tick.source", Subject = subject, To = "arvo.orc.ticker" }, "evt.tick.success", new { n });

    private static async Task<int> ExecuteUntilApplied(ArvoResumable resumable, ArvoEvent evt, TransactionViolationCause retryOn)
    {
        for (var attempt = 1; attempt <= 100_000; attempt++)
        {
            try
            {
                (await resumable.ExecuteAsync(evt)).All.Should().BeEmpty();
                return attempt;
            }
            catch (TransactionViolation violation) when (violation.Cause == retryOn)
            {
                await Task.Yield();
            }
        }

        throw new InvalidOperationException($"Event {evt.Id} was never applied.");
    }

    private async Task<(ArvoResumable Resumable, ArvoEvent Init)> Started(bool locking)
    {
        var resumable = Ticker(locking);
        var init = new ArvoOrchestratorEventFactory(TickerContract.Version("0.0.1"))
            .Init(new ArvoEventEnvelope { Source = "com.test.client" }, new JsonObject { ["parentSubject$$"] = null });
        await resumable.ExecuteAsync(init);
        return (resumable, init);
    }

    private async Task<TickerContext> StoredContext(string subject) =>
        (await _memory.Inner.ReadRecordAsync(subject))!.State!.Value.Deserialize<TickerContext>(JsonSerializerOptions.Web)!;

    [Fact]
    public async Task ExecuteAsync_ManyConcurrentEventsWithLocking_EachLockHasOneHolderAndEveryEventAppliesOnce()
    {
        var (resumable, init) = await Started(locking: true);
        var ticks = Enumerable.Range(0, Ticks).Select(n => Tick(init.Subject, n)).ToArray();
        _memory.HoldFirstRead = _memory.FirstDenial.Task;

        var attempts = await Task.WhenAll(ticks.Select(tick => Task.Run(() => ExecuteUntilApplied(resumable, tick, TransactionViolationCause.LockUnacquired))));

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
        var (resumable, init) = await Started(locking: false);
        var ticks = Enumerable.Range(0, Ticks).Select(n => Tick(init.Subject, n)).ToArray();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _memory.HoldFirstRead = gate.Task;

        var held = Task.Run(() => ExecuteUntilApplied(resumable, ticks[0], TransactionViolationCause.WriteMachineMemoryFailure));
        await _memory.HeldReadReached.Task;
        var others = ticks.Skip(1).Select(tick => Task.Run(() => ExecuteUntilApplied(resumable, tick, TransactionViolationCause.WriteMachineMemoryFailure))).ToArray();
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
