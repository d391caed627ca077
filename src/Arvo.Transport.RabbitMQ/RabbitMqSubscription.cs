using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Arvo.Transport.RabbitMQ;

/// <summary>
/// One <see cref="ArvoSubscription"/> on the broker. Per destination it keeps one consumer on the membership queue
/// (so that every host can count the live hosts) and claims up to its fair share, ceil(partitions / live hosts), of the
/// partition queues with exclusive consumers. A periodic rebalance claims unowned partitions, releases extra ones
/// (after their message in flight) and, after a lost connection, reconnects and claims again.
/// </summary>
internal sealed class RabbitMqSubscription : IAsyncDisposable
{
    private readonly Dictionary<string, Dictionary<int, PartitionConsumer>> _owned;
    private readonly Lock _ownedGate = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _offset = Random.Shared.Next();
    private IConnection? _connection;
    private IChannel? _control;
    private IChannel? _membership;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public RabbitMqSubscription(RabbitMqArvoTransport transport, ArvoSubscription subscription)
    {
        Transport = transport;
        Subscription = subscription;
        Concurrency = new SemaphoreSlim(subscription.MaxConcurrency, subscription.MaxConcurrency);
        _owned = subscription.Destinations.Distinct(StringComparer.Ordinal).ToDictionary(d => d, _ => new Dictionary<int, PartitionConsumer>(), StringComparer.Ordinal);
    }

    public RabbitMqArvoTransport Transport { get; }

    public ArvoSubscription Subscription { get; }

    /// <summary>Bounds the messages handed to the subscriber at once, over every partition (<see cref="ArvoSubscription.MaxConcurrency"/>).</summary>
    public SemaphoreSlim Concurrency { get; }

    private RabbitMqTopology Topology => Transport.Topology;

