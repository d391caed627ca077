using System.Text;

namespace Arvo.Transport.RabbitMQ;

/// <summary>
/// The names of the exchanges and queues a <see cref="RabbitMqArvoTransport"/> declares, and the partition function,
/// for one prefix and partition count. Any AMQP client can publish to and consume from this topology.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>{prefix}.events</c>: a durable direct exchange; an event for <c>to</c> is published with routing key
/// <c>{to}.{partition}</c>.</item>
/// <item><c>{prefix}.{to}.{partition}</c> (partition 0 to <see cref="Partitions"/> - 1): a durable partition queue
/// bound with that routing key, dead-lettering into <c>{prefix}.dead-letters</c>; consumed by one exclusive consumer
/// at a time.</item>
/// <item><c>{prefix}.{to}.members</c>: a durable queue that receives nothing; every host consuming <c>to</c> keeps one
/// consumer on it, so its consumer count is the number of live hosts.</item>
/// <item><c>{prefix}.dead-letters</c>: a durable fanout exchange and a durable queue bound to it.</item>
/// </list>
/// The partition of an event is FNV-1a (32 bit) of the UTF-8 bytes of its <see cref="ArvoPartitionKey"/> (the
/// subject), modulo <see cref="Partitions"/>: stable across processes, machines and .NET versions.
/// </remarks>
public sealed class RabbitMqTopology
{
    /// <summary>The suffix of the membership queue of a destination: <c>members</c>.</summary>
    public const string MembersSuffix = "members";

    /// <summary>Creates the topology of a prefix.</summary>
    /// <param name="prefix">The prefix of every exchange and queue name.</param>
    /// <param name="partitions">The number of partition queues per destination; 1 to 1,024.</param>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partitions"/> is outside 1 to 1,024.</exception>
    public RabbitMqTopology(string prefix, int partitions)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitions, RabbitMqTransportOptions.MaxPartitions);
        Prefix = prefix;
        Partitions = partitions;
        EventsExchange = $"{prefix}.events";
        DeadLetterExchange = $"{prefix}.dead-letters";
        DeadLetterQueue = $"{prefix}.dead-letters";
    }

    /// <summary>The prefix of every name.</summary>
    public string Prefix { get; }

    /// <summary>The number of partition queues per destination.</summary>
    public int Partitions { get; }

    /// <summary>The direct exchange events are published to: <c>{prefix}.events</c>.</summary>
    public string EventsExchange { get; }

    /// <summary>The fanout exchange of dead letters: <c>{prefix}.dead-letters</c>.</summary>
    public string DeadLetterExchange { get; }

    /// <summary>The queue that keeps the dead letters: <c>{prefix}.dead-letters</c>.</summary>
    public string DeadLetterQueue { get; }

    /// <summary>The partition queue of <paramref name="destination"/>: <c>{prefix}.{to}.{partition}</c>.</summary>
    /// <param name="destination">The <c>to</c> value.</param>
    /// <param name="partition">The partition, 0 to <see cref="Partitions"/> - 1.</param>
    /// <returns>The queue name.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partition"/> is outside the partitions.</exception>
    public string PartitionQueue(string destination, int partition)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        CheckPartition(partition);
        return $"{Prefix}.{destination}.{partition}";
    }

    /// <summary>The routing key of <paramref name="destination"/>'s partition on <see cref="EventsExchange"/>: <c>{to}.{partition}</c>.</summary>
    /// <param name="destination">The <c>to</c> value.</param>
    /// <param name="partition">The partition, 0 to <see cref="Partitions"/> - 1.</param>
    /// <returns>The routing key.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partition"/> is outside the partitions.</exception>
    public string RoutingKey(string destination, int partition)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        CheckPartition(partition);
        return $"{destination}.{partition}";
    }

    /// <summary>The membership queue of <paramref name="destination"/>: <c>{prefix}.{to}.members</c>.</summary>
    /// <param name="destination">The <c>to</c> value.</param>
    /// <returns>The queue name.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is null or empty.</exception>
    public string MembersQueue(string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        return $"{Prefix}.{destination}.{MembersSuffix}";
    }

    /// <summary>The partition of <paramref name="partitionKey"/>: FNV-1a (32 bit) of its UTF-8 bytes, modulo <see cref="Partitions"/>.</summary>
    /// <param name="partitionKey">The key (<see cref="ArvoPartitionKey.For"/>: the event's subject).</param>
    /// <returns>0 to <see cref="Partitions"/> - 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="partitionKey"/> is null.</exception>
    public int PartitionOf(string partitionKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        return (int)(Fnv1a(partitionKey) % (uint)Partitions);
    }

    /// <summary>The partition of <paramref name="arvoEvent"/> (of its <see cref="ArvoPartitionKey"/>).</summary>
    /// <param name="arvoEvent">The event.</param>
    /// <returns>0 to <see cref="Partitions"/> - 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="arvoEvent"/> is null.</exception>
    public int PartitionOf(ArvoEvent arvoEvent) => PartitionOf(ArvoPartitionKey.For(arvoEvent));

    internal static uint Fnv1a(string value)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        Span<byte> buffer = stackalloc byte[256];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        var bytes = maxBytes <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(value, buffer)] : Encoding.UTF8.GetBytes(value);
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * prime);
        }

        return hash;
    }

    private void CheckPartition(int partition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, Partitions);
    }
}
