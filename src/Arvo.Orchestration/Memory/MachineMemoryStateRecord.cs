using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arvo.Memory;

/// <summary>
/// The record written after every successful orchestrator execution (<c>executionStatus: "normal"</c>,
/// orchestrator.md 13), replacing the previous one.
/// </summary>
[JsonConverter(typeof(MachineMemoryRecordJsonConverter))]
public sealed record MachineMemoryStateRecord : MachineMemoryRecord
{
    private readonly JsonElement _state;
    private readonly JsonElement? _value;
    private readonly MachineMemoryEvents _events = MachineMemoryEvents.Empty;

    /// <inheritdoc />
    public override MachineExecutionStatus ExecutionStatus => MachineExecutionStatus.Normal;

    /// <summary>Id of the event that created the workflow (<c>initEventId</c>), kept from the stored record.</summary>
    public required string InitEventId { get; init; }

    /// <summary>The parent workflow's subject (<c>parentSubject</c>), or null for a root workflow.</summary>
    public string? ParentSubject { get; init; }

    /// <summary>The snapshot status (<c>status</c>): <c>active</c>, <c>done</c>, ….</summary>
    public required string Status { get; init; }

    /// <summary>The snapshot's state value (<c>value</c>): a string, an object for parallel states, or null.</summary>
    /// <remarks>A JSON <c>null</c> element is stored as null. The element is cloned, so it never depends on a disposed document.</remarks>
    public JsonElement? Value
    {
        get => _value;
        init => _value = value is { ValueKind: not JsonValueKind.Null } element ? RequireValue(element, nameof(Value)).Clone() : null;
    }

    /// <summary>The engine snapshot (<c>state</c>), as JSON. The element is cloned on assignment.</summary>
    /// <exception cref="ArgumentException">The element is <c>default</c> (undefined).</exception>
    public required JsonElement State
    {
        get => _state;
        init => _state = RequireValue(value, nameof(State)).Clone();
    }

    /// <summary>The event consumed and the events produced by the last execution (<c>events</c>).</summary>
    public MachineMemoryEvents Events
    {
        get => _events;
        init => _events = value ?? throw new ArgumentNullException(nameof(value), "Events are required; use MachineMemoryEvents.Empty.");
    }

    /// <summary>
    /// The JSON definition of the machine that wrote the record (<c>machineDefinition</c>, <see cref="ArvoMachine.Definition"/>),
    /// or null. Records written by older versions of this library hold null; records of the reference hold its XState
    /// config. The text is informational: it is never parsed when a workflow resumes.
    /// </summary>
    public string? MachineDefinition { get; init; }

    /// <inheritdoc />
    public bool Equals(MachineMemoryStateRecord? other) =>
        other is not null &&
        (ReferenceEquals(this, other) ||
         (string.Equals(Subject, other.Subject, StringComparison.Ordinal) &&
          string.Equals(InitEventId, other.InitEventId, StringComparison.Ordinal) &&
          string.Equals(ParentSubject, other.ParentSubject, StringComparison.Ordinal) &&
          string.Equals(Status, other.Status, StringComparison.Ordinal) &&
          string.Equals(MachineDefinition, other.MachineDefinition, StringComparison.Ordinal) &&
          NullableDeepEquals(Value, other.Value) &&
          JsonElement.DeepEquals(State, other.State) &&
          Events.Equals(other.Events)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Subject, InitEventId, Status);

    private static bool NullableDeepEquals(JsonElement? left, JsonElement? right) =>
        left is null ? right is null : right is not null && JsonElement.DeepEquals(left.Value, right.Value);

    private static JsonElement RequireValue(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Undefined
            ? throw new ArgumentException($"{name} must be a JSON value, not an undefined (default) JsonElement.", name)
            : element;
}
