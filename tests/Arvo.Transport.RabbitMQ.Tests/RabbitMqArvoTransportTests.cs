using System.Collections.Concurrent;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using Arvo.Events;
using Arvo.Transport.RabbitMQ.Tests.TestSupport;
using CloudNative.CloudEvents.SystemTextJson;
using RabbitMQ.Client;

namespace Arvo.Transport.RabbitMQ.Tests;

public sealed class RabbitMqArvoTransportTests
{
    private const string To = "com.test.service";

    [Fact]
    public async Task PublishAsync_NoSubscriberYet_KeepsTheEventAsAStructuredCloudEventAnyClientReads()
    {
        await using var scope = await BrokerScope.CreateAsync();
        scope.Uses(To);
        var transport = scope.Transport();
        var published = RabbitMqTestBroker.Event(To, "subject-raw", 7);

        await transport.PublishAsync(published);

        var queue = scope.Topology.PartitionQueue(To, scope.Topology.PartitionOf(published));
        var raw = await scope.GetAsync(queue);
        raw.Should().NotBeNull($"the event waits in {queue}, the queue of its partition");
        raw!.BasicProperties.ContentType.Should().Be("application/cloudevents+json");
        raw.BasicProperties.DeliveryMode.Should().Be(DeliveryModes.Persistent);
        raw.BasicProperties.MessageId.Should().Be(published.Id);
        raw.Exchange.Should().Be($"{scope.Prefix}.events");
        raw.RoutingKey.Should().Be($"{To}.{scope.Topology.PartitionOf(published)}");
        var body = raw.Body.ToArray();
        Encoding.UTF8.GetString(body).Should().Be(published.ToJson());

        // Any CloudEvents consumer reads it: the CloudEvents SDK's structured-mode JSON formatter, and plain JSON.
        var cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(body, new ContentType(raw.BasicProperties.ContentType!), null);
        (cloudEvent.Id, cloudEvent.Type, cloudEvent.Source?.ToString(), cloudEvent.Subject, cloudEvent.SpecVersion.VersionId)
            .Should().Be((published.Id, "com.test.command", "com.test.sender", "subject-raw", "1.0"));
        cloudEvent["to"].Should().Be(To);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("data").GetProperty("seq").GetInt32().Should().Be(7);
        ArvoEventJson.Parse(body).Should().Be(published);
    }

    [Fact]
    public async Task SubscribeAsync_PublishedEvents_AreDeliveredOnceAndAcknowledged()
    {
        await using var scope = await BrokerScope.CreateAsync();
        scope.Uses(To);
        var transport = scope.Transport();
        var log = new DeliveryLog();
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription([To], log.Acknowledging()));
        var events = Enumerable.Range(0, 10).Select(i => RabbitMqTestBroker.Event(To, $"subject-{i}", i)).ToList();

        foreach (var arvoEvent in events)
        {
            await transport.PublishAsync(arvoEvent);
        }

