using System.Collections.Concurrent;
using Arvo.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Arvo.Transport.RabbitMQ;

/// <summary>
/// An <see cref="IArvoTransport"/> over RabbitMQ: events travel as structured CloudEvents JSON
/// (<c>content-type: application/cloudevents+json</c>) through partition queues (<see cref="RabbitMqTopology"/>), each
/// consumed by one exclusive consumer at a time; hosts that share a prefix split every destination's partitions
/// fairly and take over those of a host that stopped or died.
/// </summary>
/// <remarks>
/// <para><b>Publish</b> waits for the broker's publisher confirm (persistent messages, mandatory routing), so its
/// guarantee is <see cref="ArvoPublishGuarantee.Durable"/>: the host marks outbox events published right after it.
/// The topology of an event's <c>to</c> is declared (idempotently, once per destination) before its first publish, so
/// an event for a destination no host consumes yet waits in its queues; an unroutable publish (its queues were deleted)
/// fails instead of being dropped. An event without a <c>to</c> is dead-lettered (<c>NoDestination</c>).</para>
/// <para><b>Consume</b> acknowledges manually: a message is acknowledged when the subscriber acknowledges it (the
/// worker does so after the execution's outbox write and publishes), so a crash delivers it again. One partition's
/// messages are handed to the subscriber one at a time, in queue order; a message nacked with requeue is delivered
/// again (after <see cref="RabbitMqTransportOptions.RedeliveryDelay"/>) before the partition's next message. A message
/// that is not a valid Arvo event is dead-lettered (<c>InvalidEvent</c>) and acknowledged.</para>
/// <para><b>Faults</b>: when a connection is lost (broker restart, network), the partitions are released and the
/// transport reconnects every <see cref="RabbitMqTransportOptions.RebalanceInterval"/> and claims its share again;
/// unacknowledged messages are redelivered by the broker, acknowledged ones never.</para>
/// <para>Thread-safe. Dispose it to stop every subscription and close the connections.</para>
/// </remarks>
public sealed class RabbitMqArvoTransport : IArvoTransport, IAsyncDisposable
{
    /// <summary>The content type of every event message: <c>application/cloudevents+json</c> (CloudEvents structured mode).</summary>
    public const string CloudEventsContentType = "application/cloudevents+json";

    private readonly RabbitMqConnection _publishConnection;
    private readonly SemaphoreSlim _publishChannelGate = new(1, 1);
    private readonly ConcurrentDictionary<string, byte> _declared = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RabbitMqSubscription, byte> _subscriptions = new();
    private readonly Dictionary<string, object?> _partitionQueueArguments;
    private IChannel? _publishChannel;
    private int _disposed;

