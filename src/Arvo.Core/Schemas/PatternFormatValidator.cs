using Newtonsoft.Json.Linq;
using NJsonSchema.Validation;
using NJsonSchema.Validation.FormatValidators;

namespace Arvo.Internal;

/// <summary>
/// Lets NJsonSchema's validator check one schema <c>pattern</c> (carried as a <c>format</c>, see
/// <see cref="SchemaJsonPreparer"/>) with <see cref="SchemaPattern"/>: bounded cost, and the same matcher as the
/// compiled validator.
/// </summary>
internal sealed class PatternFormatValidator(SchemaPattern pattern) : IFormatValidator
{
    /// <inheritdoc />
    public ValidationErrorKind ValidationErrorKind => ValidationErrorKind.PatternMismatch;

    /// <inheritdoc />
    public string Format { get; } = SchemaJsonPreparer.PatternFormatPrefix + pattern.Pattern;

    /// <inheritdoc />
    /// <exception cref="System.Text.RegularExpressions.RegexMatchTimeoutException">A backtracking pattern timed out.</exception>
    public bool IsValid(string value, JTokenType tokenType) => pattern.IsMatch(value);
}
