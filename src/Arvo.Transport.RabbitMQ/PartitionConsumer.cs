using System.Globalization;
using System.Threading.Channels;
using Arvo.Events;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Arvo.Transport.RabbitMQ;

/// <summary>
/// The exclusive consumer of one partition queue, on a channel of its own (a refused exclusive consume closes its
/// channel, and the prefetch applies per partition). Hands the queue's messages to the subscriber one at a time.
/// </summary>
internal sealed class PartitionConsumer : IAsyncDisposable
{
    private readonly RabbitMqSubscription _owner;
    private readonly IChannel _channel;
    private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private volatile bool _draining;
    private volatile string? _lostReason;
    private int _closing;

    private PartitionConsumer(RabbitMqSubscription owner, string destination, int partition, string queue, IChannel channel)
    {
        _owner = owner;
        Destination = destination;
        Partition = partition;
        Queue = queue;
        _channel = channel;
    }

    public string Destination { get; }

    public int Partition { get; }

    public string Queue { get; }

    /// <summary>Why it stopped consuming by itself (channel or connection closed, consumer cancelled by the broker); null while it consumes.</summary>
    public string? LostReason => _lostReason;

    /// <summary>Consumes <paramref name="queue"/> exclusively, or returns null when another consumer holds it.</summary>
    public static async ValueTask<PartitionConsumer?> TryClaimAsync(
        RabbitMqSubscription owner, IConnection connection, string destination, int partition, string queue, ushort prefetch, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var consumer = new PartitionConsumer(owner, destination, partition, queue, channel);
        try
        {
            await channel.BasicQosAsync(0, prefetch, global: false, cancellationToken).ConfigureAwait(false);
            var basicConsumer = new AsyncEventingBasicConsumer(channel);
            basicConsumer.ReceivedAsync += consumer.OnReceivedAsync;
            basicConsumer.ShutdownAsync += consumer.OnShutdownAsync;
            basicConsumer.UnregisteredAsync += consumer.OnUnregisteredAsync;
            await channel.BasicConsumeAsync(queue, autoAck: false, consumerTag: "", noLocal: false, exclusive: true, arguments: null, basicConsumer, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException refused) when (refused.ShutdownReason?.ReplyCode == Constants.AccessRefused)
        {
            // Another host's exclusive consumer holds the partition (it claimed it since we looked).
            await DisposeQuietlyAsync(channel).ConfigureAwait(false);
            return null;
        }
        catch
        {
            await DisposeQuietlyAsync(channel).ConfigureAwait(false);
            throw;
        }

        consumer._loop = Task.Run(() => consumer.ConsumeAsync(consumer._stopping.Token), CancellationToken.None);
        return consumer;
    }

    /// <summary>
    /// Stops taking messages, lets the one in flight finish (its subscriber's token is not cancelled, so it can settle
    /// it), then closes the channel (the broker requeues the prefetched ones in order). A rebalance's release and a
    /// graceful stop; the subscriber bounds its own message (the Arvo worker by the host's shutdown timeout).
    /// </summary>
    public async ValueTask ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _draining = true;
        _deliveries.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Cancels the message in flight (its subscriber sees the token cancelled), waits for it, and closes the channel:
    /// for a channel or connection that is gone already, where nothing in flight can be acknowledged any more.
    /// </summary>
    public async ValueTask StopAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _draining = true;
        _deliveries.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => StopAsync();

    internal async ValueTask AckAsync(ulong deliveryTag, CancellationToken cancellationToken) =>
        await _channel.BasicAckAsync(deliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);

    internal async ValueTask RejectAsync(ulong deliveryTag, CancellationToken cancellationToken) =>
        await _channel.BasicNackAsync(deliveryTag, multiple: false, requeue: false, cancellationToken).ConfigureAwait(false);

    private Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        // The body is only valid during this callback: copy it. Written after draining started, it stays unacknowledged.
        _deliveries.Writer.TryWrite(new Delivery(delivery.DeliveryTag, delivery.Redelivered, delivery.Body.ToArray(), delivery.BasicProperties.ContentType, delivery.BasicProperties.MessageId));
        return Task.CompletedTask;
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs reason)
    {
        Lose($"channel closed: {reason.ReplyCode} {reason.ReplyText}");
        return Task.CompletedTask;
    }

    private Task OnUnregisteredAsync(object sender, ConsumerEventArgs consumer)
    {
        if (!_draining)
        {
            Lose("consumer cancelled by the broker (queue deleted?)");
        }

        return Task.CompletedTask;
    }

