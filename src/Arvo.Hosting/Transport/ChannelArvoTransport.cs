using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Arvo.Transport;

/// <summary>
/// The embedded transport: events travel through in-memory <see cref="Channel{T}"/>s inside one process, so a host
/// runs end to end with no broker. Each subscription has <see cref="ArvoSubscription.MaxConcurrency"/> partitions;
/// an event goes to the partition of its <see cref="ArvoPartitionKey"/>, so one workflow's events are consumed in
/// publish order and never concurrently.
/// </summary>
/// <remarks>
/// <para>Its guarantee is <see cref="ArvoPublishGuarantee.InProcess"/>: queued events die with the process. The
/// hosting therefore marks an outbox event published only once it was consumed, so after a crash the outbox relay
/// publishes it again.</para>
/// <para>Queues are unbounded: a consumer publishing into its own partition must never wait for itself.</para>
/// </remarks>
public sealed class ChannelArvoTransport : IArvoTransport, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Consumer> _byDestination = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Consumer, byte> _consumers = new();
    private int _disposed;

    /// <summary>Creates a transport.</summary>
    /// <param name="options">Settings; null means <see cref="ChannelArvoTransportOptions.Default"/>.</param>
    public ChannelArvoTransport(ChannelArvoTransportOptions? options = null)
    {
        Options = options ?? ChannelArvoTransportOptions.Default;
    }

    /// <summary>The settings.</summary>
    public ChannelArvoTransportOptions Options { get; }

    /// <inheritdoc />
    public ArvoPublishGuarantee PublishGuarantee => ArvoPublishGuarantee.InProcess;

    /// <summary>The number of events queued and not yet handed to a consumer, over every subscription.</summary>
    public int QueuedCount => _consumers.Keys.Sum(consumer => consumer.QueuedCount);

    /// <inheritdoc />
    public ValueTask PublishAsync(ArvoEvent arvoEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (arvoEvent.To is { } to && _byDestination.TryGetValue(to, out var consumer) && consumer.TryEnqueue(arvoEvent, 1))
        {
            return ValueTask.CompletedTask;
        }

        return Options.OnUnrouted is { } onUnrouted ? onUnrouted(arvoEvent, cancellationToken) : ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IAsyncDisposable> SubscribeAsync(ArvoSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var consumer = new Consumer(this, subscription);
        var claimed = new List<string>();
        foreach (var destination in subscription.Destinations)
        {
            if (!_byDestination.TryAdd(destination, consumer))
            {
                foreach (var taken in claimed)
                {
                    _byDestination.TryRemove(new KeyValuePair<string, Consumer>(taken, consumer));
                }

                throw new InvalidOperationException(
                    $"Destination '{destination}' already has a subscriber on this in-process transport; one subscription per destination.");
            }

            claimed.Add(destination);
        }

        _consumers.TryAdd(consumer, 0);
        consumer.Start();
        return ValueTask.FromResult<IAsyncDisposable>(consumer);
    }

    /// <summary>Stops every subscription (waiting for the messages in flight); queued events are dropped.</summary>
    /// <returns>A task that completes when every consumer stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var consumer in _consumers.Keys)
        {
            await consumer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Remove(Consumer consumer)
    {
        foreach (var destination in consumer.Subscription.Destinations)
        {
            _byDestination.TryRemove(new KeyValuePair<string, Consumer>(destination, consumer));
        }

        _consumers.TryRemove(consumer, out _);
    }

    private sealed class Consumer(ChannelArvoTransport transport, ArvoSubscription subscription) : IAsyncDisposable
    {
        private readonly Channel<Delivery>[] _partitions = CreatePartitions(subscription.MaxConcurrency);
        private readonly CancellationTokenSource _stopping = new();
        private Task[] _loops = [];
        private int _queued;
        private int _disposed;

        public ArvoSubscription Subscription { get; } = subscription;

        public int QueuedCount => Volatile.Read(ref _queued);

        public void Start() =>
            _loops = [.. _partitions.Select(partition => Task.Run(() => ConsumeAsync(partition.Reader, _stopping.Token)))];

        public bool TryEnqueue(ArvoEvent arvoEvent, int deliveryCount)
        {
            var key = ArvoPartitionKey.For(arvoEvent);
            var index = (int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_partitions.Length);
            if (!_partitions[index].Writer.TryWrite(new Delivery(arvoEvent, deliveryCount)))
            {
                return false;
            }

            Interlocked.Increment(ref _queued);
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            transport.Remove(this);
            foreach (var partition in _partitions)
            {
                partition.Writer.TryComplete();
            }

            await _stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_loops).ConfigureAwait(false);
            _stopping.Dispose();
        }

        private async Task ConsumeAsync(ChannelReader<Delivery> reader, CancellationToken stopping)
        {
            try
            {
                while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
                {
                    while (reader.TryRead(out var delivery))
                    {
                        Interlocked.Decrement(ref _queued);

                        // A message nacked with requeue is delivered again before the workflow's next one (FIFO kept).
                        var deliveryCount = delivery.DeliveryCount;
                        while (true)
                        {
                            var message = new ChannelMessage(delivery.Event, deliveryCount, transport.Options.OnSettled);
                            try
                            {
                                await Subscription.OnMessage(message, stopping).ConfigureAwait(false);
                            }
                            catch (Exception) when (!message.IsSettled)
                            {
                                // The consumer's failure handling is the consumer's; an unsettled message is redelivered.
                                message.Requeue = true;
                            }

                            if (!message.IsSettled)
                            {
                                message.Requeue = true;
                            }

                            if (!message.Requeue)
                            {
                                break;
                            }

                            stopping.ThrowIfCancellationRequested();
                            await Task.Delay(transport.Options.RedeliveryDelay, transport.Options.TimeProvider, stopping).ConfigureAwait(false);
                            deliveryCount++;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopped: what is still queued is dropped (an InProcess guarantee).
            }
        }

        private static Channel<Delivery>[] CreatePartitions(int count)
        {
            var partitions = new Channel<Delivery>[count];
            for (var i = 0; i < count; i++)
            {
                partitions[i] = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
            }

            return partitions;
        }
    }

    private readonly record struct Delivery(ArvoEvent Event, int DeliveryCount);

    private sealed class ChannelMessage(ArvoEvent arvoEvent, int deliveryCount, Func<ArvoEvent, CancellationToken, ValueTask>? onSettled)
        : ArvoTransportMessage(arvoEvent, deliveryCount)
    {
        public bool Requeue { get; set; }

        protected override ValueTask OnAckAsync(CancellationToken cancellationToken) =>
            onSettled is null ? ValueTask.CompletedTask : onSettled(Event, cancellationToken);

        protected override ValueTask OnNackAsync(bool requeue, CancellationToken cancellationToken)
        {
            Requeue = requeue;
            return requeue || onSettled is null ? ValueTask.CompletedTask : onSettled(Event, cancellationToken);
        }
    }
}
