using Arvo.Subjects;

namespace Arvo.Internal;

/// <summary>The field rules of wire-format.md section 9.1, shared by create and parse.</summary>
internal static class SubjectRules
{
    public const string ObjectExpected = "an object";
    public const string TypeExpected = @"a reverse-DNS type matching ^[a-z0-9]+(\.[a-z0-9]+)+\.[a-z0-9]+$ (no ';')";
    public const string VersionExpected = @"a semantic version matching ^\d+\.\d+\.\d+$";
    public const string IdExpected = "a non-empty string without ';' or lone surrogates";
    public const string DomainExpected = "null or a non-empty string matching ^[a-z0-9.]+$";
    public const string DomainRequiredExpected = "the key 'domain' (null or a non-empty string matching ^[a-z0-9.]+$; required since arvo-core 3.0, see ArvoSubjectCompatibility)";
    public const string MetaExpected = "an object whose values are strings";
    public const string StringExpected = "a string without lone surrogates";
    public const string KeyExpected = "a key without lone surrogates";
    public const string Missing = "missing";
    public const string Null = "null";

    /// <summary>Validates content given to create (values may be null when the caller ignored annotations).</summary>
    public static bool Validate(ArvoOrchestrationSubjectContent content, out SubjectError error)
    {
        var orchestrator = content.Orchestrator;
        var execution = content.Execution;
        if (!CheckType(orchestrator.Name, "orchestrator.name", Null, out error)
            || !CheckVersion(orchestrator.Version, "orchestrator.version", Null, out error)
            || !CheckKeys(orchestrator.AdditionalEntries, "orchestrator", out error)
            || !CheckId(execution.Id, "execution.id", Null, out error)
            || !CheckType(execution.Initiator, "execution.initiator", Null, out error)
            || !CheckDomain(execution.Domain, "execution.domain", out error)
            || !CheckKeys(execution.AdditionalEntries, "execution", out error)
            || !CheckKeys(content.AdditionalEntries, null, out error))
        {
            return false;
        }

        foreach (var (key, value) in content.MetaEntries)
        {
            if (!IsWellFormed(key))
            {
                error = SubjectError.Content("meta", KeyExpected, SubjectError.Quote(key));
                return false;
            }

            if (!CheckString(value, key, out error))
            {
                return false;
            }
        }

        error = default;
        return true;
    }

    public static bool CheckType(string? value, string field, string absent, out SubjectError error)
    {
        // The type pattern admits only [a-z0-9.], so it also excludes ';'.
        if (value is not null && ArvoPatterns.IsValidType(value))
        {
            error = default;
            return true;
        }

        error = SubjectError.Content(field, TypeExpected, value is null ? absent : SubjectError.Quote(value));
        return false;
    }

    public static bool CheckVersion(string? value, string field, string absent, out SubjectError error)
    {
        if (value is not null && ArvoPatterns.IsValidSemanticVersion(value))
        {
            error = default;
            return true;
        }

        error = SubjectError.Content(field, VersionExpected, value is null ? absent : SubjectError.Quote(value));
        return false;
    }

    public static bool CheckId(string? value, string field, string absent, out SubjectError error)
    {
        if (!string.IsNullOrEmpty(value) && !value.Contains(';', StringComparison.Ordinal) && IsWellFormed(value))
        {
            error = default;
            return true;
        }

        error = SubjectError.Content(field, IdExpected, value is null ? absent : SubjectError.Quote(value));
        return false;
    }

    /// <summary>Null is a valid domain; a missing key is decided by the caller.</summary>
    public static bool CheckDomain(string? value, string field, out SubjectError error)
    {
        if (value is null || ArvoPatterns.IsValidDomain(value))
        {
            error = default;
            return true;
        }

        error = SubjectError.Content(field, DomainExpected, SubjectError.Quote(value));
        return false;
    }

    /// <summary>A meta value: a string (not null) without lone surrogates.</summary>
    public static bool CheckString(string? value, string key, out SubjectError error)
    {
        if (value is not null && IsWellFormed(value))
        {
            error = default;
            return true;
        }

        error = SubjectError.Content(MetaField(key), StringExpected, SubjectError.Quote(value));
        return false;
    }

    public static string MetaField(string key) => "meta." + key;

    /// <summary>True when <paramref name="value"/> is well-formed UTF-16 (every surrogate is paired).</summary>
    /// <remarks>The JSON writer would silently replace a lone surrogate with U+FFFD, so create rejects them.</remarks>
    public static bool IsWellFormed(ReadOnlySpan<char> value) => JsonText.IsWellFormed(value);

    private static bool CheckKeys(OrderedDictionary<string, System.Text.Json.JsonElement> extras, string? parent, out SubjectError error)
    {
        foreach (var (key, value) in extras)
        {
            if (!IsWellFormed(key))
            {
                error = SubjectError.Content(parent ?? "$", KeyExpected, SubjectError.Quote(key));
                return false;
            }

            // The writer cannot write a string holding an escaped lone surrogate (or invalid UTF-8) back.
            var field = parent is null ? key : parent + "." + key;
            var problem = JsonText.CheckValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value), field, 0, out var path);
            if (problem != TextProblem.None)
            {
                error = SubjectError.Content(path ?? field, StringExpected, JsonText.Describe(problem));
                return false;
            }
        }

        error = default;
        return true;
    }
}
