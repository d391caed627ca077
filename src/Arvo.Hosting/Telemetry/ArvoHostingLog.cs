using Arvo.Dispatch;
using Microsoft.Extensions.Logging;

namespace Arvo.Telemetry;

/// <summary>The host's log messages (source-generated: no formatting unless the level is enabled).</summary>
internal static partial class ArvoHostingLog
{
    [LoggerMessage(1, LogLevel.Debug, "Event {EventId} ({EventType}) executed by {Destination}: emitted {EmittedCount} events")]
    public static partial void Executed(ILogger logger, string eventId, string eventType, string destination, int emittedCount);

    [LoggerMessage(2, LogLevel.Information, "Event {EventId} ({EventType}) was already applied by {Destination}; answered from the inbox with the {EmittedCount} events of its first execution")]
    public static partial void Replayed(ILogger logger, string eventId, string eventType, string destination, int emittedCount);

    [LoggerMessage(3, LogLevel.Warning, "Event {EventId} ({EventType}) ignored by {Destination}: its subject names another orchestrator")]
    public static partial void IgnoredOtherOrchestrator(ILogger logger, string eventId, string eventType, string destination);

    [LoggerMessage(4, LogLevel.Warning, "Event {EventId} ({EventType}) ignored by {Destination}: the workflow {Subject} failed earlier and ignores every later event")]
    public static partial void IgnoredFailedWorkflow(ILogger logger, string eventId, string eventType, string destination, string subject);

    [LoggerMessage(5, LogLevel.Warning, "Event {EventId} ({EventType}) ignored by {Destination}: no workflow exists for its subject and only the init event {Destination} starts one")]
    public static partial void IgnoredNotInitialized(ILogger logger, string eventId, string eventType, string destination);

    [LoggerMessage(6, LogLevel.Warning, "Event {EventId} ({EventType}) failed in {Destination}: emitted {EmittedCount} system error events")]
    public static partial void Failed(ILogger logger, string eventId, string eventType, string destination, int emittedCount);

    [LoggerMessage(7, LogLevel.Warning, "Event {EventId} ({EventType}) attempt {Attempt} in {Destination} failed with {ErrorType}; retrying in {RetryDelay}")]
    public static partial void Retrying(ILogger logger, string eventId, string eventType, int attempt, string destination, string errorType, TimeSpan retryDelay);

    [LoggerMessage(8, LogLevel.Error, "Event {EventId} ({EventType}) to {Destination} dead-lettered after {Attempts} attempts: {Reason} ({ErrorType}) {Detail}")]
    public static partial void DeadLettered(ILogger logger, string eventId, string eventType, string destination, int attempts, ArvoDeadLetterReason reason, string errorType, string detail);

    [LoggerMessage(9, LogLevel.Information, "Event {EventId} ({EventType}) to {Destination} has no subscriber in this process; not delivered here")]
    public static partial void Unrouted(ILogger logger, string eventId, string eventType, string destination);

    [LoggerMessage(10, LogLevel.Information, "Outbox relay published {Count} pending events")]
    public static partial void Relayed(ILogger logger, int count);

    [LoggerMessage(11, LogLevel.Error, "Outbox relay failed; pending events stay pending and are retried in {RetryInterval}")]
    public static partial void RelayFailed(ILogger logger, Exception exception, TimeSpan retryInterval);

    [LoggerMessage(12, LogLevel.Information, "Arvo worker consuming {Destinations} with concurrency {MaxConcurrency}")]
    public static partial void WorkerStarted(ILogger logger, string destinations, int maxConcurrency);

    [LoggerMessage(13, LogLevel.Error, "Delivery {DeliveryCount} of event {EventId} ({EventType}) could not be completed; it is delivered again")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, int deliveryCount, string eventId, string eventType);

    [LoggerMessage(14, LogLevel.Error, "Could not mark event {EventId} published in its outbox; the relay publishes it again later")]
    public static partial void SettleFailed(ILogger logger, Exception exception, string eventId);

    [LoggerMessage(15, LogLevel.Information, "Arvo worker stopped")]
    public static partial void WorkerStopped(ILogger logger);

    [LoggerMessage(16, LogLevel.Information, "Event {EventId} ({EventType}) to {Destination} rejected: {Reason} ({ErrorType}) {Detail}")]
    public static partial void Rejected(ILogger logger, string eventId, string eventType, string destination, ArvoDeadLetterReason reason, string errorType, string detail);
}
