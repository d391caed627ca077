using Arvo.Events;
using Arvo.Handlers;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.ExactlyOnce;

/// <summary>
/// The orchestration pipeline's inbox and outbox: a redelivered event is not applied twice and is answered with the
/// events of its first execution; emitted events stay pending in the outbox until published; a relay republishes
/// what a crash left behind.
/// </summary>
public sealed class OrchestratorExactlyOnceTests
{
    private readonly SimpleMachineMemory<MachineMemoryRecord> _memory = new();

    private ArvoOrchestrator Orchestrator(int? inboxCapacity = null, bool? locking = null)
    {
        var builder = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(0.1).Machines(CounterMachine.CreateTestMachine());
        if (inboxCapacity is { } capacity)
        {
            builder.InboxCapacity(capacity);
        }

        if (locking is { } required)
        {
            builder.RequiresResourceLocking(required);
        }

        return builder.Build();
    }

    [Fact]
    public async Task ExecuteAsync_Init_WritesItsEventsAsPendingWithDerivedIds()
    {
        var orchestrator = Orchestrator();
        var init = MachineEvents.Init();

        var command = (await orchestrator.ExecuteAsync(init)).All.Single();

        command.Id.Should().Be(ArvoDerivedEventId.Create("arvo.orc.test", init.Id, 0));
        var pending = await _memory.ReadPendingOutboxAsync(10);
        pending.Select(e => (e.WorkflowId, e.Event)).Should().Equal((init.Subject, command));
        var entry = (await _memory.ReadAsync(init.Subject))!;
        entry.Inbox.Entries.Should().ContainSingle().Which.Should().Be(new MachineMemoryInboxEntry(init.Id, [command]));
    }

    [Fact]
    public async Task ExecuteAsync_SameInitOnTwoFreshStores_EmitsTheSameIds()
    {
        var init = MachineEvents.Init();
        var first = (await Orchestrator().ExecuteAsync(init)).All.Single();
        var other = ArvoOrchestrator.CreateBuilder().Memory(new SimpleMachineMemory<MachineMemoryRecord>()).ExecutionUnits(0.1).Machines(CounterMachine.CreateTestMachine()).Build();

        (await other.ExecuteAsync(init)).All.Single().Id.Should().Be(first.Id);
    }

    [Fact]
    public async Task MarkPublishedAsync_AfterPublishing_EmptiesTheOutbox()
    {
        var orchestrator = Orchestrator();
        var init = MachineEvents.Init();
        var result = await orchestrator.ExecuteAsync(init);

        (await orchestrator.MarkPublishedAsync(init, result.All)).Should().Be(1);

        (await _memory.ReadPendingOutboxAsync(10)).Should().BeEmpty();
    }

    [Fact]
    public async Task Redelivery_AfterCrashBeforePublish_ReturnsTheSameEventsAndWritesNothing()
    {
        var orchestrator = Orchestrator();
        var init = MachineEvents.Init();
        await orchestrator.ExecuteAsync(init);
        var answer = MachineEvents.IncrementSuccess(init.Subject);
        var first = (await orchestrator.ExecuteAsync(answer)).All; // "crash": never published
        var stored = (await _memory.ReadAsync(init.Subject))!;

        var retried = (await orchestrator.ExecuteAsync(answer)).All;

        retried.Should().Equal(first);
        retried.Select(e => e.Id).Should().Equal(first.Select(e => e.Id));
        (await _memory.ReadAsync(init.Subject))!.Version.Should().Be(stored.Version);
        (await _memory.ReadPendingOutboxAsync(10)).Select(e => e.Event.Id).Should().Equal(
            [ArvoDerivedEventId.Create("arvo.orc.test", init.Id, 0), .. first.Select(e => e.Id)],
            "the redelivery adds nothing to the outbox");
    }

