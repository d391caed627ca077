using System.Collections.Concurrent;
using Arvo.Broker;
using Arvo.Handlers;
using Arvo.Tests.TestSupport;
using static Arvo.Tests.TestSupport.BrokerEvents;

namespace Arvo.Tests.Broker;

public sealed class SimpleEventBrokerTests
{
    private readonly List<(Exception Error, ArvoEvent Event)> _errors = [];

    private SimpleEventBroker NewBroker(int maxQueueSize = 1000, int maxHops = 1000, int record = 100) => new(new SimpleEventBrokerOptions
    {
        MaxQueueSize = maxQueueSize,
        MaxHopsPerPublish = maxHops,
        RecordCapacity = record,
        OnError = (error, evt) =>
        {
            lock (_errors)
            {
                _errors.Add((error, evt));
            }
        },
    });

    private static Func<ArvoEvent, CancellationToken, ValueTask> Publishing(SimpleEventBroker broker, List<string> order, params string[] types) =>
        async (evt, ct) =>
        {
            order.Add(evt.Type);
            foreach (var type in types)
            {
                await broker.PublishAsync(Make(type), ct);
            }
        };

    // B-1 (our issue: FIFO instead of the reference's LIFO)
    [Fact]
    public async Task PublishAsync_NestedPublishes_ProcessesFifoAndRecordsInPublishOrder()
    {
        var broker = NewBroker();
        var order = new List<string>();
        broker.Subscribe("a.a.a", Publishing(broker, order, "b.b.b", "c.c.c", "d.d.d"));
        broker.Subscribe("b.b.b", Publishing(broker, order, "e.e.e"));
        broker.Subscribe("c.c.c", Publishing(broker, order));
        broker.Subscribe("d.d.d", Publishing(broker, order));
        broker.Subscribe("e.e.e", Publishing(broker, order));

        await broker.PublishAsync(Make("a.a.a"));

        order.Should().Equal("a.a.a", "b.b.b", "c.c.c", "d.d.d", "e.e.e");
        broker.RecordedEvents.Select(e => e.Type).Should().Equal("a.a.a", "b.b.b", "c.c.c", "d.d.d", "e.e.e");
        broker.QueueLength.Should().Be(0);
        _errors.Should().BeEmpty();
    }

    // B-2
    [Fact]
    public async Task PublishAsync_NoSubscriber_ReportsNoHandlersToErrorCallback()
    {
        var broker = NewBroker();
        var zzz = Make("com.test.zzz");

        await broker.PublishAsync(zzz);

        var (error, evt) = _errors.Should().ContainSingle().Subject;
        error.Should().BeOfType<ArvoBrokerException>().Which.Kind.Should().Be(ArvoBrokerErrorKind.NoHandlers);
        error.Message.Should().Be("No handlers registered for event type: com.test.zzz");
        evt.Should().BeSameAs(zzz);
        broker.RecordedEvents.Should().Equal(zzz);
    }

    // B-2
    [Fact]
    public async Task PublishAsync_SubscriberThrows_ReportsErrorAndKeepsProcessing()
    {
        var broker = NewBroker();
        var order = new List<string>();
        broker.Subscribe("a.a.a", Publishing(broker, order, "e.e.e", "f.f.f"));
        broker.Subscribe("e.e.e", (_, _) => throw new InvalidOperationException("e failed"));
        broker.Subscribe("f.f.f", Publishing(broker, order));

        await broker.PublishAsync(Make("a.a.a"));

        order.Should().Equal("a.a.a", "f.f.f");
        var (error, evt) = _errors.Should().ContainSingle().Subject;
        error.Message.Should().Be("e failed");
        evt.Type.Should().Be("e.e.e");
    }

