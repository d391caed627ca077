using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Arvo.Schemas;
using Newtonsoft.Json.Linq;

namespace Arvo.Internal;

/// <summary>
/// The checks every piece of data passes before a schema looks at it (data arrives from other teams' services):
/// no lone UTF-16 surrogate in a string or property name, no number beyond the double range, no nesting deeper
/// than <see cref="MaxDepth"/>, not an undefined (<c>default</c>) <see cref="JsonElement"/>. Failing data is
/// invalid with issues naming the paths; the schema is then not consulted.
/// </summary>
/// <remarks>
/// <para>
/// A lone surrogate (<c>"a\ud800b"</c> in JSON text) cannot be encoded as UTF-8, so such text is rejected, not
/// repaired: it would break serialization later. A number such as <c>1e309</c> is a valid JSON number whose value
/// is infinite: it would pass <c>type: number</c> and break the reader that needs its value. The depth bound keeps
/// the recursive validators' stack use bounded whatever nesting the caller's parser allowed.
/// </para>
/// <para>
/// The check costs one walk over the data without allocating; strings are inspected only when the data's JSON
/// text holds a backslash (a lone surrogate can only be written as an escape: JSON text is valid UTF-8).
/// </para>
/// </remarks>
internal static class UntrustedData
{
    /// <summary>The deepest nesting of objects and arrays accepted (the root object or array is level 1).</summary>
    public const int MaxDepth = 256;

    /// <summary>The most issues reported for one piece of data (the check stops there).</summary>
    public const int MaxIssues = 100;

    private const double MaxDigitsOfAFiniteNumber = 308;

    /// <summary>The characters for which Newtonsoft writes a property as <c>['name']</c> in a path.</summary>
    private static readonly SearchValues<char> PathSpecialCharacters = SearchValues.Create(". '/\"[]()\t\n\r\f\b\\\u0085\u2028\u2029");

    /// <summary>Null when <paramref name="data"/> passes; otherwise the failed result listing every problem (up to <see cref="MaxIssues"/>).</summary>
    public static ArvoSchemaValidationResult? Check(JsonElement data)
    {
        if (data.ValueKind == JsonValueKind.Undefined)
        {
            return ArvoSchemaValidationResult.Failure([new ArvoSchemaIssue("$", "invalid_type", "a JSON value", "an undefined JsonElement (default(JsonElement))")]);
        }

        var raw = JsonMarshal.GetRawUtf8Value(data);

        // Bytes that are not UTF-8 (a JsonDocument keeps them as they came) cannot be read as text: rejected, not replaced.
        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            return ArvoSchemaValidationResult.Failure([new ArvoSchemaIssue(FirstInvalidUtf8Path(data, "$") ?? "$", "invalid_string", "well-formed UTF-8 text", "bytes that are not valid UTF-8")]);
        }

        var checkStrings = raw.IndexOf((byte)'\\') >= 0;
        if (IsAcceptable(data, 0, checkStrings))
        {
            return null;
        }

