using System.Text;

namespace Arvo.Events;

/// <summary>
/// An <see cref="ArvoEvent"/> could not be built or read because one attribute breaks the wire-format
/// rules: a missing or mistyped attribute, an invalid URI, domain, time or extension, or malformed JSON.
/// </summary>
/// <remarks>
/// <see cref="Attribute"/> names the offending attribute as it is spelled on the wire (for example
/// <c>domain</c>, <c>executionunits</c> or a custom extension name; <see cref="DocumentAttribute"/>
/// when the JSON document itself is malformed). The message quotes the reference's wording where the
/// specification fixes it, for example <c>Domain must contain only lowercase letters, numbers, and dots</c>
/// or <c>The ArvoEvent must have a non-empty 'to' field</c>. <see cref="ArgumentException.ParamName"/>
/// returns <see cref="Attribute"/>.
/// </remarks>
public sealed class ArvoEventValidationException : ArgumentException
{
    /// <summary>The <see cref="Attribute"/> reported when the JSON text is malformed or not an object.</summary>
    public const string DocumentAttribute = "$";

    private const int MaxActualLength = 160;

    /// <summary>Creates the exception.</summary>
    /// <param name="attribute">The attribute's wire name.</param>
    /// <param name="reason">What is wrong, e.g. <c>Domain must be non-empty string</c>.</param>
    /// <param name="expected">What a valid value looks like.</param>
    /// <param name="actual">A short display form of the actual value, or null when the attribute is absent.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ArvoEventValidationException(string attribute, string reason, string expected, string? actual, Exception? innerException = null)
        : base(BuildMessage(attribute, reason, expected, actual), innerException)
    {
        Attribute = attribute;
        Reason = reason;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The offending attribute, spelled as on the wire (<see cref="DocumentAttribute"/> for malformed JSON).</summary>
    public string Attribute { get; }

    /// <summary>What is wrong, without the attribute name and values.</summary>
    public string Reason { get; }

    /// <summary>A description of a valid value.</summary>
    public string Expected { get; }

    /// <summary>A short display form of the actual value (strings are quoted and truncated); null when the attribute is missing.</summary>
    public string? Actual { get; }

    /// <inheritdoc />
    public override string? ParamName => Attribute;

    /// <summary>A quoted, escaped and truncated display form of a string value, or <c>null</c>.</summary>
    internal static string Describe(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxActualLength) + 8);
        builder.Append('"');
        var length = Math.Min(value.Length, MaxActualLength);
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case >= '\ud800' and <= '\udfff' when !(char.IsHighSurrogate(c) && i + 1 < length && char.IsLowSurrogate(value[i + 1]))
                    && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(value[i - 1])):
                    // A lone surrogate is shown as its escape, so the message itself stays valid Unicode.
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
        if (value.Length > MaxActualLength)
        {
            builder.Append("… (").Append(value.Length).Append(" characters)");
        }

        return builder.ToString();
    }

    private static string BuildMessage(string attribute, string reason, string expected, string? actual) =>
        $"Invalid ArvoEvent attribute '{attribute}': {reason}. Expected {expected}; actual {actual ?? "(missing)"}.";
}
