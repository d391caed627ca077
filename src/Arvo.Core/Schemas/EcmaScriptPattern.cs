using System.Buffers;
using System.Text;

namespace Arvo.Internal;

/// <summary>
/// Rewrites a JSON Schema <c>pattern</c>, whose dialect is ECMAScript's, into a .NET pattern that matches the same
/// strings, so that a schema accepts in .NET exactly what zod and ajv accept in JavaScript.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="System.Text.RegularExpressions.RegexOptions.ECMAScript"/> would give these semantics, but it cannot be
/// combined with <see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/> (the linear-time engine
/// that bounds the cost of untrusted data), so the constructs whose meaning differs are spelled out instead:
/// </para>
/// <list type="table">
/// <listheader><term>JavaScript</term><description>becomes (.NET)</description></listheader>
/// <item><term><c>\d</c> / <c>\D</c></term><description><c>[0-9]</c> / its complement (.NET's <c>\d</c> is every Unicode decimal digit, e.g. <c>١</c>)</description></item>
/// <item><term><c>\w</c> / <c>\W</c></term><description><c>[a-zA-Z0-9_]</c> / its complement (.NET's <c>\w</c> includes letters such as <c>é</c>)</description></item>
/// <item><term><c>\s</c> / <c>\S</c></term><description>JavaScript's white space and line terminators: <c>\t \n \v \f \r</c>, space, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF (.NET's <c>\s</c> adds U+0085 and lacks U+FEFF)</description></item>
/// <item><term><c>.</c></term><description>any character but the line terminators <c>\n \r</c> U+2028 U+2029 (.NET's excludes only <c>\n</c>)</description></item>
/// <item><term><c>$</c></term><description><c>\z</c>, the end of the input (.NET's <c>$</c> also matches before a final <c>\n</c>)</description></item>
/// <item><term><c>\b</c> / <c>\B</c></term><description>lookarounds on <c>[a-zA-Z0-9_]</c> (.NET's word boundary uses Unicode word characters); such a pattern runs on the backtracking engine, with the timeout</description></item>
/// <item><term><c>[]</c> / <c>[^]</c></term><description>a class that matches nothing / any character (.NET reads a <c>]</c> right after <c>[</c> as a literal)</description></item>
/// <item><term><c>[</c> inside a class</term><description><c>\[</c> (.NET would start a class subtraction at <c>-[</c>)</description></item>
/// </list>
/// <para>
/// Inside a character class the class escapes become their ranges (<c>[^\d]</c> → <c>[^0-9]</c>,
/// <c>[\D]</c> → <c>[\u0000-/:-\uFFFF]</c>), and a <c>-</c> that would join a range to one is escaped
/// (<c>[a-\d]</c> is <c>a</c>, <c>-</c> or a digit, as in JavaScript). Every other escape and construct is kept as
/// written, with .NET's meaning where the two differ: <c>\p{L}</c> is a Unicode category (as in JavaScript's
/// <c>u</c> mode), and .NET-only syntax such as <c>(?i)</c> is accepted. Patterns are matched on UTF-16 code
/// units, as JavaScript does without the <c>u</c> flag. The translation is idempotent (its output has none of the
/// constructs it rewrites), so translating a translated pattern changes nothing.
/// </para>
/// </remarks>
internal static class EcmaScriptPattern
{
    private const string Digit = "0-9";
    private const string NotDigit = @"\u0000-/:-\uFFFF";
    private const string Word = "a-zA-Z0-9_";
    private const string NotWord = @"\u0000-/:-@\[-\^`{-\uFFFF";
    private const string Space = @"\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF";
    private const string NotSpace = @"\u0000-\u0008\u000E-\u001F!-\u009F\u00A1-\u167F\u1681-\u1FFF\u200B-\u2027\u202A-\u202E\u2030-\u205E\u2060-\u2FFF\u3001-\uFEFE\uFF00-\uFFFF";
    private const string AnyButLineTerminator = @"[^\n\r\u2028\u2029]";
    private const string WordBoundary = "(?:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))";
    private const string NotWordBoundary = "(?:(?<=[a-zA-Z0-9_])(?=[a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?![a-zA-Z0-9_]))";
    private const string Nothing = @"[^\u0000-\uFFFF]";
    private const string Anything = @"[\u0000-\uFFFF]";

    private static readonly SearchValues<char> Rewritten = SearchValues.Create(@"\.$[");

    /// <summary>The .NET pattern with the meaning <paramref name="pattern"/> has in JavaScript.</summary>
    /// <param name="pattern">The pattern as written in the schema.</param>
    /// <returns>The translated pattern; <paramref name="pattern"/> itself when nothing needs rewriting.</returns>
    public static string Translate(string pattern)
    {
        if (pattern.AsSpan().IndexOfAny(Rewritten) < 0)
        {
            return pattern;
        }

        var output = new StringBuilder(pattern.Length + 32);
        var inClass = false;
        var classStart = 0;

        // True right after an unescaped '-' inside a class that could open a range ("a-"): a class escape after it
        // must not become the end of that range.
        var rangeDash = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            var afterDash = rangeDash;
            rangeDash = false;
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var escaped = pattern[++i];
                if (inClass && ClassBody(escaped) is { } body)
                {
                    if (afterDash)
                    {
                        output.Length--;
                        output.Append(@"\-");
                    }

                    output.Append(body);

                    // "[\d-z]": in JavaScript the '-' after a class escape is a literal.
                    if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
                    {
                        output.Append(@"\-");
                        i++;
                    }
                }
                else if (!inClass && ClassBody(escaped) is { } set)
                {
                    output.Append('[').Append(set).Append(']');
                }
                else if (!inClass && escaped is 'b' or 'B')
                {
                    output.Append(escaped == 'b' ? WordBoundary : NotWordBoundary);
                }
                else
                {
                    output.Append('\\').Append(escaped);
                }

                continue;
            }

            if (inClass)
            {
                switch (c)
                {
                    case ']':
                        inClass = false;
                        output.Append(c);
                        break;
                    case '[':
                        output.Append(@"\[");
                        break;
                    case '-':
                        output.Append(c);
                        rangeDash = output.Length - 1 > classStart;
                        break;
                    default:
                        output.Append(c);
                        break;
                }

                continue;
            }

            switch (c)
            {
                case '[' when Next(pattern, i + 1) == ']':
                    output.Append(Nothing);
                    i++;
                    break;
                case '[' when Next(pattern, i + 1) == '^' && Next(pattern, i + 2) == ']':
                    output.Append(Anything);
                    i += 2;
                    break;
                case '[':
                    output.Append(c);
                    inClass = true;
                    if (Next(pattern, i + 1) == '^')
                    {
                        output.Append('^');
                        i++;
                    }

                    classStart = output.Length;
                    break;
                case '.':
                    output.Append(AnyButLineTerminator);
                    break;
                case '$':
                    output.Append(@"\z");
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }

    /// <summary>The ranges of a class escape, for use inside <c>[...]</c>; null for any other escape.</summary>
    private static string? ClassBody(char escaped) => escaped switch
    {
        'd' => Digit,
        'D' => NotDigit,
        'w' => Word,
        'W' => NotWord,
        's' => Space,
        'S' => NotSpace,
        _ => null,
    };

    private static char Next(string pattern, int index) => index < pattern.Length ? pattern[index] : '\0';
}
