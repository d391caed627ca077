using Arvo.Dispatch;
using Arvo.Handlers;
using Arvo.Hosting;
using Arvo.Hosting.Tests.TestSupport;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Arvo.Transport.RabbitMQ.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Arvo.Transport.RabbitMQ.Tests;

/// <summary>A generic host (AddArvo + UseRabbitMqTransport) running the counter system over the broker.</summary>
public sealed class RabbitMqArvoHostTests
{
    private const string SlowDestination = "com.test.slow";

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
        // The completion can reach the listener before the worker marks its outbox entry published (after the broker's
        // confirm), so the outbox is polled, not read once: every entry is marked, none is left pending.
        await TestHosts.WaitUntilAsync(async () => (await memory.ReadPendingOutboxAsync(10)).Count == 0, "every outbox event to be marked published");
        (await memory.ReadPendingOutboxAsync(10)).Should().BeEmpty("a confirmed publish marks the outbox event published");
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

    [Fact]
    public async Task Stop_WithADeliveryInFlight_LetsItFinishAndAcknowledgesItBeforeClosingItsChannel()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 1);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopReachedTheTransport = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelledInFlight = (bool?)null;
        var slow = new ScriptedHandler(SlowDestination, async (_, cancellationToken) =>
        {
            // Still executing when the stop begins: a stop that cancelled it, or closed the channel first, loses its ack.
            started.TrySetResult();
            await stopReachedTheTransport.Task;
            cancelledInFlight = cancellationToken.IsCancellationRequested;
            return ArvoExecutionResult.Empty;
        });
        using var host = HostWith(scope, slow);
        await host.StartAsync();
        var transport = host.Services.GetRequiredService<RabbitMqArvoTransport>();
        await transport.PublishAsync(RabbitMqTestBroker.Event(SlowDestination, "subject-slow"));
        await started.Task.WaitAsync(RabbitMqTestBroker.Deadline);

        var stopping = host.StopAsync();
        // The subscription's dispose hands its partitions back first: from then on the stop is at the partition.
        await RabbitMqTestBroker.WaitUntilAsync(() => transport.OwnedPartitions.Count == 0, "the stop to reach the subscription");
        stopping.IsCompleted.Should().BeFalse("the stop waits for the delivery in flight");
        stopReachedTheTransport.SetResult();
        await stopping.WaitAsync(RabbitMqTestBroker.Deadline);

        slow.Calls.Should().Be(1);
        cancelledInFlight.Should().BeFalse("a graceful stop does not cancel the execution in flight");
        (await scope.MessageCountAsync(scope.Topology.PartitionQueue(SlowDestination, 0)))
            .Should().Be(0, "the delivery was acknowledged before its channel closed (closing it requeues what is not)");
    }

    [Fact]
    public async Task Stop_ShutdownTimeoutPassesWithADeliveryInFlight_CancelsItAndTheBrokerKeepsTheMessage()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 1);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = new ScriptedHandler(SlowDestination, async (_, cancellationToken) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return ArvoExecutionResult.Empty;
        });
        using var host = HostWith(scope, stuck);
        await host.StartAsync();
        var transport = host.Services.GetRequiredService<RabbitMqArvoTransport>();
        await transport.PublishAsync(RabbitMqTestBroker.Event(SlowDestination, "subject-stuck"));
        await started.Task.WaitAsync(RabbitMqTestBroker.Deadline);

        // The host's shutdown timeout, passing while the stop waits for the execution.
        using var shutdownTimeout = new CancellationTokenSource();
        var stopping = host.StopAsync(shutdownTimeout.Token);
        await RabbitMqTestBroker.WaitUntilAsync(() => transport.OwnedPartitions.Count == 0, "the stop to reach the subscription");
        stopping.IsCompleted.Should().BeFalse("the stop waits for the delivery in flight until the timeout");
        await shutdownTimeout.CancelAsync();
        await stopping.WaitAsync(RabbitMqTestBroker.Deadline);

        stuck.Calls.Should().Be(1);
        (await scope.MessageCountAsync(scope.Topology.PartitionQueue(SlowDestination, 0)))
            .Should().Be(1, "the cancelled execution did not acknowledge its delivery, so closing the channel requeued it");
    }

    private static IHost HostWith(BrokerScope scope, ScriptedHandler handler)
    {
        scope.Uses(handler.Source);
        return TestHosts.Build(arvo =>
        {
            arvo.AddHandler(handler);
            arvo.UseRabbitMqTransport(options =>
            {
                options.Uri = RabbitMqTestBroker.Uri;
                options.Prefix = scope.Prefix;
                options.Partitions = 1;
                options.RebalanceInterval = TimeSpan.FromMilliseconds(100);
            });
        });
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
