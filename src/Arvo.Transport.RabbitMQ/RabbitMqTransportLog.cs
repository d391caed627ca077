using Microsoft.Extensions.Logging;

namespace Arvo.Transport.RabbitMQ;

/// <summary>The transport's logs (event ids 100 to 199; Arvo.Hosting uses 1 to 99).</summary>
internal static partial class RabbitMqTransportLog
{
    [LoggerMessage(100, LogLevel.Information, "RabbitMQ connection '{ConnectionName}' opened to {Endpoint}")]
    public static partial void Connected(ILogger logger, string connectionName, string endpoint);

    [LoggerMessage(101, LogLevel.Warning, "RabbitMQ connection '{ConnectionName}' lost ({Reason}); its partitions are released and it reconnects")]
    public static partial void ConnectionLost(ILogger logger, string connectionName, string reason);

    [LoggerMessage(102, LogLevel.Warning, "Consuming {Destinations} failed ({Error}); retrying in {RetryInterval}")]
    public static partial void ConsumeLoopFailed(ILogger logger, Exception exception, string destinations, string error, TimeSpan retryInterval);

    [LoggerMessage(103, LogLevel.Information, "Claimed partition {Queue}: consuming {Owned} of {Partitions} partitions of {Destination}, fair share {Share} for {LiveHosts} hosts")]
    public static partial void PartitionClaimed(ILogger logger, string queue, int owned, int partitions, string destination, int share, int liveHosts);

    [LoggerMessage(104, LogLevel.Information, "Released partition {Queue} after its messages in flight: consuming {Owned} of {Partitions} partitions of {Destination}, fair share {Share} for {LiveHosts} hosts")]
    public static partial void PartitionReleased(ILogger logger, string queue, int owned, int partitions, string destination, int share, int liveHosts);

    [LoggerMessage(105, LogLevel.Error, "A message in {Queue} is not a valid CloudEvent; dead-lettered as InvalidEvent and acknowledged: {Detail}")]
    public static partial void InvalidEvent(ILogger logger, string queue, string detail);

    [LoggerMessage(106, LogLevel.Error, "Dead-lettering an invalid message of {Queue} failed; it stays unacknowledged and is tried again in {RetryInterval}")]
    public static partial void InvalidEventDeadLetterFailed(ILogger logger, Exception exception, string queue, TimeSpan retryInterval);

    [LoggerMessage(107, LogLevel.Error, "Event {EventId} ({EventType}) has no 'to', so no queue takes it; dead-lettered as NoDestination")]
    public static partial void NoDestination(ILogger logger, string eventId, string eventType);

    [LoggerMessage(108, LogLevel.Error, "Delivery {DeliveryCount} of event {EventId} ({EventType}) from {Queue} failed after the consumer ran; the broker delivers it again")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, int deliveryCount, string eventId, string eventType, string queue);

    [LoggerMessage(109, LogLevel.Warning, "Publish of event {EventId} to {RoutingKey} was returned unroutable ({ReplyText}); declaring the topology of {Destination} again")]
    public static partial void Returned(ILogger logger, string eventId, string routingKey, string replyText, string destination);

    [LoggerMessage(110, LogLevel.Information, "Partition {Queue} was lost ({Reason}); it is claimed again by a live host")]
    public static partial void PartitionLost(ILogger logger, string queue, string reason);
}