    [Fact]
    public async Task Register_HandlerThrowsViolation_ReportsViolationAndKeepsProcessing()
    {
        var broker = NewBroker();
        var violation = new ExecutionViolation("boom");
        broker.Register(DelegateEventHandler.Sync("com.test.fail", _ => throw violation));
        var seen = new List<string>();
        broker.Subscribe("com.test.ok", (e, _) => { seen.Add(e.Type); return ValueTask.CompletedTask; });
        broker.Subscribe("com.test.start", async (_, ct) =>
        {
            await broker.PublishAsync(Make("com.test.fail"), ct);
            await broker.PublishAsync(Make("com.test.ok"), ct);
        });

        await broker.PublishAsync(Make("com.test.start"));

        seen.Should().Equal("com.test.ok");
        _errors.Should().ContainSingle().Which.Error.Should().BeSameAs(violation);
        _errors[0].Event.Type.Should().Be("com.test.fail");
    }

    [Fact]
    public async Task PublishAsync_ErrorCallbackThrows_PropagatesAndEmptiesQueue()
    {
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (e, _) => throw new InvalidOperationException("callback: " + e.Message) });
        broker.Subscribe("a.a.a", async (_, ct) =>
        {
            await broker.PublishAsync(Make("com.test.nobody"), ct);
            await broker.PublishAsync(Make("com.test.nobodyeither"), ct);
        });

        var act = async () => await broker.PublishAsync(Make("a.a.a"));

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("callback: No handlers registered for event type: com.test.nobody");
        broker.QueueLength.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_NoErrorCallback_DoesNotThrow()
    {
        var broker = new SimpleEventBroker();

        await broker.PublishAsync(Make("com.test.zzz"));

        broker.QueueLength.Should().Be(0);
    }

    // B-3
    [Fact]
    public async Task PublishAsync_QueueAtMaxSize_ThrowsQueueFull()
    {
        var broker = NewBroker(maxQueueSize: 2);
        var rejected = Make("d.d.d");
        ArvoBrokerException? caught = null;
        broker.Subscribe("a.a.a", async (_, ct) =>
        {
            await broker.PublishAsync(Make("b.b.b"), ct);
            await broker.PublishAsync(Make("c.c.c"), ct);
            try
            {
                await broker.PublishAsync(rejected, ct);
            }
            catch (ArvoBrokerException e)
            {
                caught = e;
            }
        });

        await broker.PublishAsync(Make("a.a.a"));

        caught.Should().NotBeNull();
        caught!.Kind.Should().Be(ArvoBrokerErrorKind.QueueFull);
        caught.Message.Should().Be($"Event queue is full (max size: 2): event 'd.d.d' (id {rejected.Id}, to 'd.d.d') was not enqueued");
        broker.RecordedEvents.Select(e => e.Type).Should().Equal("a.a.a", "b.b.b", "c.c.c");
    }

    // B-3 with the FLAG fixed: the second unique subscription already fails
    [Fact]
    public void Subscribe_SecondUniqueSubscription_Throws()
    {
        var broker = NewBroker();
        broker.Subscribe("t", (_, _) => ValueTask.CompletedTask, unique: true);

        var act = () => broker.Subscribe("t", (_, _) => ValueTask.CompletedTask, unique: true);

        act.Should().Throw<ArvoBrokerException>().WithMessage("Only one subscriber allowed per topic: t")
            .Which.Kind.Should().Be(ArvoBrokerErrorKind.NotUnique);
        broker.GetSubscriberCount("t").Should().Be(1);
    }

    [Fact]
    public void Subscribe_AnyOtherSubscriberNextToUnique_Throws()
    {
        var broker = NewBroker();
        broker.Subscribe("t", (_, _) => ValueTask.CompletedTask);
        broker.Subscribe("u", (_, _) => ValueTask.CompletedTask, unique: true);

        var uniqueAfterPlain = () => broker.Subscribe("t", (_, _) => ValueTask.CompletedTask, unique: true);
        var plainAfterUnique = () => broker.Subscribe("u", (_, _) => ValueTask.CompletedTask);

        uniqueAfterPlain.Should().Throw<ArvoBrokerException>().WithMessage("Only one subscriber allowed per topic: t");
        plainAfterUnique.Should().Throw<ArvoBrokerException>().WithMessage("Only one subscriber allowed per topic: u");
    }

    // B-4
    [Fact]
    public async Task PublishAsync_NullTo_ThrowsMissingTo()
    {
        var broker = NewBroker();

        var act = async () => await broker.PublishAsync(WithoutTo("com.test.x"));

        (await act.Should().ThrowAsync<ArvoBrokerException>()).WithMessage("Event must have a \"to\" property")
            .Which.Kind.Should().Be(ArvoBrokerErrorKind.MissingTo);
        broker.RecordedEvents.Should().BeEmpty();
    }

    // B-4
    [Fact]
    public void Subscribe_DisposeLastSubscriber_DropsTopic()
    {
        var broker = NewBroker();
        var first = broker.Subscribe("t", (_, _) => ValueTask.CompletedTask);
        var second = broker.Subscribe("t", (_, _) => ValueTask.CompletedTask);
        broker.Topics.Should().Equal("t");
        broker.GetSubscriberCount("t").Should().Be(2);

        first.Dispose();
        first.Dispose();
        broker.GetSubscriberCount("t").Should().Be(1);
        second.Dispose();

        broker.Topics.Should().BeEmpty();
        broker.GetSubscriberCount("t").Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_PingPongCycle_StopsAtHopBoundNamingBothTypes()
    {
        var broker = NewBroker(maxHops: 10);
        var deliveries = 0;
        broker.Register(DelegateEventHandler.Sync("com.test.ping", e => { deliveries++; return [Make("com.test.pong", subject: e.Subject)]; }));
        broker.Register(DelegateEventHandler.Sync("com.test.pong", e => { deliveries++; return [Make("com.test.ping", subject: e.Subject)]; }));

        await broker.PublishAsync(Make("com.test.ping"));

        deliveries.Should().Be(11);
        var (error, evt) = _errors.Should().ContainSingle().Subject;
        var hop = error.Should().BeOfType<ArvoBrokerException>().Subject;
        hop.Kind.Should().Be(ArvoBrokerErrorKind.HopLimitExceeded);
        hop.EventTypes.Should().Equal("com.test.pong", "com.test.ping");
        hop.Message.Should().Be("Hop limit exceeded: publishing 'com.test.pong' (to 'com.test.pong') would be hop 11 of the chain started by 'com.test.ping', above the maximum of 10 hops per published event. Looping event types: com.test.pong, com.test.ping");
        evt.Type.Should().Be("com.test.ping");
        broker.QueueLength.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_DefaultHopBound_StopsCycleAfter1001Deliveries()
    {
        var deliveries = 0;
        Exception? reported = null;
        var broker = SimpleEventBroker.Create(
            [
                DelegateEventHandler.Sync("com.test.ping", _ => { deliveries++; return [Make("com.test.pong")]; }),
                DelegateEventHandler.Sync("com.test.pong", _ => { deliveries++; return [Make("com.test.ping")]; }),
            ],
            new SimpleEventBrokerOptions { OnError = (e, _) => reported = e });

        await broker.PublishAsync(Make("com.test.ping"));

        broker.Options.MaxHopsPerPublish.Should().Be(1000);
        deliveries.Should().Be(1001);
        reported.Should().BeOfType<ArvoBrokerException>().Which.Kind.Should().Be(ArvoBrokerErrorKind.HopLimitExceeded);
    }

    [Fact]
    public async Task PublishAsync_HopBound_CountsPerOuterPublish()
    {
        var broker = NewBroker(maxHops: 3);
        broker.Register(DelegateEventHandler.Sync("com.test.h1", _ => [Make("com.test.h2")]));
        broker.Register(DelegateEventHandler.Sync("com.test.h2", _ => [Make("com.test.h3")]));
        broker.Register(DelegateEventHandler.Sync("com.test.h3", _ => [Make("com.test.end")]));
        broker.Subscribe("com.test.end", (_, _) => ValueTask.CompletedTask);

        for (var i = 0; i < 5; i++)
        {
            await broker.PublishAsync(Make("com.test.h1"));
        }

        _errors.Should().BeEmpty();
        broker.RecordedEvents.Should().HaveCount(20);
    }

    [Fact]
    public async Task RecordedEvents_CapacityReached_KeepsMostRecent()
    {
        var broker = NewBroker(record: 3);
        var order = new List<string>();
        broker.Subscribe("a.a.a", Publishing(broker, order, "b.b.b", "c.c.c", "d.d.d", "e.e.e"));

        await broker.PublishAsync(Make("a.a.a"));

        broker.RecordedEvents.Select(e => e.Type).Should().Equal("c.c.c", "d.d.d", "e.e.e");
    }

    [Fact]
    public async Task RecordedEvents_Default_IsOff()
    {
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (_, _) => { } });

        await broker.PublishAsync(Make("a.a.a"));

        broker.Options.RecordCapacity.Should().Be(0);
        broker.RecordedEvents.Should().BeEmpty();
    }

    // B-10
    [Fact]
    public async Task Register_DomainedEvent_GoesToCallbackAndIsNotPublished()
    {
        var domained = new List<ArvoDomainedEvent>();
        var handler = DelegateEventHandler.Sync("com.test.svc", e =>
            [Make("evt.test.external", domain: "external"), Make("evt.test.local", to: "com.test.sink")]);
        var broker = SimpleEventBroker.Create([handler], new SimpleEventBrokerOptions
        {
            RecordCapacity = 10,
            OnError = (e, evt) => _errors.Add((e, evt)),
            OnDomainedEvent = (d, _) => { domained.Add(d); return ValueTask.CompletedTask; },
        });
        broker.Subscribe("com.test.sink", (_, _) => ValueTask.CompletedTask);
        var input = Make("com.test.svc");

        await broker.PublishAsync(input);

        var only = domained.Should().ContainSingle().Subject;
        only.Domain.Should().Be("external");
        only.Event.Type.Should().Be("evt.test.external");
        only.Broker.Should().BeSameAs(broker);
        broker.RecordedEvents.Select(e => e.Type).Should().Equal("com.test.svc", "evt.test.local");
        handler.ReceivedOptions.Should().ContainSingle().Which!.InheritFrom.Should().Be(ArvoTraceParentSource.Event);
        _errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Register_DomainedEventWithoutCallback_IsDropped()
    {
        var broker = SimpleEventBroker.Create(
            [DelegateEventHandler.Sync("com.test.svc", _ => [Make("evt.test.external", domain: "external")])],
            new SimpleEventBrokerOptions { RecordCapacity = 10, OnError = (e, evt) => _errors.Add((e, evt)) });

        await broker.PublishAsync(Make("com.test.svc"));

        broker.RecordedEvents.Select(e => e.Type).Should().Equal("com.test.svc");
        _errors.Should().BeEmpty();
    }

    [Fact]
    public void Create_TwoHandlersWithSameSource_Throws()
    {
        var act = () => SimpleEventBroker.Create([DelegateEventHandler.Sync("com.test.a", _ => []), DelegateEventHandler.Sync("com.test.a", _ => [])]);

        act.Should().Throw<ArvoBrokerException>().WithMessage("Only one subscriber allowed per topic: com.test.a");
    }

    [Fact]
    public async Task PublishAsync_ConcurrentOuterPublishes_AllCascadesComplete()
    {
        var delivered = new ConcurrentDictionary<string, int>();
        var broker = SimpleEventBroker.Create(
            [
                new DelegateEventHandler("com.test.step1", async e => { await Task.Yield(); return [Make("com.test.step2", subject: e.Subject)]; }),
                new DelegateEventHandler("com.test.step2", async e => { await Task.Yield(); return [Make("com.test.done", subject: e.Subject)]; }),
            ],
            new SimpleEventBrokerOptions { OnError = (e, evt) => { lock (_errors) { _errors.Add((e, evt)); } } });
        broker.Subscribe("com.test.done", (e, _) => { delivered.AddOrUpdate(e.Subject, 1, (_, n) => n + 1); return ValueTask.CompletedTask; });

        var publishers = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await broker.PublishAsync(Make("com.test.step1", subject: $"s-{t}-{i}"));
            }
        }));
        await Task.WhenAll(publishers);

        delivered.Should().HaveCount(200);
        delivered.Values.Should().OnlyContain(n => n == 1);
        broker.QueueLength.Should().Be(0);
        _errors.Should().BeEmpty();
    }
}
