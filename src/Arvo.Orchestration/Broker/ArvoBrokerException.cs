namespace Arvo.Broker;

/// <summary>A failure of the in-process <see cref="SimpleEventBroker"/>; <see cref="Kind"/> says which.</summary>
public sealed class ArvoBrokerException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">The message, naming the topic, bound or event types involved.</param>
    /// <param name="eventTypes">For <see cref="ArvoBrokerErrorKind.HopLimitExceeded"/>: the event types of the looping chain.</param>
    public ArvoBrokerException(ArvoBrokerErrorKind kind, string message, IReadOnlyList<string>? eventTypes = null)
        : this(kind, message, eventTypes, rejectedEvents: null, innerException: null)
    {
    }

    /// <summary>Creates the exception for events the broker did not accept.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">The message, naming the bound and the rejected events.</param>
    /// <param name="eventTypes">For <see cref="ArvoBrokerErrorKind.HopLimitExceeded"/>: the event types of the looping chain.</param>
    /// <param name="rejectedEvents">The events that were not enqueued, in publish order.</param>
    /// <param name="innerException">The first underlying rejection, when this exception sums up several.</param>
    public ArvoBrokerException(
        ArvoBrokerErrorKind kind, string message, IReadOnlyList<string>? eventTypes, IReadOnlyList<ArvoEvent>? rejectedEvents, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
        EventTypes = eventTypes ?? [];
        RejectedEvents = rejectedEvents ?? [];
    }

    /// <summary>What went wrong.</summary>
    public ArvoBrokerErrorKind Kind { get; }

    /// <summary>
    /// For <see cref="ArvoBrokerErrorKind.HopLimitExceeded"/>: the distinct event types of the most recent part of the
    /// causal chain, most recent first (the types that loop); empty otherwise.
    /// </summary>
    public IReadOnlyList<string> EventTypes { get; }

    /// <summary>
    /// For <see cref="ArvoBrokerErrorKind.QueueFull"/>, <see cref="ArvoBrokerErrorKind.HopLimitExceeded"/> and
    /// <see cref="ArvoBrokerErrorKind.MissingTo"/>: the events that were not enqueued, in publish order (one for a single
    /// publish; every rejected event of a handler's results when a registered handler's fan-out was cut short); empty
    /// otherwise. None of them was delivered.
    /// </summary>
    public IReadOnlyList<ArvoEvent> RejectedEvents { get; }
}
