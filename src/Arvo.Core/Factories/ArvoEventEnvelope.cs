using Arvo.Events;

namespace Arvo.Factories;

/// <summary>
/// The caller-supplied attributes of an event built by <see cref="ArvoEventFactory"/> or
/// <see cref="ArvoOrchestratorEventFactory"/>: everything except the type, data, dataschema and content
/// type, which the factory derives from the contract.
/// </summary>
/// <remarks>
/// Values go through <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/>, so
/// <see cref="Source"/>, <see cref="Subject"/>, <see cref="To"/>, <see cref="RedirectTo"/> and
/// <see cref="ParentId"/> are URI-encoded as the reference does.
/// </remarks>
public sealed record ArvoEventEnvelope
{
    /// <summary>The producer (<c>source</c>). When <see cref="Subject"/> is null it is also the generated subject's initiator, so it must then be a reverse-DNS type.</summary>
    public required string Source { get; init; }

    /// <summary>The subject; null generates a new orchestration subject (contracts.md 7.1).</summary>
    public string? Subject { get; init; }

    /// <summary>An explicit id; null generates a UUID v4.</summary>
    public ArvoEventId? Id { get; init; }

    /// <summary>An explicit time string; null means now (UTC).</summary>
    public string? Time { get; init; }

    /// <summary>The destination; null means the event type.</summary>
    public string? To { get; init; }

    /// <summary>Access-control hint, copied as is.</summary>
    public string? AccessControl { get; init; }

    /// <summary>Where the answer to this event should go; also written into a generated subject's <c>meta.redirectto</c>.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>Cost units of the execution that produced the event.</summary>
    public double? ExecutionUnits { get; init; }

    /// <summary>W3C <c>traceparent</c>; null uses the factory span's headers (or null when tracing is off).</summary>
    public string? TraceParent { get; init; }

    /// <summary>W3C <c>tracestate</c>, used together with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    /// <summary>The id of the event that caused this one.</summary>
    public string? ParentId { get; init; }

    /// <summary>The event's domain; also the generated subject's <c>execution.domain</c>.</summary>
    public string? Domain { get; init; }

    /// <summary>Custom extension attributes.</summary>
    public IEnumerable<KeyValuePair<string, object?>>? Extensions { get; init; }
}
