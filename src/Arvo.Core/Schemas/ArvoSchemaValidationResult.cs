namespace Arvo.Schemas;

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
    /// A failed result from the issues a validator reported. A validator may declare data invalid without
    /// a mappable issue (NJsonSchema reports <c>required</c> on a non-object even when the schema has no
    /// <c>type</c>, and that report is otherwise dropped as redundant); then one root-level issue says so,
    /// instead of failing to build a result.
    /// </summary>
    internal static ArvoSchemaValidationResult InvalidFrom(List<ArvoSchemaIssue> issues) =>
        issues.Count == 0
            ? Failure([new ArvoSchemaIssue("$", "required", "an object with the schema's required properties", "a value that is not such an object")])
            : Failure(issues.Distinct());

    /// <summary>
    /// <c>valid</c>, or the issues' messages joined by <c>"; "</c>, e.g.
    /// <c>$.delta: expected number, found string</c>. Used as the details of validation errors.
    /// </summary>
    public override string ToString() => IsValid ? "valid" : string.Join("; ", Issues.Select(issue => issue.Message));
}
