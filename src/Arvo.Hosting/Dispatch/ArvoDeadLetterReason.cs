namespace Arvo.Dispatch;

/// <summary>Why an event was dead-lettered (<see cref="ArvoDeadLetter.Reason"/>).</summary>
public enum ArvoDeadLetterReason
{
    /// <summary>No registered handler, orchestrator or resumable has the event's <c>to</c> as its source.</summary>
    UnknownDestination,

    /// <summary>
    /// The execution threw a violation that a retry cannot fix (contract, configuration or execution violation): the
    /// event, the handler or the workflow's definition must change.
    /// </summary>
    Violation,

    /// <summary>A retryable failure (lock contention, a transient store error) persisted through every attempt.</summary>
    RetriesExhausted,

    /// <summary>The execution threw an exception that is neither a violation nor transient.</summary>
    Unhandled,
}