        await log.WaitForCountAsync(10);
        log.Events.Should().BeEquivalentTo(events);
        log.Deliveries.Select(d => d.DeliveryCount).Should().AllBeEquivalentTo(1);
        transport.PublishGuarantee.Should().Be(ArvoPublishGuarantee.Durable);
        transport.OwnedPartitions.Should().ContainKey(To).WhoseValue.Should().Equal(0, 1, 2, 3);
        await subscription.DisposeAsync();
        for (var partition = 0; partition < 4; partition++)
        {
            (await scope.MessageCountAsync(scope.Topology.PartitionQueue(To, partition))).Should().Be(0, "every delivery was acknowledged");
        }
    }

    [Fact]
    public async Task SubscribeAsync_ManyWorkflowsConcurrently_KeepsEachWorkflowsOrderAndNeverRunsOneWorkflowTwiceAtOnce()
    {
        const int workflows = 24;
        const int perWorkflow = 12;
        await using var scope = await BrokerScope.CreateAsync(partitions: 6);
        scope.Uses(To);
        var transport = scope.Transport();
        var received = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        var inFlight = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var running = 0;
        var maxRunning = 0;
        var total = 0;
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription([To], async (message, token) =>
        {
            var subject = message.Event.Subject;
            if (inFlight.AddOrUpdate(subject, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await Task.Delay(2, token);
            received.GetOrAdd(subject, _ => new ConcurrentQueue<int>()).Enqueue(RabbitMqTestBroker.Sequence(message.Event));
            Interlocked.Decrement(ref running);
            inFlight.AddOrUpdate(subject, 0, (_, n) => n - 1);
            await message.AckAsync(token);
            Interlocked.Increment(ref total);
        }) { MaxConcurrency = 4 });

        // Each workflow publishes in order; the workflows publish in parallel.
        await Task.WhenAll(Enumerable.Range(0, workflows).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWorkflow; i++)
            {
                await transport.PublishAsync(RabbitMqTestBroker.Event(To, $"workflow-{w}", i));
            }
        })));
        await RabbitMqTestBroker.WaitUntilAsync(() => Volatile.Read(ref total) == workflows * perWorkflow, "every event to be consumed");

        received.Keys.Should().HaveCount(workflows);
        received.Values.Should().AllSatisfy(sequence => sequence.Should().Equal(Enumerable.Range(0, perWorkflow)));
        overlaps.Should().Be(0, "one workflow's events never run concurrently");
        maxRunning.Should().BeInRange(2, 4, "different workflows run in parallel, up to MaxConcurrency");
    }

    [Fact]
    public async Task NackAsync_WithRequeue_RedeliversTheMessageBeforeTheWorkflowsNextOne()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 1);
        scope.Uses(To);
        var transport = scope.Transport();
        var log = new DeliveryLog();
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription([To], async (message, token) =>
        {
            log.Add(message);
            if (RabbitMqTestBroker.Sequence(message.Event) == 0 && message.DeliveryCount < 3)
            {
                await message.NackAsync(requeue: true, token);
                return;
            }

            await message.AckAsync(token);
        }));
        var first = RabbitMqTestBroker.Event(To, "subject-nack", 0);
        var second = RabbitMqTestBroker.Event(To, "subject-nack", 1);

        await transport.PublishAsync(first);
        await transport.PublishAsync(second);
        await log.WaitForCountAsync(4);

        log.Deliveries.Select(d => (d.Event.Id, d.DeliveryCount)).Should().Equal((first.Id, 1), (first.Id, 2), (first.Id, 3), (second.Id, 1));
    }

    [Fact]
    public async Task NackAsync_WithoutRequeue_MovesTheMessageToTheDeadLetterQueue()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 1);
        scope.Uses(To);
        var transport = scope.Transport();
        var log = new DeliveryLog();
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription([To], async (message, token) =>
        {
            log.Add(message);
            await message.NackAsync(requeue: false, token);
        }));
        var rejected = RabbitMqTestBroker.Event(To, "subject-reject");

        await transport.PublishAsync(rejected);
        await log.WaitForCountAsync(1);

        BasicGetResult? dead = null;
        await RabbitMqTestBroker.WaitUntilAsync(() => (dead = scope.GetAsync(scope.Topology.DeadLetterQueue).GetAwaiter().GetResult()) is not null, "the dead letter");
        ArvoEventJson.Parse(dead!.Body.Span).Should().Be(rejected);
        dead.BasicProperties.Headers.Should().ContainKey("x-death", "the broker dead-lettered it from the partition queue");
    }

    [Fact]
    public async Task Subscriber_ConnectionDropsBeforeTheAck_TheBrokerRedeliversTheMessageToTheNextHost()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 2);
        scope.Uses(To);
        var crashing = scope.Transport();
        var received = new TaskCompletionSource<ArvoTransportMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        await crashing.SubscribeAsync(new ArvoSubscription([To], async (message, token) =>
        {
            received.TrySetResult(message);
            await never.Task.WaitAsync(token); // Never acknowledges: the process "dies" first.
        }));
        var published = RabbitMqTestBroker.Event(To, "subject-crash");
        await crashing.PublishAsync(published);
        (await received.Task.WaitAsync(RabbitMqTestBroker.Deadline)).DeliveryCount.Should().Be(1);

        await crashing.SimulateCrashAsync();
        var survivor = scope.Transport();
        var log = new DeliveryLog();
        await using var subscription = await survivor.SubscribeAsync(new ArvoSubscription([To], log.Acknowledging()));
        await log.WaitForCountAsync(1);

        log.Deliveries.Should().ContainSingle().Which.Should().Be((published, 2));
    }

    [Fact]
    public async Task Subscriber_BodyThatIsNotACloudEvent_IsDeadLetteredAsInvalidEventAndTheNextMessageIsConsumed()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 1);
        scope.Uses(To);
        var transport = scope.Transport();
        var log = new DeliveryLog();
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription([To], log.Acknowledging()));
        await using (var channel = await scope.Raw.CreateChannelAsync())
        {
            var properties = new BasicProperties { ContentType = "text/plain", MessageId = "not-an-event" };
            await channel.BasicPublishAsync(scope.Topology.EventsExchange, scope.Topology.RoutingKey(To, 0), mandatory: true, properties, "hello, not JSON"u8.ToArray());
        }

        var valid = RabbitMqTestBroker.Event(To, "subject-after");
        await transport.PublishAsync(valid);
        await log.WaitForCountAsync(1);

        log.Events.Should().Equal(valid);
        var dead = await scope.GetAsync(scope.Topology.DeadLetterQueue);
        dead.Should().NotBeNull();
        Encoding.UTF8.GetString(dead!.Body.Span).Should().Be("hello, not JSON");
        dead.BasicProperties.ContentType.Should().Be("text/plain");
        dead.BasicProperties.MessageId.Should().Be("not-an-event");
        var headers = dead.BasicProperties.Headers!;
        Text(headers[RabbitMqDeadLetterHeaders.Reason]).Should().Be("InvalidEvent");
        Text(headers[RabbitMqDeadLetterHeaders.ErrorType]).Should().Be("ArvoEventValidationException");
        Text(headers[RabbitMqDeadLetterHeaders.Detail]).Should().NotBeNullOrEmpty();
        headers[RabbitMqDeadLetterHeaders.Attempts].Should().Be(0);
        Text(headers[RabbitMqDeadLetterHeaders.Destination]).Should().Be(To);
        (await scope.MessageCountAsync(scope.Topology.PartitionQueue(To, 0))).Should().Be(0, "the invalid message was acknowledged, not crash-looped");
        scope.Logs.GetSnapshot().Should().ContainSingle(record => record.Id.Id == 105);
    }

    [Fact]
    public async Task PublishAsync_EventWithoutTo_IsDeadLetteredAsNoDestination()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 1);
        var transport = scope.Transport();
        // ArvoEvent.Create defaults 'to' to the type; a plain CloudEvent (not Arvo's content type) read from another producer may have none.
        var created = ArvoEvent.Create(new ArvoEventInit
        {
            Source = "com.test.sender",
            Type = "com.test.orphan",
            Subject = "s",
            DataContentType = "application/json",
            Data = new Dictionary<string, object?>(),
        });
        var orphan = ArvoEventJson.Parse(created.ToJson().Replace("\"to\":\"com.test.orphan\"", "\"to\":null", StringComparison.Ordinal));
        orphan.To.Should().BeNull();

        await transport.PublishAsync(orphan);

        var dead = await scope.GetAsync(scope.Topology.DeadLetterQueue);
        ArvoEventJson.Parse(dead!.Body.Span).Should().Be(orphan);
        Text(dead.BasicProperties.Headers![RabbitMqDeadLetterHeaders.Reason]).Should().Be("NoDestination");
    }

    [Fact]
    public async Task PublishAsync_QueuesDeletedAfterTheFirstPublish_DeclaresThemAgainInsteadOfDroppingTheEvent()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 1);
        scope.Uses(To);
        var transport = scope.Transport();
        await transport.PublishAsync(RabbitMqTestBroker.Event(To, "s", 0));
        await using (var channel = await scope.Raw.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(scope.Topology.PartitionQueue(To, 0), ifUnused: false, ifEmpty: false);
        }

        var again = RabbitMqTestBroker.Event(To, "s", 1);
        await transport.PublishAsync(again);

        var kept = await scope.GetAsync(scope.Topology.PartitionQueue(To, 0));
        ArvoEventJson.Parse(kept!.Body.Span).Should().Be(again);
        scope.Logs.GetSnapshot().Should().ContainSingle(record => record.Id.Id == 109);
    }

    internal static string? Text(object? header) => header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString();

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
