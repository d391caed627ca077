namespace Arvo;

/// <summary>
/// Base of Arvo's violations: errors that must not be turned into <c>sys.&lt;type&gt;.error</c> events
/// but surface to the caller (a broken contract, a misconfiguration, an execution or transaction
/// failure). The <see cref="Exception.Message"/> starts with <c>ViolationError&lt;Type&gt; </c>, as in the reference.
/// </summary>
/// <remarks>
/// The four library violations (<see cref="ContractViolation"/>, <see cref="ConfigViolation"/>,
/// <see cref="ExecutionViolation"/>, <see cref="TransactionViolation"/>) are sealed; derive from this
/// class only to define a violation of your own kind.
/// </remarks>
public class ArvoViolation : Exception
{
    /// <summary>Creates a violation of the given kind.</summary>
    /// <param name="violationType">The kind, e.g. <c>Contract</c>; must be non-empty.</param>
    /// <param name="message">What went wrong, naming the field, the expected and the actual value.</param>
    /// <param name="metadata">Optional structured details.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    /// <exception cref="ArgumentException"><paramref name="violationType"/> is empty.</exception>
    public ArvoViolation(string violationType, string message, IReadOnlyDictionary<string, object?>? metadata = null, Exception? innerException = null)
        : base($"ViolationError<{RequireType(violationType)}> {message}", innerException)
    {
        ViolationType = violationType;
        Detail = message;
        Metadata = metadata;
    }

    /// <summary>The violation kind, e.g. <c>Contract</c> or <c>OrchestratorTransaction</c>.</summary>
    public string ViolationType { get; }

    /// <summary>The reference's error name, <c>ViolationError&lt;Type&gt;</c>; used as <c>errorName</c> in error payloads.</summary>
    public string Name => $"ViolationError<{ViolationType}>";

    /// <summary>The message without the <c>ViolationError&lt;Type&gt; </c> prefix.</summary>
    public string Detail { get; }

    /// <summary>Structured details, or null.</summary>
    public IReadOnlyDictionary<string, object?>? Metadata { get; }

    /// <summary>True when <paramref name="value"/> is an Arvo violation (any kind).</summary>
    public static bool IsViolation(object? value) => value is ArvoViolation { ViolationType.Length: > 0 };

    private static string RequireType(string violationType) =>
        string.IsNullOrEmpty(violationType)
            ? throw new ArgumentException("A violation type must be a non-empty string.", nameof(violationType))
            : violationType;
}
