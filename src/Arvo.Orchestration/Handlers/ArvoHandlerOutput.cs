using Arvo.Events;

namespace Arvo.Handlers;

/// <summary>
/// One event a handler function asks to emit (event-handler.md section 3). Only <see cref="Type"/> and
/// <see cref="Data"/> are required; <c>source</c>, <c>subject</c>, <c>parentid</c>, <c>dataschema</c> and the trace
/// headers are always derived by the handler (section 5).
/// </summary>
/// <example>
/// <code>
/// return ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = "hi" }) with { ExecutionUnits = 3 };
/// </code>
/// </example>
public sealed record ArvoHandlerOutput
{
    /// <summary>The event type; must be one of the resolved version's emit types.</summary>
    public required string Type { get; init; }

    /// <summary>The payload (a JSON object element, a <c>JsonObject</c> or any object serializable to one); validated against the emit schema.</summary>
    public required object Data { get; init; }

    /// <summary>An explicit id request; null generates a UUID per emitted event. A developer-managed id is shared by every domain copy.</summary>
    public ArvoEventId? Id { get; init; }

    /// <summary>An explicit time string; null means now.</summary>
    public string? Time { get; init; }

    /// <summary>The destination; null means the consumed event's <c>redirectto</c>, else its <c>source</c>.</summary>
    public string? To { get; init; }

    /// <summary>Copied onto the emitted event's <c>redirectto</c>; null leaves it null.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>Access control; null inherits the consumed event's value.</summary>
    public string? AccessControl { get; init; }

    /// <summary>Execution units; null uses the handler's default (0 is a valid override).</summary>
    public double? ExecutionUnits { get; init; }

    /// <summary>
    /// The domains to emit to: literals, null and <see cref="ArvoDomain"/> symbols, resolved and de-duplicated after
    /// resolution, one event per remaining value. Null uses <see cref="ArvoEventEmissionDomains.Emits"/>; an empty
    /// list emits nothing for this output.
    /// </summary>
    public IReadOnlyList<string?>? Domain { get; init; }

    /// <summary>Custom CloudEvent extension attributes (primitive values).</summary>
    public IEnumerable<KeyValuePair<string, object?>>? Extensions { get; init; }

    /// <summary>An output of <paramref name="type"/> carrying <paramref name="data"/>; set other fields with <c>with { … }</c>.</summary>
    /// <param name="type">One of the version's emit types.</param>
    /// <param name="data">The payload.</param>
    /// <returns>The output.</returns>
    public static ArvoHandlerOutput Emit(string type, object data) => new() { Type = type, Data = data };
}
