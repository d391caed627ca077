namespace Arvo;

/// <summary>
/// The system is wired wrongly: an event reached a handler that has no contract or version for it, or a machine or contract was defined inconsistently. An operator must fix the configuration.
/// </summary>
/// <remarks>Violation type <c>Config</c>; the message starts with <c>ViolationError&lt;Config&gt; </c>.</remarks>
public sealed class ConfigViolation : ArvoViolation
{
    /// <summary>Creates the violation.</summary>
    /// <param name="message">What went wrong, naming the field, the expected and the actual value.</param>
    /// <param name="metadata">Optional structured details.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public ConfigViolation(string message, IReadOnlyDictionary<string, object?>? metadata = null, Exception? innerException = null)
        : base("Config", message, metadata, innerException)
    {
    }
}
