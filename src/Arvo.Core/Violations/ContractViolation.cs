namespace Arvo;

/// <summary>
/// An event or its data does not satisfy the contract it claims (wrong data, a dataschema naming another contract or version). The producer must fix the event; retrying the same event cannot succeed.
/// </summary>
/// <remarks>Violation type <c>Contract</c>; the message starts with <c>ViolationError&lt;Contract&gt; </c>.</remarks>
public sealed class ContractViolation : ArvoViolation
{
    /// <summary>Creates the violation.</summary>
    /// <param name="message">What went wrong, naming the field, the expected and the actual value.</param>
    /// <param name="metadata">Optional structured details.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public ContractViolation(string message, IReadOnlyDictionary<string, object?>? metadata = null, Exception? innerException = null)
        : base("Contract", message, metadata, innerException)
    {
    }
}
