namespace Arvo.Subjects;

/// <summary>
/// An orchestration subject could not be created from its content, or a subject string could not be
/// parsed. The message starts with the reference's prefix
/// (<c>Error creating orchestration subject string from the provided context.</c> or
/// <c>Error parsing orchestration subject string to the context.</c>) and then names the field, the
/// expected and the actual value.
/// </summary>
public sealed class ArvoOrchestrationSubjectException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message, including the reference prefix.</param>
    /// <param name="kind">Why the operation failed.</param>
    /// <param name="field">The offending field as a dotted path (e.g. <c>execution.domain</c>), or null when the failure is not about one field.</param>
    /// <param name="expected">What was expected, in words.</param>
    /// <param name="actual">What was found, in words (string values are quoted and truncated).</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public ArvoOrchestrationSubjectException(
        string message,
        ArvoSubjectErrorKind kind,
        string? field,
        string expected,
        string actual,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Field = field;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Why the operation failed.</summary>
    public ArvoSubjectErrorKind Kind { get; }

    /// <summary>
    /// The offending field as a dotted path (<c>orchestrator.name</c>, <c>execution.domain</c>,
    /// <c>meta.tenant</c>, <c>$</c> for the root), or null when the failure is not about one field
    /// (base64, zlib, size).
    /// </summary>
    public string? Field { get; }

    /// <summary>What was expected, in words (e.g. <c>null or a non-empty string matching ^[a-z0-9.]+$</c>).</summary>
    public string Expected { get; }

    /// <summary>What was found, in words (e.g. <c>"TEST"</c>, <c>missing</c>, <c>a number</c>).</summary>
    public string Actual { get; }
}