    [Fact]
    public async Task InboxCapacity_OldestConsumedIdsAreForgotten()
    {
        var orchestrator = Orchestrator(inboxCapacity: 2);
        var init = MachineEvents.Init();
        var command = (await orchestrator.ExecuteAsync(init)).All.Single();
        var answer = MachineEvents.IncrementSuccess(init.Subject);
        await orchestrator.ExecuteAsync(answer);
        (await orchestrator.ExecuteAsync(init)).All.Should().Equal([command], "the init is still remembered");

        // A late duplicate under a new id: the finished machine ignores it, but it is remembered and pushes the init out.
        await orchestrator.ExecuteAsync(answer.WithId("late-answer"));

        (await _memory.ReadAsync(init.Subject))!.Inbox.Entries.Select(e => e.EventId).Should().Equal(answer.Id, "late-answer");
        (await orchestrator.ExecuteAsync(init)).All.Should().BeEmpty("a forgotten init is executed again, and the finished machine ignores it");
    }

    [Fact]
    public async Task Relay_AfterACrashBetweenPersistAndPublish_CompletesTheWorkflow()
    {
        // A host executed the init, persisted it and died before publishing the command.
        var orchestrator = Orchestrator();
        var init = MachineEvents.Init();
        await orchestrator.ExecuteAsync(init);

        // After the restart: the relay publishes the pending command through the broker, which runs the workflow to the end.
        Func<ArvoHandlerContext, ArvoHandlerResult> add = ctx => ArvoHandlerOutput.Emit("evt.number.increment.success", new { newValue = 41 + ctx.Data.GetProperty("delta").GetDouble() });
        var increment = ArvoEventHandler.CreateBuilder(CounterContracts.Increment).ExecutionUnits(1).Version("0.0.1", add).Version("0.0.2", add).Build();
        var notification = ArvoEventHandler.CreateBuilder(CounterContracts.Notification)
            .ExecutionUnits(1)
            .Version("0.0.1", _ => (ArvoHandlerOutput?)null)
            .Build();
        var completions = new List<ArvoEvent>();
        var broker = SimpleEventBroker.Create([orchestrator, increment, notification]);
        using var client = broker.Subscribe(MachineEvents.Initiator, (evt, _) =>
        {
            completions.Add(evt);
            return ValueTask.CompletedTask;
        });
        var relay = new ArvoOutboxRelay(_memory, (evt, ct) => broker.PublishAsync(evt, ct));

        (await relay.RelayPendingAsync()).Should().Be(1);

        completions.Select(e => e.Type).Should().Equal("arvo.orc.test.done");
        ((MachineMemoryStateRecord)(await _memory.ReadRecordAsync(init.Subject))!).Status.Should().Be("done");
        (await _memory.ReadPendingOutboxAsync(10)).Should().BeEmpty("the broker marked everything it delivered");
    }

    [Fact]
    public async Task ConcurrentDeliveriesOfOneEvent_WithoutLocking_ApplyItOnce()
    {
        var orchestrator = Orchestrator(locking: false);
        var init = MachineEvents.Init();
        await orchestrator.ExecuteAsync(init);
        var answer = MachineEvents.IncrementSuccess(init.Subject);
        using var gate = new ManualResetEventSlim();

        var deliveries = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            while (true)
            {
                try
                {
                    return (await orchestrator.ExecuteAsync(answer)).All;
                }
                catch (TransactionViolation violation) when (violation.Cause == TransactionViolationCause.WriteMachineMemoryFailure)
                {
                    // Lost the compare-and-set: redeliver, as a broker would.
                }
            }
        })).ToArray();
        gate.Set();
        var results = await Task.WhenAll(deliveries);

        results.Should().AllSatisfy(r => r.Select(e => e.Id).Should().Equal(results[0].Select(e => e.Id)));
        var entry = (await _memory.ReadAsync(init.Subject))!;
        entry.Version.Should().Be(2, "one write for the init, one for the answer");
        (await _memory.ReadPendingOutboxAsync(100)).Should().HaveCount(1 + results[0].Count);
    }

    [Fact]
    public async Task FailingExecution_PersistsTheSystemErrorInInboxAndOutbox()
    {
        var orchestrator = DumbFixture.Orchestrator(_memory, () => new InvalidOperationException("boom"));
        var init = DumbFixture.Init();

        var error = (await orchestrator.ExecuteAsync(init)).All.Single();

        (await _memory.ReadPendingOutboxAsync(10)).Select(e => e.Event).Should().Equal(error);
        (await orchestrator.ExecuteAsync(init)).All.Should().Equal(error);
    }
}
