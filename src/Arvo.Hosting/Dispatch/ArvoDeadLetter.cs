namespace Arvo.Dispatch;

/// <summary>An event that can never succeed as it is, with why: what a dead-letter sink stores.</summary>
/// <param name="Event">The original event, unchanged.</param>
/// <param name="Reason">Why it was dead-lettered.</param>
/// <param name="Detail">What went wrong, in words (the violation's or exception's message).</param>
/// <param name="ErrorType">The failure's kind: the violation type (<c>Contract</c>, <c>Config</c>, ...), the transaction cause (<c>LOCK_UNACQUIRED</c>, ...), the exception type name, or <c>UnknownDestination</c>.</param>
/// <param name="Attempts">How many times it was executed (0 when it never reached a handler).</param>
/// <param name="DeadLetteredAt">When it was dead-lettered.</param>
/// <param name="Exception">The failure, when there was one; not serialized by sinks that persist.</param>
public sealed record ArvoDeadLetter(
    ArvoEvent Event,
    ArvoDeadLetterReason Reason,
    string Detail,
    string ErrorType,
    int Attempts,
    DateTimeOffset DeadLetteredAt,
    Exception? Exception = null);
