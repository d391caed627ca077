namespace Arvo.Transport.RabbitMQ;

/// <summary>
/// The AMQP headers of a dead letter in <see cref="RabbitMqTopology.DeadLetterQueue"/>. The body is the original
/// message (the structured CloudEvent, or the bytes that were not one); the headers say why. String values are AMQP
/// long strings (UTF-8 bytes to most clients).
/// </summary>
public static class RabbitMqDeadLetterHeaders
{
    /// <summary>
    /// Why: an <see cref="Dispatch.ArvoDeadLetterReason"/> name (<c>UnknownDestination</c>, <c>Violation</c>,
    /// <c>RetriesExhausted</c>, <c>Unhandled</c>), <see cref="InvalidEventReason"/> or <see cref="NoDestinationReason"/>.
    /// </summary>
    public const string Reason = "arvo-dead-letter-reason";

    /// <summary>The failure's kind (<see cref="Dispatch.ArvoDeadLetter.ErrorType"/>, or the exception type of an invalid event).</summary>
    public const string ErrorType = "arvo-error-type";

    /// <summary>What went wrong, in words.</summary>
    public const string Detail = "arvo-error-detail";

    /// <summary>How many times the event was executed (an AMQP integer; 0 when it never reached a handler).</summary>
    public const string Attempts = "arvo-attempts";

    /// <summary>When it was dead-lettered (ISO 8601, UTC).</summary>
    public const string DeadLetteredAt = "arvo-dead-lettered-at";

    /// <summary>The event's <c>to</c> (or the destination whose queue held the invalid message).</summary>
    public const string Destination = "arvo-destination";

    /// <summary>The reason of a message that is not a valid CloudEvent (Arvo event): <c>InvalidEvent</c>.</summary>
    public const string InvalidEventReason = "InvalidEvent";

    /// <summary>The reason of a published event without a <c>to</c>, which no queue can take: <c>NoDestination</c>.</summary>
    public const string NoDestinationReason = "NoDestination";
}
