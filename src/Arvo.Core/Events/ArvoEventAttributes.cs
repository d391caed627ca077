namespace Arvo.Events;

/// <summary>
/// The attributes a producer may set on a new event besides its type, subject, data and schema, declared once for
/// <see cref="ArvoEventInit"/> (the input of <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/>)
/// and <see cref="Factories.ArvoEventEnvelope"/> (the input of the contract event factories, which pass these values
/// on to <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/>). Only <see cref="Source"/> is
/// required; every other member has the default documented on it.
/// </summary>
public abstract record ArvoEventAttributes
{
    private protected ArvoEventAttributes()
    {
    }

    /// <summary>The producer (<c>source</c>); URI-encoded with JavaScript <c>encodeURI</c>.</summary>
    public required string Source { get; init; }

    /// <summary>How to make the id (<c>{ deduplication, value }</c>).</summary>
    /// <value>Default null: a UUID v4 from <see cref="ArvoEventCreationOptions.IdGenerator"/>.</value>
    public ArvoEventId? Id { get; init; }

    /// <summary>The time text, kept verbatim.</summary>
    /// <value>Default null: the current UTC time of <see cref="ArvoEventCreationOptions.TimeProvider"/>.</value>
    public string? Time { get; init; }

    /// <summary>The recipient; URI-encoded when non-empty.</summary>
    /// <value>Default null: the event type.</value>
    public string? To { get; init; }

    /// <summary>Access-control information, taken as given (an empty string is rejected).</summary>
    /// <value>Default null.</value>
    public string? AccessControl { get; init; }

    /// <summary>Where the answer to this event should go; URI-encoded when non-empty.</summary>
    /// <value>Default null.</value>
    public string? RedirectTo { get; init; }

    /// <summary>The cost of producing the event, any finite number.</summary>
    /// <value>Default null.</value>
    public double? ExecutionUnits { get; init; }

    /// <summary>The W3C <c>traceparent</c> header, taken as given.</summary>
    /// <value>Default null (a factory then uses the headers of its span, when tracing is on).</value>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> header, taken as given (used together with <see cref="TraceParent"/>).</summary>
    /// <value>Default null.</value>
    public string? TraceState { get; init; }

    /// <summary>The id of the event that caused this one; URI-encoded when non-empty.</summary>
    /// <value>Default null.</value>
    public string? ParentId { get; init; }

    /// <summary>The routing domain, taken as given (an empty string is rejected).</summary>
    /// <value>Default null: the default domain.</value>
    public string? Domain { get; init; }

    /// <summary>Custom extension attributes (see <see cref="ArvoEvent.Extensions"/>); numbers are stored as <see cref="double"/>.</summary>
    /// <value>Default null: none.</value>
    public IEnumerable<KeyValuePair<string, object?>>? Extensions { get; init; }
}
