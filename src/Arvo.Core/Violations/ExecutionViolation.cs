namespace Arvo;

/// <summary>
/// The execution cannot proceed for a reason outside the contracts, e.g. an event without a valid orchestration subject, or user code that deliberately signals an unrecoverable failure. It is rethrown, never turned into a system-error event.
/// </summary>
/// <remarks>Violation type <c>Execution</c>; the message starts with <c>ViolationError&lt;Execution&gt; </c>.</remarks>
public sealed class ExecutionViolation : ArvoViolation
{
    /// <summary>Creates the violation.</summary>
    /// <param name="message">What went wrong, naming the field, the expected and the actual value.</param>
    /// <param name="metadata">Optional structured details.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public ExecutionViolation(string message, IReadOnlyDictionary<string, object?>? metadata = null, Exception? innerException = null)
        : base("Execution", message, metadata, innerException)
    {
    }
}
