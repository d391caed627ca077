using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arvo.Events;

/// <summary>
/// The input of <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/> (the reference's
/// <c>createArvoEvent</c> argument). Only <see cref="Source"/>, <see cref="Type"/>, <see cref="Subject"/> and
/// <see cref="Data"/> are required; every other member has the default documented on it.
/// </summary>
/// <example>
/// <code>
/// var evt = ArvoEvent.Create(new ArvoEventInit
/// {
///     Source = "com.test.service",
///     Type = "com.number.increment",
///     Subject = "test-subject",
///     Data = new { delta = 1 },
/// });
/// </code>
/// </example>
public sealed record ArvoEventInit
{
    /// <summary>The producer; URI-encoded with JavaScript <c>encodeURI</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The event type, e.g. <c>com.number.increment</c> (not encoded).</summary>
    public required string Type { get; init; }

    /// <summary>The process id, e.g. an orchestration subject; URI-encoded.</summary>
    public required string Subject { get; init; }

    /// <summary>
    /// The payload, which must be (or serialize to) a JSON object: a <see cref="JsonElement"/> or
    /// <see cref="JsonDocument"/> (cloned), a <see cref="JsonNode"/>, or any other object, serialized with
    /// <see cref="ArvoEventCreationOptions.SerializerOptions"/> (default <see cref="JsonSerializerOptions.Web"/>,
    /// i.e. camelCase property names). Arrays, strings, numbers and null are rejected.
    /// </summary>
    public required object Data { get; init; }

    /// <summary>How to make the id; null (default) generates a UUID v4.</summary>
    public ArvoEventId? Id { get; init; }

    /// <summary>The time text, kept verbatim; null (default) uses the current UTC time.</summary>
    public string? Time { get; init; }

    /// <summary>The content type; null (default) means <see cref="ArvoEvent.ArvoContentType"/>.</summary>
    public string? DataContentType { get; init; }

    /// <summary>The data schema; URI-encoded when non-empty, otherwise null.</summary>
    public string? DataSchema { get; init; }

    /// <summary>The recipient; URI-encoded when non-empty, otherwise <see cref="Type"/>.</summary>
    public string? To { get; init; }

    /// <summary>Access-control information, taken as given (an empty string is rejected).</summary>
    public string? AccessControl { get; init; }

    /// <summary>The redirect target; URI-encoded when non-empty, otherwise null.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>The cost of producing the event, any finite number, or null.</summary>
    public double? ExecutionUnits { get; init; }

    /// <summary>The W3C <c>traceparent</c> header, taken as given.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> header, taken as given.</summary>
    public string? TraceState { get; init; }

    /// <summary>The id of the causing event; URI-encoded when non-empty, otherwise null.</summary>
    public string? ParentId { get; init; }

    /// <summary>The routing domain, taken as given (null is the default domain, an empty string is rejected).</summary>
    public string? Domain { get; init; }

    /// <summary>Custom extensions (see <see cref="ArvoEvent.Extensions"/>); numbers are stored as <see cref="double"/>.</summary>
    public IEnumerable<KeyValuePair<string, object?>>? Extensions { get; init; }
}
