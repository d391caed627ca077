using Arvo.Events;

namespace Arvo.Machines;

/// <summary>
/// A raw event a machine asks to emit (orchestrator.md 2.4): produced by the <c>Emit</c> and <c>EnqueueArvoEvent</c>
/// actions and returned by <see cref="IMachineExecutionEngine.Execute"/>. The orchestrator turns it into an
/// <see cref="ArvoEvent"/> (subject, <c>parentid</c>, trace headers, one copy per resolved domain).
/// </summary>
/// <remarks>
/// The machine returns raw events as its actions wrote them; the orchestrator builds each into events in one stage:
/// <see cref="Data"/> is serialized with the orchestrator's serializer options
/// (<see cref="ArvoEventCreationOptions.SerializerOptions"/>) and, when <see cref="Type"/> is a service contract's
/// accepted type, validated once against that schema (a failure is a <see cref="ContractViolation"/>); any other type
/// passes through unvalidated (orchestrator.md 8, scenario O-19). An <see cref="ArvoResumable"/> handler's raw events
/// take the same path.
/// </remarks>
/// <example>
/// <code>
/// ArvoMachineEmit.Create("notif.number.update", new { delta = 1, type = "increment" }) with { Domain = ["audit"] }
/// </code>
/// </example>
public sealed record ArvoMachineEmit
{
    /// <summary>The event type (required).</summary>
    public required string Type { get; init; }

    /// <summary>
    /// The payload: a <see cref="System.Text.Json.JsonElement"/>, a <c>JsonObject</c> or any object that
    /// System.Text.Json serializes to a JSON object with the emitting orchestrator's serializer options (default
    /// <see cref="ArvoJson.DefaultSerializerOptions"/>).
    /// </summary>
    public required object Data { get; init; }

    /// <summary>An explicit id request (<c>{ deduplication, value }</c>); null generates one.</summary>
    public ArvoEventId? Id { get; init; }

    /// <summary>
    /// The domains to emit to (literals, null and <see cref="ArvoDomain"/> symbols), or null for the orchestrator's
    /// default service domains. Must not be empty when given.
    /// </summary>
    public IReadOnlyList<string?>? Domain { get; init; }

    /// <summary>The destination; null means the event type.</summary>
    public string? To { get; init; }

    /// <summary>The <c>redirectto</c>; null means the orchestrator's source.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>Access control; null inherits the consumed event's value.</summary>
    public string? AccessControl { get; init; }

    /// <summary>Execution units; null uses the orchestrator's value.</summary>
    public double? ExecutionUnits { get; init; }

    /// <summary>The <c>dataschema</c> of an undeclared event (declared events always get their contract's dataschema).</summary>
    public string? DataSchema { get; init; }

    /// <summary>Custom CloudEvent extension attributes (reference <c>__extensions</c>).</summary>
    public IEnumerable<KeyValuePair<string, object?>>? Extensions { get; init; }

    /// <summary>A raw event of <paramref name="type"/> carrying <paramref name="data"/>; set other fields with <c>with { … }</c>.</summary>
    /// <param name="type">The event type.</param>
    /// <param name="data">The payload.</param>
    /// <returns>The raw event.</returns>
    public static ArvoMachineEmit Create(string type, object data) => new() { Type = type, Data = data };
}
