using Arvo.Dispatch;
using Arvo.Hosting;
using Arvo.Hosting.Tests.TestSupport;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Arvo.Transport.RabbitMQ.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Arvo.Transport.RabbitMQ.Tests;

/// <summary>A generic host (AddArvo + UseRabbitMqTransport) running the counter system over the broker.</summary>
public sealed class RabbitMqArvoHostTests
{
    [Fact]
    public async Task CounterWorkflow_OverTheBroker_CompletesMarksTheOutboxPublishedAndDeadLettersNothing()
    {
        await using var scope = await BrokerScope.CreateAsync();
        using var host = TestHosts.Build(arvo =>
        {
            Counter(arvo);
            arvo.UseRabbitMqTransport(options =>
            {
                options.Uri = RabbitMqTestBroker.Uri;
                options.Prefix = scope.Prefix;
                options.Partitions = scope.Topology.Partitions;
                options.RebalanceInterval = TimeSpan.FromMilliseconds(100);
                options.ConnectionName = $"arvo-tests host {scope.Prefix}";
            });
        });
        scope.Uses([.. host.Services.GetRequiredService<IArvoDispatcher>().Registry.Destinations, CounterWorkflows.DefaultInitiator]);
        await host.StartAsync();
        await using var client = await host.ListenAsync(CounterWorkflows.DefaultInitiator);
        var transport = host.Services.GetRequiredService<IArvoTransport>();
        var increment = CounterWorkflows.CreateInit("increment", 5);
        var decrement = CounterWorkflows.CreateInit("decrement", 3);

        await transport.PublishAsync(increment);
        await transport.PublishAsync(decrement);
        await TestHosts.WaitUntilAsync(() => client.Events.Count(e => e.Type == CounterContracts.CompleteType) == 2, "both completions");

        var finals = client.Events.ToDictionary(e => e.Subject, CounterWorkflows.GetFinal);
        finals.Should().BeEquivalentTo(new Dictionary<string, double> { [increment.Subject] = 5, [decrement.Subject] = -3 });
        var memory = host.Services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>();
        ((MachineMemoryStateRecord)(await memory.ReadAsync(increment.Subject))!.Record).Status.Should().Be("done");
        (await memory.ReadPendingOutboxAsync(10)).Should().BeEmpty("a confirmed publish marks the outbox event published at once");
        (await scope.MessageCountAsync(scope.Topology.DeadLetterQueue)).Should().Be(0);
        await host.StopAsync();
    }

    [Fact]
    public async Task UnknownDestination_OverTheBroker_IsDeadLetteredWithItsReasonAndAcknowledged()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 1);
        using var host = TestHosts.Build(arvo =>
        {
            Counter(arvo);
            arvo.UseRabbitMqTransport(options =>
            {
                options.Uri = RabbitMqTestBroker.Uri;
                options.Prefix = scope.Prefix;
                options.Partitions = 1;
                options.RebalanceInterval = TimeSpan.FromMilliseconds(100);
            });
        });
        scope.Uses([.. host.Services.GetRequiredService<IArvoDispatcher>().Registry.Destinations]);
        await host.StartAsync();

        // Published with the increment handler's routing key, but addressed to nobody this host knows.
        var stray = RabbitMqTestBroker.Event(CounterContracts.IncrementType, "subject-stray");
        var json = stray.ToJson().Replace($"\"to\":\"{CounterContracts.IncrementType}\"", "\"to\":\"com.nobody\"", StringComparison.Ordinal);
        await using (var channel = await scope.RawChannelAsync())
        {
            await channel.BasicPublishAsync(
                scope.Topology.EventsExchange, scope.Topology.RoutingKey(CounterContracts.IncrementType, 0), mandatory: true,
                new global::RabbitMQ.Client.BasicProperties { ContentType = "application/cloudevents+json" }, System.Text.Encoding.UTF8.GetBytes(json));
        }

        global::RabbitMQ.Client.BasicGetResult? dead = null;
        await RabbitMqTestBroker.WaitUntilAsync(() => (dead = scope.GetAsync(scope.Topology.DeadLetterQueue).GetAwaiter().GetResult()) is not null, "the dead letter");
        RabbitMqArvoTransportTests.Text(dead!.BasicProperties.Headers![RabbitMqDeadLetterHeaders.Reason]).Should().Be(nameof(ArvoDeadLetterReason.UnknownDestination));
        RabbitMqArvoTransportTests.Text(dead.BasicProperties.Headers[RabbitMqDeadLetterHeaders.Destination]).Should().Be("com.nobody");
        await host.StopAsync();
        (await scope.MessageCountAsync(scope.Topology.PartitionQueue(CounterContracts.IncrementType, 0)))
            .Should().Be(0, "the delivery was acknowledged (closing the host's channels requeues what is not)");
    }

    private static void Counter(ArvoBuilder arvo)
    {
        arvo.AddOrchestrator(orchestrator => orchestrator.Machines(CounterMachine.Create()));
        foreach (var handler in CounterHandlers.CreateAll())
        {
            arvo.AddHandler(handler);
        }
    }
}
