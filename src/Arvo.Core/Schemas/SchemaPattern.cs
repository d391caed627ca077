using System.Text.RegularExpressions;
using Arvo.Schemas;

namespace Arvo.Internal;

/// <summary>
/// A schema <c>pattern</c> (or <c>patternProperties</c> key) compiled once, with bounded matching cost: on .NET's
/// linear-time engine (<see cref="RegexOptions.NonBacktracking"/>) when it supports the pattern, otherwise on the
/// backtracking engine with <see cref="ArvoSchemaOptions.PatternMatchTimeout"/>. The dialect is .NET's either way
/// (as NJsonSchema's <c>Regex.IsMatch(value, pattern)</c>); only <c>IsMatch</c> is used, whose result both engines
/// agree on.
/// </summary>
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

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid .NET regular expression.</exception>
    public static SchemaPattern Create(string pattern, TimeSpan timeout)
    {
        try
        {
            return new SchemaPattern(pattern, new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant));
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
            return new SchemaPattern(pattern, new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, timeout));
        }
        catch (ArgumentException exception)
        {
            throw Invalid(pattern, exception);
        }
    }

    /// <summary>
    /// The backtracking matcher NJsonSchema uses for a <c>patternProperties</c> key (<c>Regex.IsMatch(name, key)</c>:
    /// interpreted, no options), with a timeout: matching the property names with it first bounds what NJsonSchema spends.
    /// </summary>
    /// <exception cref="ArgumentException">The pattern is not a valid .NET regular expression.</exception>
    public static SchemaPattern CreateBacktracking(string pattern, TimeSpan timeout)
    {
        try
        {
            return new SchemaPattern(pattern, new Regex(pattern, RegexOptions.None, timeout));
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
