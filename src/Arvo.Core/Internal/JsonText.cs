using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Arvo.Internal;

/// <summary>Why a piece of text cannot be held as a .NET string and written back as UTF-8.</summary>
internal enum TextProblem : byte
{
    /// <summary>The text is well-formed.</summary>
    None,

    /// <summary>Raw bytes that are not UTF-8.</summary>
    InvalidUtf8,

    /// <summary>
    /// A UTF-16 surrogate without its partner: a <c>\ud800</c>-style escape in JSON, a lone surrogate char in a
    /// .NET string, or the three-byte encoding of a surrogate (<c>ED A0 80</c>) in UTF-8.
    /// </summary>
    LoneSurrogate,

    /// <summary>The JSON value is nested deeper than allowed.</summary>
    TooDeep,
}

/// <summary>
/// Checks for text that System.Text.Json can read but not turn into a .NET string (or a .NET string that cannot
/// be written as UTF-8): invalid UTF-8 and lone UTF-16 surrogates. The checks are linear and allocation-free on
/// the common path (vectorised searches); the path of a failure is only built once one is found.
/// </summary>
internal static class JsonText
{
    /// <summary>The index of the first lone surrogate in <paramref name="value"/>, or -1 when it is well-formed UTF-16.</summary>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> value)
    {
        var start = value.IndexOfAnyInRange('\ud800', '\udfff');
        if (start < 0)
        {
            return -1;
        }

        for (var i = start; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    /// <summary>True when <paramref name="value"/> is well-formed UTF-16 (every surrogate is paired).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> value) => IndexOfLoneSurrogate(value) < 0;

    /// <summary>
    /// Checks the raw bytes of one JSON string token (between the quotes, escapes as written): valid UTF-8 and no
    /// escaped lone surrogate. Malformed escapes are left to the JSON reader, which rejects them.
    /// </summary>
    public static TextProblem CheckStringToken(ReadOnlySpan<byte> raw)
    {
        if (!Utf8.IsValid(raw))
        {
            return HasEncodedSurrogate(raw) ? TextProblem.LoneSurrogate : TextProblem.InvalidUtf8;
        }

        return HasEscapedLoneSurrogate(raw, out _) ? TextProblem.LoneSurrogate : TextProblem.None;
    }

    /// <summary>
    /// True when the raw text of a JSON string (escapes as written) holds a <c>\uXXXX</c> surrogate escape that is not
    /// part of a high-low pair; <paramref name="unit"/> is that surrogate. Malformed escapes are left to the JSON reader.
    /// </summary>
    public static bool HasEscapedLoneSurrogate(ReadOnlySpan<byte> raw, out int unit)
    {
        unit = 0;
        var pendingHigh = -1; // a high surrogate escape waiting for its low partner
        var i = raw.IndexOf((byte)'\\');
        while (i >= 0 && i < raw.Length)
        {
            if (raw[i] != (byte)'\\' || i + 1 >= raw.Length || raw[i + 1] != (byte)'u')
            {
                if (pendingHigh >= 0)
                {
                    unit = pendingHigh;
                    return true;
                }

                // Plain text, or an escape other than \u (two bytes): jump to the next backslash.
                var from = raw[i] == (byte)'\\' ? Math.Min(i + 2, raw.Length) : i;
                var next = raw[from..].IndexOf((byte)'\\');
                i = next < 0 ? -1 : from + next;
                continue;
            }

            if (i + 6 > raw.Length || !TryParseHex4(raw.Slice(i + 2, 4), out var code))
            {
                return false;
            }

            if (pendingHigh >= 0)
            {
                if (!char.IsLowSurrogate(code))
                {
                    unit = pendingHigh;
                    return true;
                }

                pendingHigh = -1;
            }
            else if (char.IsHighSurrogate(code))
            {
                pendingHigh = code;
            }
            else if (char.IsLowSurrogate(code))
            {
                unit = code;
                return true;
            }

            i += 6;
        }

        unit = pendingHigh < 0 ? 0 : pendingHigh;
        return pendingHigh >= 0;
    }

    /// <summary>Classifies a string token the reader could not unescape or transcode (for error messages).</summary>
    public static TextProblem Classify(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence)
        {
            var copy = reader.ValueSequence.ToArray();
            return CheckStringToken(copy);
        }

        return CheckStringToken(reader.ValueSpan);
    }

    /// <summary>
    /// Checks every string and property name of one JSON value given as its raw UTF-8 text (e.g.
    /// <see cref="System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value"/>) and, when
    /// <paramref name="maxDepth"/> is positive, its nesting depth (the value itself is depth 1).
    /// </summary>
    /// <param name="raw">The raw JSON value.</param>
    /// <param name="rootPath">The path of the value, e.g. <c>data</c>; used to build <paramref name="path"/>.</param>
    /// <param name="maxDepth">The deepest nesting allowed, or 0 to skip the depth check.</param>
    /// <param name="path">The JSON path of the first offending string or key, or of the value nested too deeply.</param>
    /// <returns>The first problem found, or <see cref="TextProblem.None"/>.</returns>
    public static TextProblem CheckValue(ReadOnlySpan<byte> raw, string rootPath, int maxDepth, out string? path)
    {
        path = null;
        if (maxDepth <= 0 && Utf8.IsValid(raw) && !MayHoldSurrogateEscape(raw))
        {
            return TextProblem.None;
        }

        return Walk(raw, rootPath, maxDepth, out path);
    }

    /// <summary>A short display form of raw UTF-8 JSON for messages (invalid bytes become U+FFFD).</summary>
    public static string Display(ReadOnlySpan<byte> raw, int maxBytes = 640) =>
        Encoding.UTF8.GetString(raw.Length > maxBytes ? raw[..maxBytes] : raw);

    /// <summary>
    /// The raw JSON text as written (escapes kept, invalid bytes as U+FFFD), cut to 160 characters, for the
    /// <c>Actual</c> of an error; <paramref name="quote"/> wraps a string token's content in quotes.
    /// </summary>
    public static string Excerpt(ReadOnlySpan<byte> raw, bool quote = false)
    {
        const int MaxChars = 160;
        var text = Display(raw);
        var shown = text.Length > MaxChars ? string.Concat(text.AsSpan(0, MaxChars), $"… ({raw.Length} bytes)") : text;
        return quote ? "\"" + shown + "\"" : shown;
    }

    /// <summary>A short display form of a parsed JSON value (never throws, unlike <see cref="JsonElement.GetRawText"/>).</summary>
    public static string DisplayElement(JsonElement element) => Display(JsonMarshal.GetRawUtf8Value(element));

    /// <summary>The message fragment for <paramref name="problem"/>.</summary>
    public static string Describe(TextProblem problem) => problem switch
    {
        TextProblem.InvalidUtf8 => "bytes that are not valid UTF-8",
        TextProblem.LoneSurrogate => "a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape or char)",
        TextProblem.TooDeep => "JSON nested too deeply",
        _ => "well-formed text",
    };

    /// <summary>
    /// UTF-16 to UTF-8 that never substitutes: a lone surrogate is written as its three-byte (WTF-8) form, which is
    /// not UTF-8, so the JSON string it sits in fails <see cref="CheckStringToken"/> as <see cref="TextProblem.LoneSurrogate"/>
    /// instead of silently becoming U+FFFD. <paramref name="destination"/> needs 3 bytes per char.
    /// </summary>
    public static int TranscodeWithoutReplacement(ReadOnlySpan<char> source, Span<byte> destination)
    {
        var total = 0;
        while (true)
        {
            var status = Utf8.FromUtf16(source, destination[total..], out var read, out var written, replaceInvalidSequences: false);
            total += written;
            source = source[read..];
            if (status == OperationStatus.Done)
            {
                return total;
            }

            // InvalidData: source[0] is a lone surrogate (the destination is large enough by contract).
            var c = source[0];
            destination[total++] = (byte)(0xE0 | (c >> 12));
            destination[total++] = (byte)(0x80 | ((c >> 6) & 0x3F));
            destination[total++] = (byte)(0x80 | (c & 0x3F));
            source = source[1..];
        }
    }

    // True when some "\u" is followed by D800-DFFF hex digits (an escaped "\\u" may give a false positive, never a miss).
    private static bool MayHoldSurrogateEscape(ReadOnlySpan<byte> raw)
    {
        while (true)
        {
            var i = raw.IndexOf("\\u"u8);
            if (i < 0 || i + 4 > raw.Length)
            {
                return false;
            }

            if (raw[i + 2] is (byte)'d' or (byte)'D' && raw[i + 3] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F'))
            {
                return true;
            }

            raw = raw[(i + 2)..];
        }
    }

    private static TextProblem Walk(ReadOnlySpan<byte> raw, string rootPath, int maxDepth, out string? path)
    {
        path = null;

        // Lenient about what a JsonDocument may have accepted (comments, trailing commas); depth is checked here.
        var reader = new Utf8JsonReader(raw, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = int.MaxValue,
        });

        // One frame per open container: for an array the number of elements begun so far, for an object -1 and
        // the raw span of the current property name.
        var indexes = new List<int>();
        var names = new List<(int Start, int Length)>();
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token is not (JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.PropertyName)
                && indexes.Count > 0 && indexes[^1] >= 0)
            {
                indexes[^1]++;
            }

            switch (token)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    indexes.Add(token == JsonTokenType.StartArray ? 0 : -1);
                    names.Add((0, -1));

                    if (maxDepth > 0 && indexes.Count > maxDepth)
                    {
                        path = BuildPath(raw, rootPath, indexes, names, includeLast: false);
                        return TextProblem.TooDeep;
                    }

                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    indexes.RemoveAt(indexes.Count - 1);
                    names.RemoveAt(names.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    names[^1] = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                    var keyProblem = CheckStringToken(reader.ValueSpan);
                    if (keyProblem != TextProblem.None)
                    {
                        path = BuildPath(raw, rootPath, indexes, names, includeLast: true);
                        return keyProblem;
                    }

                    break;
                case JsonTokenType.String:
                    var problem = CheckStringToken(reader.ValueSpan);
                    if (problem != TextProblem.None)
                    {
                        path = BuildPath(raw, rootPath, indexes, names, includeLast: true);
                        return problem;
                    }

                    break;
            }
        }

