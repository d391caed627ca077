using Arvo.Transport.RabbitMQ.Tests.TestSupport;

namespace Arvo.Transport.RabbitMQ.Tests;

/// <summary>Two transports on one prefix are two hosts: they split the partitions, and one takes over the other's.</summary>
public sealed class RabbitMqPartitionBalancingTests
{
    private const string To = "com.test.shared";
    private const int Partitions = 8;

    [Fact]
    public async Task TwoHosts_SplitThePartitionsAndWhenOneIsKilledTheOtherTakesAllAndConsumesEverything()
    {
        await using var scope = await BrokerScope.CreateAsync(Partitions);
        scope.Uses(To);
        var first = scope.Transport();
        var second = scope.Transport();
        var firstLog = new DeliveryLog();
        var secondLog = new DeliveryLog();
        await first.SubscribeAsync(new ArvoSubscription([To], firstLog.Acknowledging()));
        Owned(first).Should().HaveCount(Partitions, "a lone host consumes every partition");

        await using var secondSubscription = await second.SubscribeAsync(new ArvoSubscription([To], secondLog.Acknowledging()));
        await RabbitMqTestBroker.WaitUntilAsync(() => Owned(first).Count == 4 && Owned(second).Count == 4, "each host to own 4 of 8 partitions");

        Owned(first).Concat(Owned(second)).Order().Should().Equal(Enumerable.Range(0, Partitions), "every partition has exactly one owner");
        var before = Enumerable.Range(0, 64).Select(i => RabbitMqTestBroker.Event(To, $"workflow-{i}", i)).ToList();
        foreach (var arvoEvent in before)
        {
            await first.PublishAsync(arvoEvent);
        }

        await RabbitMqTestBroker.WaitUntilAsync(() => firstLog.Count + secondLog.Count == 64, "the 64 events");
        firstLog.Count.Should().BeGreaterThan(0);
        secondLog.Count.Should().BeGreaterThan(0);
        firstLog.Events.Concat(secondLog.Events).Should().BeEquivalentTo(before);

        // The first host dies: its connection drops, its exclusive consumers and its membership vanish.
        await first.SimulateCrashAsync();
        await RabbitMqTestBroker.WaitUntilAsync(() => Owned(second).Count == Partitions, "the survivor to own all 8 partitions");
        var after = Enumerable.Range(0, 64).Select(i => RabbitMqTestBroker.Event(To, $"workflow-{i}", 100 + i)).ToList();
        foreach (var arvoEvent in after)
        {
            await second.PublishAsync(arvoEvent);
        }

        await RabbitMqTestBroker.WaitUntilAsync(() => secondLog.Count + firstLog.Count == 128, "the 64 later events");
        secondLog.Events.Where(e => RabbitMqTestBroker.Sequence(e) >= 100).Should().BeEquivalentTo(after);
    }

    [Fact]
    public async Task TwoHosts_OneIsDisposed_TheOtherClaimsItsPartitions()
    {
        await using var scope = await BrokerScope.CreateAsync(Partitions);
        scope.Uses(To);
        var first = scope.Transport();
        var second = scope.Transport();
        var firstSubscription = await first.SubscribeAsync(new ArvoSubscription([To], new DeliveryLog().Acknowledging()));
        await using var secondSubscription = await second.SubscribeAsync(new ArvoSubscription([To], new DeliveryLog().Acknowledging()));
        await RabbitMqTestBroker.WaitUntilAsync(() => Owned(first).Count == 4 && Owned(second).Count == 4, "each host to own 4 of 8 partitions");

        await firstSubscription.DisposeAsync();

        await RabbitMqTestBroker.WaitUntilAsync(() => Owned(second).Count == Partitions, "the remaining host to own all 8 partitions");
        Owned(first).Should().BeEmpty();
    }

    [Fact]
    public async Task Rebalance_PartitionHandedOver_TheNewOwnerGetsTheWorkflowsNextMessageOnlyAfterTheOldOwnerFinishedItsMessageInFlight()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 2);
        scope.Uses(To);
        var subject = Enumerable.Range(0, 100).Select(i => $"handover-{i}").First(s => scope.Topology.PartitionOf(s) == 1);
        var timeline = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finishFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = scope.Transport();
        var second = scope.Transport();
        var secondLog = new DeliveryLog();
        await first.SubscribeAsync(new ArvoSubscription([To], async (message, token) =>
        {
            timeline.Enqueue($"first started {RabbitMqTestBroker.Sequence(message.Event)}");
            firstStarted.TrySetResult();
            await finishFirst.Task;
            timeline.Enqueue($"first finished {RabbitMqTestBroker.Sequence(message.Event)}");
            await message.AckAsync(token);
        }));
        await first.PublishAsync(RabbitMqTestBroker.Event(To, subject, 0));
        await first.PublishAsync(RabbitMqTestBroker.Event(To, subject, 1));
        await firstStarted.Task.WaitAsync(RabbitMqTestBroker.Deadline);

        // A second host joins: the first gives up partition 1 (the workflow's), but only after its message in flight.
        await using var secondSubscription = await second.SubscribeAsync(new ArvoSubscription([To], async (message, token) =>
        {
            timeline.Enqueue($"second started {RabbitMqTestBroker.Sequence(message.Event)}");
            secondLog.Add(message);
            await message.AckAsync(token);
        }));
        await RabbitMqTestBroker.WaitUntilAsync(() => Owned(first).SequenceEqual([0]), "the first host to start releasing partition 1");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // Five rebalances of the second host, in which it must not get the partition.
        Owned(second).Should().BeEmpty("partition 1 is still held by the first host's consumer, and partition 0 is the first host's share");
        finishFirst.SetResult();
        await secondLog.WaitForCountAsync(1);

        timeline.Should().Equal("first started 0", "first finished 0", "second started 1");
        secondLog.Deliveries.Should().ContainSingle().Which.DeliveryCount.Should().Be(2, "the first host had it prefetched; closing its channel requeued it");
        Owned(second).Should().Equal(1);
    }

    private static IReadOnlyList<int> Owned(RabbitMqArvoTransport transport) =>
        transport.OwnedPartitions.TryGetValue(To, out var owned) ? owned : [];
}
