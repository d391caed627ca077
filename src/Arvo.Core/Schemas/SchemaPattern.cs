using System.Text.RegularExpressions;
using Arvo.Schemas;

namespace Arvo.Internal;

/// <summary>
/// A schema <c>pattern</c> (or <c>patternProperties</c> key) compiled once, with JavaScript's meaning and bounded
/// matching cost.
/// </summary>
/// <remarks>
/// <para>
/// <b>Dialect.</b> JSON Schema patterns are ECMAScript regular expressions, and the reference validates with
/// JavaScript's: <c>^\d{5}$</c> must reject <c>١٢٣٤٥</c> (Arabic-Indic digits, which .NET's <c>\d</c> accepts) and
/// <c>12345\n</c> (which .NET's <c>$</c> accepts). <see cref="RegexOptions.ECMAScript"/> cannot be combined with
/// <see cref="RegexOptions.NonBacktracking"/>, so the pattern is translated instead (<see cref="EcmaScriptPattern"/>):
/// <c>\d</c>, <c>\w</c>, <c>\s</c> and their negations become explicit classes, inside and outside <c>[...]</c>;
/// <c>.</c> excludes JavaScript's four line terminators; <c>$</c> becomes <c>\z</c>; <c>\b</c>/<c>\B</c> become
/// lookarounds on <c>[a-zA-Z0-9_]</c>; <c>[]</c> and <c>[^]</c> keep their JavaScript meaning. The result is compiled
/// with <see cref="RegexOptions.CultureInvariant"/>. <see cref="Pattern"/> stays the text as written, for messages.
/// </para>
/// <para>
/// <b>Cost.</b> The translated pattern runs on .NET's linear-time engine (<see cref="RegexOptions.NonBacktracking"/>)
/// when it supports it; otherwise (backreferences, lookarounds, including a translated <c>\b</c>, atomic groups,
/// very large counted repetitions) on the backtracking engine with <see cref="ArvoSchemaOptions.PatternMatchTimeout"/>.
/// Only <c>IsMatch</c> is used, whose result both engines agree on. The same instance serves the compiled validator
/// and NJsonSchema (<see cref="PatternFormatValidator"/>), so their verdicts cannot differ.
/// </para>
/// </remarks>
internal sealed class SchemaPattern
{
    private readonly Regex _regex;

    private SchemaPattern(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    /// <summary>The pattern text as written in the schema.</summary>
    public string Pattern { get; }

    /// <summary>True when the pattern runs on the linear-time engine (and so never times out).</summary>
    public bool IsLinear => (_regex.Options & RegexOptions.NonBacktracking) != 0;

    /// <summary>Compiles <paramref name="pattern"/> (ECMAScript, as written in the schema).</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression once translated.</exception>
    public static SchemaPattern Create(string pattern, TimeSpan timeout)
    {
        var translated = EcmaScriptPattern.Translate(pattern);
        try
        {
            return new SchemaPattern(pattern, new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant));
        }
        catch (NotSupportedException)
        {
            // Backreferences, lookarounds, atomic groups, conditionals or a pattern too large for the linear engine.
        }
        catch (ArgumentException exception)
        {
            throw Invalid(pattern, exception);
        }

        try
        {
            return new SchemaPattern(pattern, new Regex(translated, RegexOptions.Compiled | RegexOptions.CultureInvariant, timeout));
        }
        catch (ArgumentException exception)
        {
            throw Invalid(pattern, exception);
        }
    }

    /// <summary>
    /// The backtracking matcher NJsonSchema uses for a <c>patternProperties</c> key (<c>Regex.IsMatch(name, key)</c>:
    /// interpreted, no options; the key it holds is the translated one, see <see cref="SchemaJsonPreparer"/>), with a
    /// timeout: matching the property names with it first bounds what NJsonSchema spends.
    /// </summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression once translated.</exception>
    public static SchemaPattern CreateBacktracking(string pattern, TimeSpan timeout)
    {
        try
        {
            return new SchemaPattern(pattern, new Regex(EcmaScriptPattern.Translate(pattern), RegexOptions.None, timeout));
        }
        catch (ArgumentException exception)
        {
            throw Invalid(pattern, exception);
        }
    }

    /// <summary>Matches <paramref name="input"/>.</summary>
    /// <exception cref="RegexMatchTimeoutException">The match took longer than the timeout; <see cref="RegexMatchTimeoutException.Input"/> holds the input.</exception>
    public bool IsMatch(ReadOnlySpan<char> input)
    {
        try
        {
            return _regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException exception)
        {
            // The span overload leaves Input empty: keep the input so the caller can name the path that holds it.
            throw new RegexMatchTimeoutException(input.ToString(), Pattern, exception.MatchTimeout);
        }
    }

    /// <summary>Matches <paramref name="input"/>.</summary>
    /// <exception cref="RegexMatchTimeoutException">The match took longer than the timeout.</exception>
    public bool IsMatch(string input)
    {
        try
        {
            return _regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException exception)
        {
            throw new RegexMatchTimeoutException(input, Pattern, exception.MatchTimeout);
        }
    }

    private static ArgumentException Invalid(string pattern, ArgumentException exception) =>
        new($"The schema pattern /{pattern}/ is not a valid regular expression: {exception.Message}", exception);
}
