using Arvo.Transport.RabbitMQ.Tests.TestSupport;

namespace Arvo.Transport.RabbitMQ.Tests;

/// <summary>Restarts the shared broker, so it runs alone (after every other test class).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerRestartCollection
{
    public const string Name = "broker restart";
}

[Collection(BrokerRestartCollection.Name)]
[Trait("Category", "BrokerRestart")]
public sealed class RabbitMqBrokerRestartTests
{
    private const string To = "com.test.restart";

    [Fact]
    public async Task BrokerRestart_TheTransportReconnectsAndConsumesAgainWithoutLosingOrRedeliveringAcknowledgedWork()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 4);
        scope.Uses(To);
        var transport = scope.Transport();
        var log = new DeliveryLog();
        await using var subscription = await transport.SubscribeAsync(new ArvoSubscription([To], log.Acknowledging()));
        var before = Enumerable.Range(0, 20).Select(i => RabbitMqTestBroker.Event(To, $"workflow-{i}", i)).ToList();
        foreach (var arvoEvent in before)
        {
            await transport.PublishAsync(arvoEvent);
        }

        await log.WaitForCountAsync(20);

        await RabbitMqTestBroker.RabbitMqCtlAsync("stop_app");
        await RabbitMqTestBroker.RabbitMqCtlAsync("start_app");
        var after = Enumerable.Range(0, 20).Select(i => RabbitMqTestBroker.Event(To, $"workflow-{i}", 100 + i)).ToList();
        foreach (var arvoEvent in after)
        {
            await transport.PublishAsync(arvoEvent);
        }

        await log.WaitForCountAsync(40);
        await RabbitMqTestBroker.WaitUntilAsync(
            () => transport.OwnedPartitions.TryGetValue(To, out var owned) && owned.Count == 4, "the transport to own its 4 partitions again");
        for (var partition = 0; partition < 4; partition++)
        {
            (await scope.MessageCountAsync(scope.Topology.PartitionQueue(To, partition))).Should().Be(0);
        }

        log.Deliveries.Should().HaveCount(40, "no acknowledged message came back after the restart");
        log.Events.Should().BeEquivalentTo(before.Concat(after));
        log.Deliveries.Select(d => d.DeliveryCount).Should().AllBeEquivalentTo(1);
        scope.Logs.GetSnapshot().Where(record => record.Id.Id == 101).Should().NotBeEmpty("the lost connection was logged");
    }
}