        return TextProblem.None;
    }

    private static string BuildPath(ReadOnlySpan<byte> raw, string rootPath, List<int> indexes, List<(int Start, int Length)> names, bool includeLast)
    {
        var builder = new StringBuilder(rootPath);
        var count = includeLast ? indexes.Count : indexes.Count - 1;
        for (var i = 0; i < count; i++)
        {
            if (indexes[i] >= 0)
            {
                // The index was advanced past the element being read.
                builder.Append('[').Append(indexes[i] - 1).Append(']');
            }
            else if (names[i].Length >= 0)
            {
                builder.Append('.').Append(Display(raw.Slice(names[i].Start, names[i].Length), 128));
            }
        }

        return builder.ToString();
    }

    private static bool HasEncodedSurrogate(ReadOnlySpan<byte> raw)
    {
        for (var i = raw.IndexOf((byte)0xED); i >= 0 && i + 1 < raw.Length; i++)
        {
            if (raw[i] == 0xED && raw[i + 1] is >= 0xA0 and <= 0xBF)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseHex4(ReadOnlySpan<byte> hex, out char unit)
    {
        var value = 0;
        foreach (var b in hex)
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                unit = '\0';
                return false;
            }

            value = (value << 4) | digit;
        }

        unit = (char)value;
        return true;
    }
}