    private void Lose(string reason)
    {
        if (_draining)
        {
            return;
        }

        _lostReason ??= reason;
        _draining = true;
        _deliveries.Writer.TryComplete();

        // The channel is gone: nothing in flight can be acknowledged any more; hurry it up.
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile.
        }

        _owner.Wake();
    }

    private async Task ConsumeAsync(CancellationToken stopping)
    {
        var reader = _deliveries.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (!_draining && reader.TryRead(out var delivery))
                {
                    await HandleAsync(delivery, stopping).ConfigureAwait(false);
                }

                if (_draining)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped; what was not acknowledged goes back to the queue when the channel closes.
        }
    }

    private async ValueTask HandleAsync(Delivery delivery, CancellationToken stopping)
    {
        ArvoEvent arvoEvent;
        try
        {
            arvoEvent = ArvoEventJson.Parse(delivery.Body.Span);
        }
        catch (ArvoEventValidationException invalid)
        {
            await DeadLetterInvalidAsync(delivery, invalid, stopping).ConfigureAwait(false);
            return;
        }

        var deliveryCount = delivery.Redelivered ? 2 : 1;
        while (true)
        {
            var message = new RabbitMqTransportMessage(arvoEvent, deliveryCount, this, delivery.DeliveryTag);
            await _owner.Concurrency.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                if (_draining)
                {
                    // Released while it waited for a free slot: it stays unacknowledged, the next owner gets it.
                    return;
                }

                await _owner.Subscription.OnMessage(message, stopping).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                if (message.IsSettled && !message.Requeue)
                {
                    // Settled, but the acknowledgement did not reach the broker (the channel closed): it is delivered again.
                    RabbitMqTransportLog.DeliveryFailed(_owner.Transport.Logger, error, deliveryCount, arvoEvent.Id, arvoEvent.Type, Queue);
                    return;
                }
            }
            finally
            {
                _owner.Concurrency.Release();
            }

            if (message.IsSettled && !message.Requeue)
            {
                return;
            }

            // Nacked with requeue, or not settled: deliver it again before the partition's next message. When the
            // partition stops instead, the message stays unacknowledged and the broker requeues it in place.
            if (_draining || stopping.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(_owner.Transport.Options.RedeliveryDelay, _owner.Transport.TimeProvider, stopping).ConfigureAwait(false);
            if (_draining)
            {
                return;
            }

            deliveryCount++;
        }
    }

    private async ValueTask DeadLetterInvalidAsync(Delivery delivery, ArvoEventValidationException invalid, CancellationToken stopping)
    {
        var transport = _owner.Transport;
        RabbitMqTransportLog.InvalidEvent(transport.Logger, Queue, invalid.Message);
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [RabbitMqDeadLetterHeaders.Reason] = RabbitMqDeadLetterHeaders.InvalidEventReason,
            [RabbitMqDeadLetterHeaders.ErrorType] = nameof(ArvoEventValidationException),
            [RabbitMqDeadLetterHeaders.Detail] = invalid.Message,
            [RabbitMqDeadLetterHeaders.Attempts] = 0,
            [RabbitMqDeadLetterHeaders.DeadLetteredAt] = transport.TimeProvider.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            [RabbitMqDeadLetterHeaders.Destination] = Destination,
        };
        while (true)
        {
            try
            {
                await transport.PublishDeadLetterAsync(delivery.Body, delivery.ContentType, delivery.MessageId, null, headers, stopping).ConfigureAwait(false);
                await AckAsync(delivery.DeliveryTag, stopping).ConfigureAwait(false);
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                if (_draining)
                {
                    // Released: it stays unacknowledged and the next owner dead-letters it (thrown, it would fail the release).
                    return;
                }

                RabbitMqTransportLog.InvalidEventDeadLetterFailed(transport.Logger, error, Queue, transport.Options.RebalanceInterval);
                await Task.Delay(transport.Options.RebalanceInterval, transport.TimeProvider, stopping).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask CloseAsync()
    {
        try
        {
            if (_channel.IsOpen)
            {
                await _channel.CloseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The channel or its connection is gone already; the broker requeued its messages.
        }

        await DisposeQuietlyAsync(_channel).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static async ValueTask DisposeQuietlyAsync(IChannel channel)
    {
        try
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A broken channel.
        }
    }

    private readonly record struct Delivery(ulong DeliveryTag, bool Redelivered, ReadOnlyMemory<byte> Body, string? ContentType, string? MessageId);
}