    /// <summary>Connects, declares, joins the membership of every destination and claims a first share; then rebalances periodically.</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        await RebalanceAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Runs the rebalance now (a partition or the connection was lost).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    public List<(string Destination, IReadOnlyList<int> Partitions)> OwnedPartitions()
    {
        lock (_ownedGate)
        {
            return [.. _owned.Select(pair => (pair.Key, (IReadOnlyList<int>)[.. pair.Value.Keys.Order()]))];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Transport.Remove(this);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);

        // Released, not stopped: a message in flight finishes and is acknowledged before its channel closes (cancelled,
        // a message already handled, e.g. dead-lettered, would miss its ack and be delivered again). All at once, so
        // that the wait is that of the slowest message, not their sum.
        await Task.WhenAll(TakeAll().Select(partition => partition.ReleaseAsync().AsTask())).ConfigureAwait(false);

        await CloseQuietlyAsync(_membership).ConfigureAwait(false);
        await CloseQuietlyAsync(_control).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var interval = Transport.Options.RebalanceInterval;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _wake.Reader.WaitToReadAsync(stopping).AsTask().WaitAsync(interval, Transport.TimeProvider, stopping).ConfigureAwait(false);
                _wake.Reader.TryRead(out _);
            }
            catch (TimeoutException)
            {
                // The periodic rebalance.
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await RebalanceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                RabbitMqTransportLog.ConsumeLoopFailed(Transport.Logger, error, string.Join(", ", _owned.Keys), error.Message, interval);
                await CloseQuietlyAsync(_control).ConfigureAwait(false);
                _control = null;
            }
        }
    }

    private async ValueTask RebalanceAsync(CancellationToken cancellationToken)
    {
        if (Transport.Crashed)
        {
            foreach (var partition in TakeAll())
            {
                await partition.StopAsync().ConfigureAwait(false);
            }

            return;
        }

        // Partitions whose channel closed under them: wait for their message in flight before anyone claims them again.
        foreach (var lost in TakeLost())
        {
            RabbitMqTransportLog.PartitionLost(Transport.Logger, lost.Queue, lost.LostReason!);
            await lost.StopAsync().ConfigureAwait(false);
        }

        var connection = await Transport.ConsumeConnection.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(connection, _connection))
        {
            // A new connection (the first one, or after a loss): everything of the old one is gone.
            foreach (var partition in TakeAll())
            {
                await partition.StopAsync().ConfigureAwait(false);
            }

            await CloseQuietlyAsync(_membership).ConfigureAwait(false);
            await CloseQuietlyAsync(_control).ConfigureAwait(false);
            _membership = null;
            _control = null;
            _connection = connection;
        }

        if (_control is not { IsOpen: true })
        {
            await CloseQuietlyAsync(_control).ConfigureAwait(false);
            _control = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var destination in _owned.Keys)
            {
                await Transport.DeclareAsync(_control, "", cancellationToken).ConfigureAwait(false);
                await Transport.DeclareAsync(_control, destination, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_membership is not { IsOpen: true })
        {
            await CloseQuietlyAsync(_membership).ConfigureAwait(false);
            _membership = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var destination in _owned.Keys)
            {
                var member = new AsyncEventingBasicConsumer(_membership);
                await _membership.BasicConsumeAsync(Topology.MembersQueue(destination), autoAck: true, member, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var destination in _owned.Keys)
        {
            await RebalanceAsync(connection, _control, destination, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask RebalanceAsync(IConnection connection, IChannel control, string destination, CancellationToken cancellationToken)
    {
        var partitions = Topology.Partitions;
        var liveHosts = (int)Math.Max(1u, (await control.QueueDeclarePassiveAsync(Topology.MembersQueue(destination), cancellationToken).ConfigureAwait(false)).ConsumerCount);
        var share = (partitions + liveHosts - 1) / liveHosts;
        var owned = _owned[destination];

        // Too many: release the extra ones (highest first), each after its message in flight, all at once.
        List<PartitionConsumer> extra;
        lock (_ownedGate)
        {
            extra = [.. owned.OrderByDescending(pair => pair.Key).Take(Math.Max(0, owned.Count - share)).Select(pair => pair.Value)];
            foreach (var released in extra)
            {
                owned.Remove(released.Partition);
            }
        }

        if (extra.Count > 0)
        {
            await Task.WhenAll(extra.Select(released => released.ReleaseAsync().AsTask())).ConfigureAwait(false);
            foreach (var released in extra)
            {
                RabbitMqTransportLog.PartitionReleased(Transport.Logger, released.Queue, Count(owned), partitions, destination, share, liveHosts);
            }
        }

        // Too few: claim unowned partitions, starting at a random offset so that hosts starting together rarely collide.
        for (var i = 0; i < partitions && Count(owned) < share; i++)
        {
            var partition = (int)((uint)(_offset + i) % (uint)partitions);
            if (Contains(owned, partition))
            {
                continue;
            }

            var queue = Topology.PartitionQueue(destination, partition);
            var state = await control.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false);
            if (state.ConsumerCount > 0)
            {
                continue;
            }

            var claimed = await PartitionConsumer.TryClaimAsync(
                this, connection, destination, partition, queue, (ushort)Transport.Options.Prefetch, cancellationToken).ConfigureAwait(false);
            if (claimed is null)
            {
                continue;
            }

            lock (_ownedGate)
            {
                owned[partition] = claimed;
            }

            RabbitMqTransportLog.PartitionClaimed(Transport.Logger, queue, Count(owned), partitions, destination, share, liveHosts);
        }
    }

    private int Count(Dictionary<int, PartitionConsumer> owned)
    {
        lock (_ownedGate)
        {
            return owned.Count;
        }
    }

    private bool Contains(Dictionary<int, PartitionConsumer> owned, int partition)
    {
        lock (_ownedGate)
        {
            return owned.ContainsKey(partition);
        }
    }

    private List<PartitionConsumer> TakeAll()
    {
        lock (_ownedGate)
        {
            var all = _owned.Values.SelectMany(owned => owned.Values).ToList();
            foreach (var owned in _owned.Values)
            {
                owned.Clear();
            }

            return all;
        }
    }

    private List<PartitionConsumer> TakeLost()
    {
        lock (_ownedGate)
        {
            var lost = new List<PartitionConsumer>();
            foreach (var owned in _owned.Values)
            {
                foreach (var (partition, consumer) in owned.Where(pair => pair.Value.LostReason is not null).ToList())
                {
                    owned.Remove(partition);
                    lost.Add(consumer);
                }
            }

            return lost;
        }
    }

    private static async ValueTask CloseQuietlyAsync(IChannel? channel)
    {
        if (channel is null)
        {
            return;
        }

        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }

            await channel.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A channel of a lost connection.
        }
    }
}
