using Arvo.Dispatch;
using Arvo.Handlers;
using Arvo.Hosting.Tests.TestSupport;
using Arvo.Samples.Counter;
using Arvo.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Arvo.Hosting.Tests.Dispatch;

public sealed class ArvoEventPublisherTests
{
    [Fact]
    public async Task PublishEmittedAsync_ReplayedEventStillInFlight_IsNotQueuedASecondTime()
    {
        // Found by the SIGKILL drill of the hosted worker: after a restart the relay republished a pending notification,
        // a re-executed command's answer was then answered from the inbox, and the replay queued the same notification
        // again, so the notification service executed it twice.
        var release = new TaskCompletionSource<ArvoExecutionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ScriptedHandler(CounterContracts.IncrementType, (_, cancellationToken) => new ValueTask<ArvoExecutionResult>(release.Task.WaitAsync(cancellationToken)));
        using var host = TestHosts.Build(arvo => arvo.AddOrchestrator(o => o.Machines(CounterMachine.Create())).AddHandler(service));
        await host.StartAsync();
        var dispatcher = host.Services.GetRequiredService<IArvoDispatcher>();
        var channel = (ChannelArvoTransport)host.Services.GetRequiredService<IArvoTransport>();
        var init = CounterWorkflows.CreateInit("increment", 5);
        var first = await dispatcher.DispatchAsync(init);
        await TestHosts.WaitUntilAsync(() => service.Calls == 1, "the service to receive the command");

        var replayed = await dispatcher.DispatchAsync(init);

        replayed.Execution!.Outcome.Should().Be(ArvoExecutionOutcome.Replayed);
        replayed.Emitted.Select(e => e.Id).Should().Equal(first.Emitted.Select(e => e.Id));
        channel.QueuedCount.Should().Be(0, "the command is still being consumed; the relay republishes it if this process dies");
        release.SetResult(ArvoExecutionResult.Empty);
        await host.StopAsync();
        service.Calls.Should().Be(1);
    }

    [Fact]
    public async Task PublishEmittedAsync_PublishFailed_TheRedeliveryPublishesTheEventsAgain()
    {
        // An event that could not be published is not left "in flight": the redelivery answered from the inbox
        // publishes it (it is not skipped as already queued).
        var service = new ScriptedHandler(CounterContracts.IncrementType, ScriptedHandler.Succeed());
        FailingOnceTransport? transport = null;
        using var host = TestHosts.Build(arvo => arvo
            .AddOrchestrator(o => o.Machines(CounterMachine.Create()))
            .AddHandler(service)
            .UseTransport(services =>
            {
                var settlements = services.GetRequiredService<InProcessSettlements>();
                return transport = new FailingOnceTransport(new ChannelArvoTransport(new ChannelArvoTransportOptions
                {
                    OnSettled = (arvoEvent, cancellationToken) => settlements.SettleAsync(arvoEvent.Id, cancellationToken),
                }));
            }));
        await host.StartAsync();
        var dispatcher = host.Services.GetRequiredService<IArvoDispatcher>();
        var init = CounterWorkflows.CreateInit("increment", 5);

        var failed = async () => await dispatcher.DispatchAsync(init);
        await failed.Should().ThrowAsync<IOException>();
        var redelivered = await dispatcher.DispatchAsync(init);

        redelivered.Execution!.Outcome.Should().Be(ArvoExecutionOutcome.Replayed);
        await TestHosts.WaitUntilAsync(() => service.Calls == 1, "the service to receive the republished command");
        transport!.Failures.Should().Be(1);
        await host.StopAsync();
    }

    /// <summary>An in-process transport whose first publish fails.</summary>
    private sealed class FailingOnceTransport(ChannelArvoTransport inner) : IArvoTransport
    {
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        public ArvoPublishGuarantee PublishGuarantee => inner.PublishGuarantee;

        public ValueTask PublishAsync(ArvoEvent arvoEvent, CancellationToken cancellationToken = default) =>
            Interlocked.CompareExchange(ref _failures, 1, 0) == 0
                ? throw new IOException("The broker connection dropped.")
                : inner.PublishAsync(arvoEvent, cancellationToken);

        public ValueTask<IAsyncDisposable> SubscribeAsync(ArvoSubscription subscription, CancellationToken cancellationToken = default) =>
            inner.SubscribeAsync(subscription, cancellationToken);
    }
}
