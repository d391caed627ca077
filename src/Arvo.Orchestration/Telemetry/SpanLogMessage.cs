using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Arvo.Telemetry;

/// <summary>
/// The text of a <c>log</c> span event, written from an interpolated string only when the span records it
/// (<see cref="Activity.IsAllDataRequested"/>): with no listener, <c>$"… {subject} …"</c> costs no string at all.
/// </summary>
[InterpolatedStringHandler]
internal ref struct SpanLogMessage
{
    private DefaultInterpolatedStringHandler _text;

    /// <summary>Starts the text for <paramref name="activity"/>; <paramref name="isEnabled"/> tells the compiler whether to append the parts.</summary>
    public SpanLogMessage(int literalLength, int formattedCount, Activity? activity, out bool isEnabled)
    {
        isEnabled = activity is { IsAllDataRequested: true };
        _text = isEnabled ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    /// <summary>Starts the text for the ambient activity (<see cref="Activity.Current"/>).</summary>
    public SpanLogMessage(int literalLength, int formattedCount, out bool isEnabled)
        : this(literalLength, formattedCount, Activity.Current, out isEnabled)
    {
    }

    /// <summary>Appends a literal part.</summary>
    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    /// <summary>Appends a formatted part, as <see cref="DefaultInterpolatedStringHandler"/> does.</summary>
    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    /// <summary>Appends a string part.</summary>
    public void AppendFormatted(string? value) => _text.AppendFormatted(value);

    /// <summary>The text (empty when it was not written); the handler is spent afterwards.</summary>
    public string ToStringAndClear() => _text.ToStringAndClear();
}
