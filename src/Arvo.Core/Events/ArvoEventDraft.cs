using System.Text.Json;

namespace Arvo.Events;

/// <summary>
/// The attributes of a new event as a stack value, for code that creates many events:
/// <see cref="ArvoEvent.Create(in ArvoEventDraft, ArvoEventCreationOptions?)"/> applies exactly the defaults, encoding
/// and validation of <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/>, and allocates nothing
/// besides the event (no <see cref="ArvoEventInit"/> object, no boxed <see cref="JsonElement"/>). The members mean what
/// the same-named members of <see cref="ArvoEventInit"/> and <see cref="ArvoEventAttributes"/> mean, except that
/// <see cref="Data"/> is always JSON.
/// </summary>
/// <example>
/// <code>
/// var evt = ArvoEvent.Create(new ArvoEventDraft
/// {
///     Source = "com.test.service",
///     Type = "com.number.increment",
///     Subject = "test-subject",
///     Data = JsonSerializer.SerializeToElement(new { delta = 1 }),
/// });
/// </code>
/// </example>
public readonly struct ArvoEventDraft
{
    /// <summary>The producer (<c>source</c>); URI-encoded.</summary>
    public required string Source { get; init; }

    /// <summary>The event type (not encoded).</summary>
    public required string Type { get; init; }

    /// <summary>The process id; URI-encoded.</summary>
    public required string Subject { get; init; }

    /// <summary>
    /// The payload: a JSON object (anything else is rejected). An element of a document that can be disposed is
    /// cloned; a detached element (from <see cref="JsonSerializer.SerializeToElement{TValue}(TValue, JsonSerializerOptions?)"/>,
    /// <see cref="JsonElement.Clone"/> or another event's <see cref="ArvoEvent.Data"/>) is shared, as it is immutable.
    /// </summary>
    public required JsonElement Data { get; init; }

    /// <summary>How to make the id; null for a UUID v4 from <see cref="ArvoEventCreationOptions.IdGenerator"/>.</summary>
    public ArvoEventId? Id { get; init; }

    /// <summary>The time text, kept verbatim; null for the current UTC time of <see cref="ArvoEventCreationOptions.TimeProvider"/>.</summary>
    public string? Time { get; init; }

    /// <summary>The content type; null for <see cref="ArvoEvent.ArvoContentType"/>.</summary>
    public string? DataContentType { get; init; }

    /// <summary>The data schema; URI-encoded when non-empty, null when empty.</summary>
    public string? DataSchema { get; init; }

    /// <summary>The recipient; URI-encoded when non-empty; null or empty for the event type.</summary>
    public string? To { get; init; }

    /// <summary>Access-control information, taken as given (an empty string is rejected).</summary>
    public string? AccessControl { get; init; }

    /// <summary>Where the answer to this event should go; URI-encoded when non-empty, null when empty.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>The cost of producing the event, any finite number, or null.</summary>
    public double? ExecutionUnits { get; init; }

    /// <summary>The W3C <c>traceparent</c> header, taken as given.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> header, taken as given.</summary>
    public string? TraceState { get; init; }

    /// <summary>The id of the event that caused this one; URI-encoded when non-empty, null when empty.</summary>
    public string? ParentId { get; init; }

    /// <summary>The routing domain, taken as given (an empty string is rejected); null for the default domain.</summary>
    public string? Domain { get; init; }

    /// <summary>Custom extension attributes (see <see cref="ArvoEvent.Extensions"/>), or null.</summary>
    public IEnumerable<KeyValuePair<string, object?>>? Extensions { get; init; }

    /// <summary>
    /// Set by <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/>: the payload as the caller gave it
    /// (any object, converted as <see cref="ArvoEventInit.Data"/> is) instead of <see cref="Data"/>.
    /// </summary>
    internal object? DataObject { get; init; }

    /// <summary>Whether <see cref="DataObject"/> is the payload.</summary>
    internal bool DataIsObject { get; init; }
}