    /// <summary>Creates a transport; it connects on its first publish or subscription.</summary>
    /// <param name="options">The settings (copied; later changes have no effect).</param>
    /// <param name="loggerFactory">Creates the transport's logger; null for none.</param>
    /// <param name="timeProvider">The clock of rebalances and redelivery delays; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each (<c>Arvo:RabbitMQ:Partitions must be between 1 and 1024; it is 0.</c>).</exception>
    public RabbitMqArvoTransport(RabbitMqTransportOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = RabbitMqTransportOptionsValidator.Check(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        Options = options.Clone();
        Topology = new RabbitMqTopology(Options.Prefix, Options.Partitions);
        TimeProvider = timeProvider ?? TimeProvider.System;
        Logger = loggerFactory?.CreateLogger<RabbitMqArvoTransport>() ?? (ILogger)NullLogger<RabbitMqArvoTransport>.Instance;
        _partitionQueueArguments = new Dictionary<string, object?>(StringComparer.Ordinal) { ["x-dead-letter-exchange"] = Topology.DeadLetterExchange };
        _publishConnection = new RabbitMqConnection(CreateFactory(), $"{Options.ConnectionName} (publish)", Logger);
        ConsumeConnection = new RabbitMqConnection(CreateFactory(), $"{Options.ConnectionName} (consume)", Logger);
        ConsumeConnection.Lost = () =>
        {
            foreach (var subscription in _subscriptions.Keys)
            {
                subscription.Wake();
            }
        };
    }

    /// <summary>The settings (a copy of those given).</summary>
    public RabbitMqTransportOptions Options { get; }

    /// <summary>The exchange and queue names and the partition function.</summary>
    public RabbitMqTopology Topology { get; }

    /// <inheritdoc />
    /// <value><see cref="ArvoPublishGuarantee.Durable"/>: a completed publish was confirmed by the broker.</value>
    public ArvoPublishGuarantee PublishGuarantee => ArvoPublishGuarantee.Durable;

    /// <summary>
    /// The partitions this transport's subscriptions consume now, by destination (a snapshot; it changes at every
    /// rebalance).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> OwnedPartitions
    {
        get
        {
            var owned = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
            foreach (var subscription in _subscriptions.Keys)
            {
                foreach (var (destination, partitions) in subscription.OwnedPartitions())
                {
                    owned[destination] = partitions;
                }
            }

            return owned;
        }
    }

    internal RabbitMqConnection ConsumeConnection { get; }

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    internal bool Crashed { get; private set; }

    /// <inheritdoc />
    /// <exception cref="PublishReturnException">The broker could not route the event even after its topology was declared again.</exception>
    /// <exception cref="BrokerUnreachableException">The broker cannot be reached.</exception>
    public async ValueTask PublishAsync(ArvoEvent arvoEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var body = ArvoEventJson.SerializeToUtf8Bytes(arvoEvent);
        if (arvoEvent.To is not { Length: > 0 } to)
        {
            RabbitMqTransportLog.NoDestination(Logger, arvoEvent.Id, arvoEvent.Type);
            await PublishDeadLetterAsync(body, CloudEventsContentType, arvoEvent.Id, arvoEvent.Type, new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [RabbitMqDeadLetterHeaders.Reason] = RabbitMqDeadLetterHeaders.NoDestinationReason,
                [RabbitMqDeadLetterHeaders.ErrorType] = RabbitMqDeadLetterHeaders.NoDestinationReason,
                [RabbitMqDeadLetterHeaders.Detail] = "The event has no 'to' attribute, so no destination's queue can take it.",
                [RabbitMqDeadLetterHeaders.Attempts] = 0,
                [RabbitMqDeadLetterHeaders.DeadLetteredAt] = TimeProvider.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                [RabbitMqDeadLetterHeaders.Destination] = "",
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var routingKey = Topology.RoutingKey(to, Topology.PartitionOf(arvoEvent));
        var properties = new BasicProperties
        {
            ContentType = CloudEventsContentType,
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = arvoEvent.Id,
            Type = arvoEvent.Type,
        };
        await EnsureDestinationAsync(to, cancellationToken).ConfigureAwait(false);
        try
        {
            await PublishAsync(Topology.EventsExchange, routingKey, properties, body, cancellationToken).ConfigureAwait(false);
        }
        catch (PublishReturnException returned)
        {
            // Its queues were deleted after they were declared here: declare them again, publish once more.
            RabbitMqTransportLog.Returned(Logger, arvoEvent.Id, routingKey, returned.ReplyText, to);
            _declared.TryRemove(to, out _);
            _declared.TryRemove("", out _);
            await EnsureDestinationAsync(to, cancellationToken).ConfigureAwait(false);
            await PublishAsync(Topology.EventsExchange, routingKey, properties, body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <exception cref="BrokerUnreachableException">The broker cannot be reached.</exception>
    /// <exception cref="ArgumentException">A destination makes a queue name longer than 255 bytes.</exception>
    public async ValueTask<IAsyncDisposable> SubscribeAsync(ArvoSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        foreach (var destination in subscription.Destinations)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(Topology.MembersQueue(destination)) > 255)
            {
                throw new ArgumentException($"Destination '{destination}' makes the queue name '{Topology.MembersQueue(destination)}' longer than RabbitMQ's 255 bytes; use a shorter prefix.", nameof(subscription));
            }
        }

        var consumer = new RabbitMqSubscription(this, subscription);
        _subscriptions.TryAdd(consumer, 0);
        try
        {
            await consumer.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _subscriptions.TryRemove(consumer, out _);
            await consumer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return consumer;
    }

    /// <summary>Stops every subscription (waiting for the messages in flight; unacknowledged ones go back to their queues) and closes the connections.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var subscription in _subscriptions.Keys)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        await ConsumeConnection.DisposeAsync().ConfigureAwait(false);
        await _publishConnection.DisposeAsync().ConfigureAwait(false);
        _publishChannelGate.Dispose();
    }

    /// <summary>
    /// Drops both connections abruptly and never reconnects, as a host that was killed (tests): the broker requeues
    /// the unacknowledged messages, and the exclusive consumers and membership vanish.
    /// </summary>
    internal async ValueTask SimulateCrashAsync()
    {
        Crashed = true;
        foreach (var subscription in _subscriptions.Keys)
        {
            subscription.Wake();
        }

        await ConsumeConnection.AbortAsync().ConfigureAwait(false);
        await _publishConnection.AbortAsync().ConfigureAwait(false);
    }

    internal void Remove(RabbitMqSubscription subscription) => _subscriptions.TryRemove(subscription, out _);

    internal async ValueTask PublishDeadLetterAsync(
        ReadOnlyMemory<byte> body,
        string? contentType,
        string? messageId,
        string? type,
        Dictionary<string, object?> headers,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var properties = new BasicProperties
        {
            ContentType = contentType,
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = messageId,
            Type = type,
            Headers = headers,
        };
        await EnsureDeclaredAsync("", cancellationToken).ConfigureAwait(false);
        try
        {
            await PublishAsync(Topology.DeadLetterExchange, "", properties, body, cancellationToken).ConfigureAwait(false);
        }
        catch (PublishReturnException)
        {
            _declared.TryRemove("", out _);
            await EnsureDeclaredAsync("", cancellationToken).ConfigureAwait(false);
            await PublishAsync(Topology.DeadLetterExchange, "", properties, body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Declares the shared exchanges and the dead-letter queue, and <paramref name="destination"/>'s queues (idempotent; once per destination).</summary>
    internal async ValueTask EnsureDestinationAsync(string destination, CancellationToken cancellationToken)
    {
        await EnsureDeclaredAsync("", cancellationToken).ConfigureAwait(false);
        await EnsureDeclaredAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Declares <paramref name="destination"/>'s queues on <paramref name="channel"/> (idempotent).</summary>
    internal async ValueTask DeclareAsync(IChannel channel, string destination, CancellationToken cancellationToken)
    {
        if (destination.Length == 0)
        {
            await channel.ExchangeDeclareAsync(Topology.EventsExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.ExchangeDeclareAsync(Topology.DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueDeclareAsync(Topology.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueBindAsync(Topology.DeadLetterQueue, Topology.DeadLetterExchange, "", cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        for (var partition = 0; partition < Topology.Partitions; partition++)
        {
            var queue = Topology.PartitionQueue(destination, partition);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: _partitionQueueArguments, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueBindAsync(queue, Topology.EventsExchange, Topology.RoutingKey(destination, partition), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await channel.QueueDeclareAsync(Topology.MembersQueue(destination), durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EnsureDeclaredAsync(string destination, CancellationToken cancellationToken)
    {
        if (_declared.ContainsKey(destination))
        {
            return;
        }

        var connection = await _publishConnection.GetAsync(cancellationToken).ConfigureAwait(false);
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (channel.ConfigureAwait(false))
        {
            if (destination.Length > 0)
            {
                await DeclareAsync(channel, "", cancellationToken).ConfigureAwait(false);
            }

            await DeclareAsync(channel, destination, cancellationToken).ConfigureAwait(false);
            await channel.CloseAsync(cancellationToken).ConfigureAwait(false);
        }

        _declared.TryAdd(destination, 0);
    }

    private async ValueTask PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var channel = await GetPublishChannelAsync(cancellationToken).ConfigureAwait(false);
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IChannel> GetPublishChannelAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _publishChannel) is { IsOpen: true } open)
        {
            return open;
        }

        await _publishChannelGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_publishChannel is { IsOpen: true } current)
            {
                return current;
            }

            if (_publishChannel is { } stale)
            {
                _publishChannel = null;
                try
                {
                    await stale.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    // The channel of a lost connection.
                }
            }

            var connection = await _publishConnection.GetAsync(cancellationToken).ConfigureAwait(false);
            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _publishChannel, channel);
            return channel;
        }
        finally
        {
            _publishChannelGate.Release();
        }
    }

    private ConnectionFactory CreateFactory() => new()
    {
        Uri = Options.Uri,
        AutomaticRecoveryEnabled = false,
        TopologyRecoveryEnabled = false,
        ClientProvidedName = Options.ConnectionName,
    };
}
