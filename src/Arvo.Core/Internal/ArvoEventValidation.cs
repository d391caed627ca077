using System.Globalization;
using System.Text.Json;
using Arvo.Events;

namespace Arvo.Internal;

/// <summary>
/// The attribute rules of wire-format.md section 2 (the 3.0.25 zod schema plus its refinements),
/// written as allocation-free checks. Every failure is an <see cref="ArvoEventValidationException"/>.
/// </summary>
internal static class ArvoEventValidation
{
    private const string NonEmptyString = "a non-empty string";
    private const string NullOrNonEmptyString = "null or a non-empty string";
    private const string NullOrNonEmptyUri = "null or a non-empty URI-valid string (equal to encodeURI(decodeURI(value)))";
    private const string NonEmptyUri = "a non-empty URI-valid string (equal to encodeURI(decodeURI(value)))";

    /// <summary>Validates every attribute of <paramref name="e"/>, in wire order.</summary>
    public static void Validate(ArvoEvent e)
    {
        // First, so that a lone surrogate is reported as such rather than as, say, an invalid URI.
        RequireWellFormed(ArvoEventAttributeNames.Id, e.Id);
        RequireWellFormed(ArvoEventAttributeNames.Source, e.Source);
        RequireWellFormed(ArvoEventAttributeNames.SpecVersion, e.SpecVersion);
        RequireWellFormed(ArvoEventAttributeNames.Type, e.Type);
        RequireWellFormed(ArvoEventAttributeNames.Subject, e.Subject);
        RequireWellFormed(ArvoEventAttributeNames.DataContentType, e.DataContentType);
        RequireWellFormed(ArvoEventAttributeNames.DataSchema, e.DataSchema);
        RequireWellFormed(ArvoEventAttributeNames.Time, e.Time);
        RequireWellFormed(ArvoEventAttributeNames.To, e.To);
        RequireWellFormed(ArvoEventAttributeNames.AccessControl, e.AccessControl);
        RequireWellFormed(ArvoEventAttributeNames.RedirectTo, e.RedirectTo);
        RequireWellFormed(ArvoEventAttributeNames.TraceParent, e.TraceParent);
        RequireWellFormed(ArvoEventAttributeNames.TraceState, e.TraceState);
        RequireWellFormed(ArvoEventAttributeNames.ParentId, e.ParentId);
        RequireWellFormed(ArvoEventAttributeNames.Domain, e.Domain);
        foreach (var (name, value) in e.ExtensionCollection.AsSpan())
        {
            if (value is string text)
            {
                RequireWellFormed(name, text);
            }
        }

        RequireNonEmpty(ArvoEventAttributeNames.Id, e.Id);
        RequireUri(ArvoEventAttributeNames.Source, e.Source);

        if (!string.Equals(e.SpecVersion, ArvoEvent.DefaultSpecVersion, StringComparison.Ordinal))
        {
            throw Invalid(ArvoEventAttributeNames.SpecVersion, "Only CloudEvents spec version 1.0 is supported", "\"1.0\"", e.SpecVersion);
        }

        if (e.Type is null || !ArvoPatterns.IsValidType(e.Type))
        {
            throw Invalid(
                ArvoEventAttributeNames.Type,
                "The type must be at least three dot-separated segments of lowercase letters and digits",
                @"a string matching ^[a-z0-9]+(\.[a-z0-9]+)+\.[a-z0-9]+$",
                e.Type);
        }

        RequireUri(ArvoEventAttributeNames.Subject, e.Subject);

        RequireNonEmpty(ArvoEventAttributeNames.DataContentType, e.DataContentType);
        if (!e.DataContentType.Contains("application/cloudevents+json", StringComparison.Ordinal) &&
            !e.DataContentType.Contains("application/json", StringComparison.Ordinal))
        {
            throw Invalid(
                ArvoEventAttributeNames.DataContentType,
                "The content type must be a JSON content type",
                "a string containing 'application/cloudevents+json' or 'application/json'",
                e.DataContentType);
        }

        OptionalUri(ArvoEventAttributeNames.DataSchema, e.DataSchema);

        if (e.Data.ValueKind != JsonValueKind.Object)
        {
            throw DataNotObject(e.Data.ValueKind, e.Data.ValueKind == JsonValueKind.Undefined ? null : e.Data);
        }

        if (e.Time is null || !ArvoTime.IsValid(e.Time))
        {
            throw Invalid(
                ArvoEventAttributeNames.Time,
                "The time must be an RFC 3339 date-time with an offset",
                "a string like 2025-01-01T00:00:00.000+00:00 (seconds and fraction optional, offset Z, ±hh:mm or ±hhmm)",
                e.Time);
        }

        if (string.IsNullOrEmpty(e.To) && string.Equals(e.DataContentType, ArvoEvent.ArvoContentType, StringComparison.Ordinal))
        {
            throw Invalid(
                ArvoEventAttributeNames.To,
                "The ArvoEvent must have a non-empty 'to' field",
                "a non-empty URI-valid string when datacontenttype is " + ArvoEvent.ArvoContentType,
                e.To);
        }

        OptionalUri(ArvoEventAttributeNames.To, e.To);
        OptionalNonEmpty(ArvoEventAttributeNames.AccessControl, e.AccessControl);
        OptionalUri(ArvoEventAttributeNames.RedirectTo, e.RedirectTo);

        if (e.ExecutionUnits is { } units && !double.IsFinite(units))
        {
            throw new ArvoEventValidationException(
                ArvoEventAttributeNames.ExecutionUnits,
                "Execution units must be a finite number",
                "null or a finite number",
                units.ToString(CultureInfo.InvariantCulture));
        }

        OptionalNonEmpty(ArvoEventAttributeNames.TraceParent, e.TraceParent);
        OptionalNonEmpty(ArvoEventAttributeNames.TraceState, e.TraceState);
        OptionalNonEmpty(ArvoEventAttributeNames.ParentId, e.ParentId);

        if (e.Domain is { } domain)
        {
            if (domain.Length == 0)
            {
                throw Invalid(ArvoEventAttributeNames.Domain, "Domain must be non-empty string", "null or a non-empty string matching ^[a-z0-9.]+$", domain);
            }

            if (!ArvoPatterns.IsValidDomain(domain))
            {
                throw Invalid(
                    ArvoEventAttributeNames.Domain,
                    "Domain must contain only lowercase letters, numbers, and dots",
                    "null or a non-empty string matching ^[a-z0-9.]+$",
                    domain);
            }
        }
    }

