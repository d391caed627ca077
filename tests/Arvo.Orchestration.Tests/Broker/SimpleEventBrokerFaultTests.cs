using Arvo.Broker;
using Arvo.Contracts;
using Arvo.Handlers;
using Arvo.Memory;
using Arvo.Tests.TestSupport;
using static Arvo.Tests.TestSupport.BrokerEvents;

namespace Arvo.Tests.Broker;

/// <summary>The broker under faults: a throwing error callback, a full queue, a re-entrant publish from a non-flowing context.</summary>
public sealed class SimpleEventBrokerFaultTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PublishAsync_ErrorCallbackThrows_DeliversTheEventsBehindTheFailureThenThrows()
    {
        var delivered = new List<string>();
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (e, _) => throw new InvalidOperationException("callback: " + e.Message) });
        broker.Subscribe("a.a.a", async (_, ct) =>
        {
            await broker.PublishAsync(Make("com.test.nobody"), ct);
            await broker.PublishAsync(Make("c.c.c"), ct);
        });
        broker.Subscribe("c.c.c", (evt, _) =>
        {
            delivered.Add(evt.Type);
            return ValueTask.CompletedTask;
        });

        var act = async () => await broker.PublishAsync(Make("a.a.a")).AsTask().WaitAsync(Guard);

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("callback: No handlers registered for event type: com.test.nobody");
        delivered.Should().Equal("c.c.c");
        broker.QueueLength.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_ErrorCallbackThrowsTwice_ThrowsAggregateOfBothAfterIdle()
    {
        var delivered = new List<string>();
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (e, evt) => throw new InvalidOperationException("callback: " + evt.Type) });
        broker.Subscribe("a.a.a", async (_, ct) =>
        {
            await broker.PublishAsync(Make("com.test.nobody"), ct);
            await broker.PublishAsync(Make("com.test.nobodyeither"), ct);
            await broker.PublishAsync(Make("c.c.c"), ct);
        });
        broker.Subscribe("c.c.c", (evt, _) =>
        {
            delivered.Add(evt.Type);
            return ValueTask.CompletedTask;
        });

        var act = async () => await broker.PublishAsync(Make("a.a.a")).AsTask().WaitAsync(Guard);

        var thrown = (await act.Should().ThrowAsync<AggregateException>()).Which;
        thrown.InnerExceptions.Select(e => e.Message).Should().Equal("callback: com.test.nobody", "callback: com.test.nobodyeither");
        delivered.Should().Equal("c.c.c");
        broker.QueueLength.Should().Be(0);
    }

    [Fact]
    public async Task ResolveAsync_ErrorCallbackThrows_StillDrivesToIdleThenThrows()
    {
        var answered = 0;
        var broker = SimpleEventBroker.Create(
            [
                DelegateEventHandler.Sync("com.test.start", e => [Make("com.test.nobody", subject: e.Subject), Make("com.test.answer", subject: e.Subject)]),
                DelegateEventHandler.Sync("com.test.answer", e =>
                {
                    answered++;
                    return [Make("com.test.done", to: "com.test.client", source: "com.test.answer", subject: e.Subject)];
                }),
            ],
            new SimpleEventBrokerOptions { OnError = (e, _) => throw new InvalidOperationException("callback", e) });

        var act = async () => await broker.ResolveAsync(Make("com.test.start")).AsTask().WaitAsync(Guard);

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("callback")
            .WithInnerException<ArvoBrokerException>().Which.Kind.Should().Be(ArvoBrokerErrorKind.NoHandlers);
        answered.Should().Be(1);
        broker.QueueLength.Should().Be(0);
        broker.GetSubscriberCount("com.test.client").Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_QueueFull_NamesTheRejectedEvent()
    {
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { MaxQueueSize = 1, OnError = (_, _) => { } });
        var rejected = Make("c.c.c");
        ArvoBrokerException? caught = null;
        broker.Subscribe("a.a.a", async (_, ct) =>
        {
            await broker.PublishAsync(Make("b.b.b"), ct);
            try
            {
                await broker.PublishAsync(rejected, ct);
            }
            catch (ArvoBrokerException e)
            {
                caught = e;
            }
        });

        await broker.PublishAsync(Make("a.a.a")).AsTask().WaitAsync(Guard);

        caught.Should().NotBeNull();
        caught!.Kind.Should().Be(ArvoBrokerErrorKind.QueueFull);
        caught.RejectedEvents.Should().Equal(rejected);
        caught.Message.Should().Be($"Event queue is full (max size: 1): event 'c.c.c' (id {rejected.Id}, to 'c.c.c') was not enqueued");
    }

    [Fact]
    public async Task Register_QueueFullMidFanOut_ReportsEveryRejectedEventAndMarksOnlyTheEnqueuedPublished()
    {
        var errors = new List<(Exception Error, ArvoEvent Event)>();
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { MaxQueueSize = 1, OnError = (e, evt) => errors.Add((e, evt)) });
        var first = Make("com.test.first", subject: "wf-1");
        var second = Make("com.test.second", subject: "wf-1");
        var third = Make("com.test.third", subject: "wf-1");
        var handler = new OutboxSpyHandler("com.test.fanout", [first, second, third]);
        broker.Register(handler);
        var received = new List<string>();
        foreach (var topic in new[] { "com.test.first", "com.test.second", "com.test.third" })
        {
            broker.Subscribe(topic, (evt, _) =>
            {
                received.Add(evt.Type);
                return ValueTask.CompletedTask;
            });
        }

        var trigger = Make("com.test.fanout", subject: "wf-1");
        await broker.PublishAsync(trigger).AsTask().WaitAsync(Guard);

        received.Should().Equal("com.test.first");
        var (error, evt) = errors.Should().ContainSingle().Subject;
        evt.Should().BeSameAs(trigger);
        var full = error.Should().BeOfType<ArvoBrokerException>().Subject;
        full.Kind.Should().Be(ArvoBrokerErrorKind.QueueFull);
        full.RejectedEvents.Should().Equal(second, third);
        full.Message.Should().Be(
            $"Event queue is full (max size: 1): 2 of the 3 events 'com.test.fanout' emitted for event {trigger.Id} were not enqueued: 'com.test.second' (id {second.Id}, to 'com.test.second'), 'com.test.third' (id {third.Id}, to 'com.test.third'); they stay pending in its outbox");
        handler.MarkedPublished.Should().Equal(first.Id);
    }

    [Fact]
    public async Task Register_OneEmittedEventRejected_ReportsThatEventAndStillPublishesTheRest()
    {
        var errors = new List<Exception>();
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (e, _) => errors.Add(e) });
        var missing = WithoutTo("com.test.lost");
        var kept = Make("com.test.kept", subject: "wf-1");
        var handler = new OutboxSpyHandler("com.test.fanout", [missing, kept]);
        broker.Register(handler);
        var received = new List<string>();
        broker.Subscribe("com.test.kept", (evt, _) =>
        {
            received.Add(evt.Type);
            return ValueTask.CompletedTask;
        });

        await broker.PublishAsync(Make("com.test.fanout", subject: "wf-1")).AsTask().WaitAsync(Guard);

        received.Should().Equal("com.test.kept");
        var rejected = errors.Should().ContainSingle().Which.Should().BeOfType<ArvoBrokerException>().Subject;
        rejected.Kind.Should().Be(ArvoBrokerErrorKind.MissingTo);
        rejected.RejectedEvents.Should().Equal(missing);
        handler.MarkedPublished.Should().Equal(kept.Id);
    }

    [Fact]
    public async Task PublishAsync_FromSuppressedFlowWithTheDeliveryToken_FailsFastWithReentrantPublish()
    {
        Exception? reported = null;
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (e, _) => reported = e });
        broker.Subscribe("a.a.a", async (_, ct) =>
        {
            Task inner;
            using (ExecutionContext.SuppressFlow())
            {
                inner = Task.Run(async () => await broker.PublishAsync(Make("b.b.b"), ct), CancellationToken.None);
            }

            await inner;
        });
        broker.Subscribe("b.b.b", (_, _) => ValueTask.CompletedTask);

        await broker.PublishAsync(Make("a.a.a")).AsTask().WaitAsync(Guard);

        var reentrant = reported.Should().BeOfType<ArvoBrokerException>().Subject;
        reentrant.Kind.Should().Be(ArvoBrokerErrorKind.ReentrantPublish);
        reentrant.Message.Should().StartWith("PublishAsync was called with the cancellation token of a delivery in progress on this broker");
        broker.QueueLength.Should().Be(0);
    }

    [Fact]
    public async Task ResolveAsync_FromSuppressedFlowWithTheDeliveryToken_FailsFastWithNestedResolve()
    {
        Exception? reported = null;
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (e, _) => reported = e });
        broker.Subscribe("a.a.a", async (_, ct) =>
        {
            Task inner;
            using (ExecutionContext.SuppressFlow())
            {
                inner = Task.Run(async () => await broker.ResolveAsync(Make("b.b.b"), ct), CancellationToken.None);
            }

            await inner;
        });

        await broker.PublishAsync(Make("a.a.a")).AsTask().WaitAsync(Guard);

        reported.Should().BeOfType<ArvoBrokerException>().Which.Kind.Should().Be(ArvoBrokerErrorKind.NestedResolve);
    }

    [Fact]
    public async Task PublishAsync_FromSuppressedFlowOnceTheDriveEnded_PublishesNormally()
    {
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (e, _) => throw e });
        var stashed = CancellationToken.None;
        var received = new List<string>();
        broker.Subscribe("a.a.a", (_, ct) =>
        {
            stashed = ct;
            return ValueTask.CompletedTask;
        });
        broker.Subscribe("b.b.b", (evt, _) =>
        {
            received.Add(evt.Type);
            return ValueTask.CompletedTask;
        });
        await broker.PublishAsync(Make("a.a.a")).AsTask().WaitAsync(Guard);

        Task later;
        using (ExecutionContext.SuppressFlow())
        {
            later = Task.Run(async () => await broker.PublishAsync(Make("b.b.b"), stashed));
        }

        await later.WaitAsync(Guard);

        received.Should().Equal("b.b.b");
    }

    [Fact]
    public async Task PublishAsync_IndependentConcurrentPublisher_WaitsForTheDriveInsteadOfFailing()
    {
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (e, _) => throw e });
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new List<string>();
        broker.Subscribe("a.a.a", async (evt, _) =>
        {
            entered.SetResult();
            await release.Task;
            lock (received)
            {
                received.Add(evt.Type);
            }
        });
        broker.Subscribe("b.b.b", (evt, _) =>
        {
            lock (received)
            {
                received.Add(evt.Type);
            }

            return ValueTask.CompletedTask;
        });

        var outer = broker.PublishAsync(Make("a.a.a")).AsTask();
        await entered.Task.WaitAsync(Guard);
        Task independent;
        using (ExecutionContext.SuppressFlow())
        {
            independent = Task.Run(async () => await broker.PublishAsync(Make("b.b.b")));
        }

        release.SetResult();
        await Task.WhenAll(outer, independent).WaitAsync(Guard);

        received.Should().Equal("a.a.a", "b.b.b");
    }

    /// <summary>A handler that emits fixed events and records which of them the broker marks published in its outbox.</summary>
    private sealed class OutboxSpyHandler(string source, IReadOnlyList<ArvoEvent> emits) : IArvoOutboxHandler, IMachineMemoryOutbox
    {
        public string Source { get; } = source;

        public ArvoContractSystemError SystemErrorSchema { get; } = new($"sys.{source}.error", ArvoSchema.SystemError, $"#/test/{source}/~0.0.0~");

        public IMachineMemoryOutbox Outbox => this;

        public List<string> MarkedPublished { get; } = [];

        public ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ArvoExecutionResult.From(emits));

        public ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<MachineMemoryOutboxEntry>>([]);

        public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
        {
            MarkedPublished.AddRange(eventIds);
            return ValueTask.FromResult(eventIds.Count);
        }
    }
}
