using System.Text.Json.Serialization;
using Arvo.Orchestration;

namespace Arvo.Memory;

/// <summary>
/// What an orchestrator stores per workflow (orchestrator.md 13): either a <see cref="MachineMemoryStateRecord"/>
/// (<c>executionStatus: "normal"</c>) or a <see cref="MachineMemoryFailureRecord"/> (<c>"failure"</c>).
/// Records are immutable and serialise with System.Text.Json to the reference's JSON field names.
/// </summary>
/// <remarks>
/// A JSON object without <c>executionStatus</c> (the seed's older record shape) reads as a normal record.
/// Records compare by value: JSON members with <see cref="System.Text.Json.JsonElement.DeepEquals"/>, events with
/// <see cref="ArvoEvent.Equals(ArvoEvent)"/>.
/// </remarks>
[JsonConverter(typeof(MachineMemoryRecordJsonConverter))]
public abstract record MachineMemoryRecord : IImmutableMachineMemoryRecord, IOrchestrationRecord
{
    private protected MachineMemoryRecord()
    {
    }

    /// <summary>Whether this is a normal or a failure record (<c>executionStatus</c>).</summary>
    public abstract MachineExecutionStatus ExecutionStatus { get; }

    /// <summary>The workflow subject (<c>subject</c>), which is also the memory id.</summary>
    public required string Subject { get; init; }

    /// <inheritdoc />
    bool IOrchestrationRecord.IsFailure => ExecutionStatus == MachineExecutionStatus.Failure;

    // The hierarchy is closed (private protected constructor): only a normal record knows its parent and init event.

    /// <inheritdoc />
    string? IOrchestrationRecord.ParentSubject => (this as MachineMemoryStateRecord)?.ParentSubject;

    /// <inheritdoc />
    string? IOrchestrationRecord.InitEventId => (this as MachineMemoryStateRecord)?.InitEventId;
}