    /// <summary>
    /// Rejects <c>data</c> that holds invalid UTF-8 or a lone surrogate (in a string or a property name), or, when
    /// <paramref name="maxDepth"/> is positive, is nested deeper than <paramref name="maxDepth"/> levels (the data
    /// object itself is level 1). Such data would parse but later break <see cref="ArvoEvent.ToJson"/>,
    /// <see cref="ArvoEvent.Equals(ArvoEvent?)"/> and every store that serializes the event.
    /// </summary>
    /// <exception cref="ArvoEventValidationException">The data is rejected; the message names the JSON path.</exception>
    public static void CheckData(JsonElement data, int maxDepth)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data);
        var problem = JsonText.CheckValue(raw, ArvoEventAttributeNames.Data, maxDepth, out var path);
        switch (problem)
        {
            case TextProblem.None:
                return;
            case TextProblem.TooDeep:
                throw new ArvoEventValidationException(
                    ArvoEventValidationException.DocumentAttribute,
                    $"The JSON text is nested too deeply at '{path}'",
                    $"JSON nested at most {maxDepth + 1} levels deep, counting the event object (ArvoEventParseOptions.MaxDepth)",
                    $"a value in '{ArvoEventAttributeNames.Data}' nested deeper");
            default:
                throw ArvoEventFields.BadText(ArvoEventAttributeNames.Data, $"The text at '{path}'", problem, "object " + JsonText.Excerpt(raw));
        }
    }

    /// <summary>The failure for a <c>data</c> value that is not a JSON object.</summary>
    public static ArvoEventValidationException DataNotObject(JsonValueKind kind, JsonElement? value) =>
        new(
            ArvoEventAttributeNames.Data,
            "The data must be a JSON object",
            "a JSON object",
            value is { } element ? $"{KindName(kind)} {ArvoEventValidationException.Describe(JsonText.DisplayElement(element))}" : "(missing)");

    /// <summary>The failure for a required attribute that is absent.</summary>
    public static ArvoEventValidationException Missing(string attribute, string expected) =>
        new(attribute, "The attribute is required", expected, actual: null);

    /// <summary>The JSON spelling of a value kind, for messages.</summary>
    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };

    private static void RequireWellFormed(string attribute, string? value)
    {
        if (value is not null && JsonText.IndexOfLoneSurrogate(value) >= 0)
        {
            throw ArvoEventFields.BadText(attribute, $"The value of '{attribute}'", TextProblem.LoneSurrogate, ArvoEventValidationException.Describe(value));
        }
    }

    private static void RequireNonEmpty(string attribute, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Invalid(attribute, "The attribute must be a non-empty string", NonEmptyString, value);
        }
    }

    private static void OptionalNonEmpty(string attribute, string? value)
    {
        if (value is { Length: 0 })
        {
            throw Invalid(attribute, "The attribute must be null or a non-empty string (an empty string is not 'absent')", NullOrNonEmptyString, value);
        }
    }

    private static void RequireUri(string attribute, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Invalid(attribute, "The attribute must be a non-empty string", NonEmptyUri, value);
        }

        if (!JsUri.IsValid(value))
        {
            throw Invalid(attribute, "The attribute must be a URI-valid string", NonEmptyUri, value);
        }
    }

    private static void OptionalUri(string attribute, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length == 0)
        {
            throw Invalid(attribute, "The attribute must be null or a non-empty string", NullOrNonEmptyUri, value);
        }

        if (!JsUri.IsValid(value))
        {
            throw Invalid(attribute, "The attribute must be a URI-valid string", NullOrNonEmptyUri, value);
        }
    }

    private static ArvoEventValidationException Invalid(string attribute, string reason, string expected, string? actual) =>
        new(attribute, reason, expected, ArvoEventValidationException.Describe(actual));
}
