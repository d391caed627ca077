using Arvo.Subjects;

namespace Arvo.Internal;

/// <summary>A failed subject operation, kept as data until a throwing API turns it into an exception.</summary>
internal readonly struct SubjectError(ArvoSubjectErrorKind kind, string? field, string expected, string actual, Exception? cause = null)
{
    public const string CreatePrefix = "Error creating orchestration subject string from the provided context.";

    public const string ParsePrefix = "Error parsing orchestration subject string to the context.";

    private const int MaxQuotedLength = 64;

    public ArvoSubjectErrorKind Kind { get; } = kind;

    public string? Field { get; } = field;

    public string Expected { get; } = expected;

    public string Actual { get; } = actual;

    public Exception? Cause { get; } = cause;

    public static SubjectError Content(string field, string expected, string actual) =>
        new(ArvoSubjectErrorKind.InvalidContent, field, expected, actual);

    /// <summary>A string value as it appears in messages: quoted and cut to 64 characters, or <c>null</c>.</summary>
    public static string Quote(string? value) =>
        value is null ? "null"
        : value.Length <= MaxQuotedLength ? $"\"{value}\""
        : $"\"{value.AsSpan(0, MaxQuotedLength)}…\" ({value.Length} characters)";

    public ArvoOrchestrationSubjectException ToException(bool parsing)
    {
        var prefix = parsing ? ParsePrefix : CreatePrefix;
        var detail = Field is null
            ? $"Expected {Expected}, found {Actual}."
            : $"Invalid '{Field}': expected {Expected}, found {Actual}.";
        return new ArvoOrchestrationSubjectException($"{prefix} {detail}", Kind, Field, Expected, Actual, Cause);
    }
}
