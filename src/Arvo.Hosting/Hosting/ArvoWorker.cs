using Arvo.Dispatch;
using Arvo.Telemetry;
using Arvo.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arvo.Hosting;

/// <summary>
/// The hosted worker. At start: builds every registered handler (a bad contract or machine fails the host, naming it),
/// runs the start-up tasks (store schemas), consumes the transport, then publishes what a crash left in the outboxes;
/// the relay runs again every <see cref="ArvoHostingOptions.OutboxRelayInterval"/>. At stop: stops consuming and waits
/// for the executions in flight, which finish and settle their messages unless the host's shutdown timeout passes first
/// (then they are cancelled).
/// </summary>
internal sealed class ArvoWorker(
    IServiceProvider services,
    IOptions<ArvoHostingOptions> options,
    ArvoStartupTasks startupTasks,
    TimeProvider timeProvider,
    ILogger<ArvoWorker> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    // Cancels the executions in flight: when the host's shutdown timeout passes during a stop, or at dispose. A stop
    // alone does not, so that an execution that has done its work can still acknowledge its message.
    private readonly CancellationTokenSource _abandon = new();
    private IAsyncDisposable? _subscription;
    private Task _relayLoop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var registry = services.GetRequiredService<ArvoHandlerRegistry>();
        foreach (var task in startupTasks.Tasks)
        {
            await task(services, cancellationToken).ConfigureAwait(false);
        }

        if (settings.RunWorker && registry.Destinations.Count > 0)
        {
            var transport = services.GetRequiredService<IArvoTransport>();
            var dispatcher = services.GetRequiredService<IArvoDispatcher>();
            _subscription = await transport.SubscribeAsync(
                new ArvoSubscription(registry.Destinations, (message, token) => ConsumeAsync(dispatcher, message, token)) { MaxConcurrency = settings.MaxConcurrency },
                cancellationToken).ConfigureAwait(false);
            ArvoHostingLog.WorkerStarted(logger, string.Join(", ", registry.Destinations), settings.MaxConcurrency);
        }

        // After subscribing: an in-process transport delivers only to subscribers present when the event is published.
        var relay = services.GetRequiredService<ArvoOutboxRelayRunner>();
        await relay.RelayAsync(cancellationToken).ConfigureAwait(false);
        _relayLoop = RelayPeriodicallyAsync(relay, settings.OutboxRelayInterval, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Stopped and disposed already: a host can be stopped twice (WebApplication.RunAsync disposes its host while
            // WebApplicationFactory is still stopping it).
            return;
        }

        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            using (cancellationToken.UnsafeRegister(static abandon => ((CancellationTokenSource)abandon!).Cancel(), _abandon))
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
        }

        await _relayLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
        ArvoHostingLog.WorkerStopped(logger);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            // Disposed without a stop: nothing bounds the executions in flight any more, so they are cancelled.
            await _abandon.CancelAsync().ConfigureAwait(false);
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _abandon.Dispose();
    }

    private async ValueTask ConsumeAsync(IArvoDispatcher dispatcher, ArvoTransportMessage message, CancellationToken transportToken)
    {
        // Cancelled by the transport (it lost the message's channel, or stops without waiting) or by the worker (the
        // host's shutdown timeout passed); a graceful stop alone lets the execution finish and settle its message.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(transportToken, _abandon.Token);
        var cancellationToken = linked.Token;
        try
        {
            await dispatcher.DispatchAsync(message.Event, ArvoDispatchOptions.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await message.NackAsync(requeue: true, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (Exception error)
        {
            // Publishing failed after the execution was stored: a redelivery is answered from the inbox and publishes again.
            ArvoHostingLog.DeliveryFailed(logger, error, message.DeliveryCount, message.Event.Id, message.Event.Type);
            await message.NackAsync(requeue: true, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        await message.AckAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RelayPeriodicallyAsync(ArvoOutboxRelayRunner relay, TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await relay.RelayAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    ArvoHostingLog.RelayFailed(logger, error, interval);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