        var issues = new List<ArvoSchemaIssue>();
        Collect(data, string.Empty, 0, checkStrings, issues);
        return issues.Count == 0 ? null : ArvoSchemaValidationResult.Failure(issues);
    }

    /// <summary>The issue of a pattern match that timed out: at the path of the first string (or property name) of the data equal to the match input.</summary>
    public static ArvoSchemaValidationResult PatternTimedOut(JsonElement data, RegexMatchTimeoutException timeout)
    {
        var input = timeout.Input ?? string.Empty;
        var within = $"within {timeout.MatchTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms";
        var found = $"{SchemaIssues.Literal(new JValue(input))} (the match timed out)";
        var (path, isName) = data.ValueKind == JsonValueKind.Undefined ? (null, false) : Find(data, string.Empty, 0, input);
        return ArvoSchemaValidationResult.Failure(
        [
            new ArvoSchemaIssue(
                SchemaIssues.ToPath("#/" + path),
                "invalid_string",
                isName ? $"a property name matching /{timeout.Pattern}/ {within}" : $"string matching /{timeout.Pattern}/ {within}",
                found),
        ]);
    }

    /// <summary>Every string value and property name of <paramref name="data"/> (which passed <see cref="Check"/>).</summary>
    public static void ForEachString(JsonElement data, Action<string> value, Action<string> name)
    {
        switch (data.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in data.EnumerateObject())
                {
                    name(property.Name);
                    ForEachString(property.Value, value, name);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in data.EnumerateArray())
                {
                    ForEachString(item, value, name);
                }

                break;
            case JsonValueKind.String:
                value(data.GetString()!);
                break;
        }
    }

    private static bool IsAcceptable(JsonElement value, int level, bool checkStrings)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                if (level >= MaxDepth)
                {
                    return false;
                }

                foreach (var property in value.EnumerateObject())
                {
                    if ((checkStrings && HasLoneSurrogate(JsonMarshal.GetRawUtf8PropertyName(property), out _))
                        || !IsAcceptable(property.Value, level + 1, checkStrings))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                if (level >= MaxDepth)
                {
                    return false;
                }

                foreach (var item in value.EnumerateArray())
                {
                    if (!IsAcceptable(item, level + 1, checkStrings))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                return !checkStrings || !HasLoneSurrogate(StringContent(value), out _);
            case JsonValueKind.Number:
                return IsFinite(value);
            default:
                return true;
        }
    }

    /// <param name="value">The value.</param>
    /// <param name="path">Its path as a <c>JToken.Path</c> (<c>a.b[0]</c>, <c>['b c']</c>), empty for the root.</param>
    /// <param name="level">The number of objects and arrays around it.</param>
    /// <param name="checkStrings">Whether strings can hold an escape.</param>
    /// <param name="issues">Where issues are added.</param>
    private static void Collect(JsonElement value, string path, int level, bool checkStrings, List<ArvoSchemaIssue> issues)
    {
        if (issues.Count >= MaxIssues)
        {
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object or JsonValueKind.Array when level >= MaxDepth:
                issues.Add(new ArvoSchemaIssue(
                    SchemaIssues.ToPath("#/" + path),
                    "too_big",
                    $"a value nested at most {MaxDepth} levels deep",
                    $"{(value.ValueKind == JsonValueKind.Object ? "an object" : "an array")} at nesting level {MaxDepth + 1}"));
                return;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    string childPath;
                    var rawName = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (checkStrings && HasLoneSurrogate(rawName, out var unit))
                    {
                        // The name cannot be decoded: the path shows it as written in the JSON text.
                        var written = Encoding.UTF8.GetString(rawName);
                        childPath = path + "['" + written + "']";
                        Add(issues, new ArvoSchemaIssue(
                            SchemaIssues.ToPath("#/" + childPath),
                            "invalid_string",
                            "a property name without a lone UTF-16 surrogate (text must be encodable as UTF-8)",
                            $"the name \"{written}\" holding the lone surrogate \\u{unit:X4}"));
                    }
                    else
                    {
                        childPath = TokenPropertyPath(path, property.Name);
                    }

                    Collect(property.Value, childPath, level + 1, checkStrings, issues);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Collect(item, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]", level + 1, checkStrings, issues);
                    index++;
                }

                break;
            case JsonValueKind.String when checkStrings && HasLoneSurrogate(StringContent(value), out var unit):
                Add(issues, new ArvoSchemaIssue(
                    SchemaIssues.ToPath("#/" + path),
                    "invalid_string",
                    "text without a lone UTF-16 surrogate (text must be encodable as UTF-8)",
                    $"a string holding the lone surrogate \\u{unit:X4}"));
                break;
            case JsonValueKind.Number when !IsFinite(value):
                var raw = value.GetRawText();
                Add(issues, new ArvoSchemaIssue(
                    SchemaIssues.ToPath("#/" + path),
                    "not_finite",
                    "a finite number (within the double range)",
                    raw.Length <= 80 ? raw : string.Concat(raw.AsSpan(0, 80), "…")));
                break;
        }
    }

    private static void Add(List<ArvoSchemaIssue> issues, ArvoSchemaIssue issue)
    {
        if (issues.Count < MaxIssues)
        {
            issues.Add(issue);
        }
    }

    /// <summary>The path of the first string value or property name equal to <paramref name="text"/>, in document order; null when none.</summary>
    private static (string? Path, bool IsName) Find(JsonElement value, string path, int level, string text)
    {
        if (level > MaxDepth)
        {
            return (null, false);
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    var childPath = TokenPropertyPath(path, property.Name);
                    if (property.NameEquals(text))
                    {
                        return (childPath, true);
                    }

                    if (Find(property.Value, childPath, level + 1, text) is { Path: not null } found)
                    {
                        return found;
                    }
                }

                return (null, false);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Find(item, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]", level + 1, text) is { Path: not null } found)
                    {
                        return found;
                    }

                    index++;
                }

                return (null, false);
            case JsonValueKind.String when value.ValueEquals(text):
                return (path, false);
            default:
                return (null, false);
        }
    }

    /// <summary>Newtonsoft's <c>JToken.Path</c> of a property (<c>a.b</c>, or <c>a['b c']</c> for special names), as NJsonSchema reports paths.</summary>
    private static string TokenPropertyPath(string path, string name)
    {
        if (name.AsSpan().IndexOfAny(PathSpecialCharacters) < 0)
        {
            return path.Length == 0 ? name : path + "." + name;
        }

        return path + "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }

    /// <summary>A number is finite unless its text is long enough, or has an exponent, to reach beyond the double range.</summary>
    private static bool IsFinite(JsonElement number)
    {
        var raw = JsonMarshal.GetRawUtf8Value(number);
        if (raw.Length <= MaxDigitsOfAFiniteNumber && raw.IndexOfAny((byte)'e', (byte)'E') < 0)
        {
            return true;
        }

        return number.TryGetDouble(out var value) && double.IsFinite(value);
    }

    /// <summary>The path of the first string or property name whose bytes are not valid UTF-8, or null.</summary>
    private static string? FirstInvalidUtf8Path(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return System.Text.Unicode.Utf8.IsValid(JsonMarshal.GetRawUtf8Value(value)) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (FirstInvalidUtf8Path(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    // The name itself cannot be decoded, so the path stops at its parent.
                    if (!System.Text.Unicode.Utf8.IsValid(JsonMarshal.GetRawUtf8PropertyName(property)))
                    {
                        return path;
                    }

                    // The name as written (escapes kept): decoding it would throw for a lone surrogate escape.
                    var name = System.Text.Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8PropertyName(property));
                    if (FirstInvalidUtf8Path(property.Value, path + "." + name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The JSON text of a string value between its quotes (escapes not decoded).</summary>
    private static ReadOnlySpan<byte> StringContent(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return raw.Length >= 2 ? raw[1..^1] : raw;
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<byte> escaped, out int unit) => JsonText.HasEscapedLoneSurrogate(escaped, out unit);
}
