namespace Arvo;

/// <summary>The outcome of validating data against an <see cref="ArvoSchema"/>.</summary>
public sealed class ArvoSchemaValidationResult
{
    private static readonly ArvoSchemaIssue[] NoIssues = [];

    private ArvoSchemaValidationResult(IReadOnlyList<ArvoSchemaIssue> issues) => Issues = issues;

    /// <summary>The shared result of valid data (no issues).</summary>
    public static ArvoSchemaValidationResult Success { get; } = new(NoIssues);

    /// <summary>True when the data matches the schema.</summary>
    public bool IsValid => Issues.Count == 0;

    /// <summary>Every issue found, in the order the schema was checked; empty when valid.</summary>
    public IReadOnlyList<ArvoSchemaIssue> Issues { get; }

    /// <summary>Creates a failed result.</summary>
    /// <param name="issues">The issues; at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="issues"/> is empty.</exception>
    public static ArvoSchemaValidationResult Failure(IEnumerable<ArvoSchemaIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        var list = issues.ToArray();
        return list.Length == 0
            ? throw new ArgumentException("A failed validation result needs at least one issue.", nameof(issues))
            : new ArvoSchemaValidationResult(list);
    }

    /// <summary>
    /// <c>valid</c>, or the issues' messages joined by <c>"; "</c>, e.g.
    /// <c>$.delta: expected number, found string</c>. Used as the details of validation errors.
    /// </summary>
    public override string ToString() => IsValid ? "valid" : string.Join("; ", Issues.Select(issue => issue.Message));
}
