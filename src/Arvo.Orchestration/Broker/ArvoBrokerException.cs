namespace Arvo;

/// <summary>A failure of the in-process <see cref="SimpleEventBroker"/>; <see cref="Kind"/> says which.</summary>
public sealed class ArvoBrokerException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">The message, naming the topic, bound or event types involved.</param>
    /// <param name="eventTypes">For <see cref="ArvoBrokerErrorKind.HopLimitExceeded"/>: the event types of the looping chain.</param>
    public ArvoBrokerException(ArvoBrokerErrorKind kind, string message, IReadOnlyList<string>? eventTypes = null)
        : base(message)
    {
        Kind = kind;
        EventTypes = eventTypes ?? [];
    }

    /// <summary>What went wrong.</summary>
    public ArvoBrokerErrorKind Kind { get; }

    /// <summary>
    /// For <see cref="ArvoBrokerErrorKind.HopLimitExceeded"/>: the distinct event types of the most recent part of the
    /// causal chain, most recent first (the types that loop); empty otherwise.
    /// </summary>
    public IReadOnlyList<string> EventTypes { get; }
}
