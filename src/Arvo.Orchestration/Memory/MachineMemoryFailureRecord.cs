using System.Text.Json.Serialization;

namespace Arvo.Memory;

/// <summary>
/// The record an orchestrator writes when an execution fails with a non-violation error
/// (<c>{executionStatus: "failure", subject, error}</c>, orchestrator.md 13). Later events for the workflow are ignored.
/// </summary>
/// <remarks>The reference stores the live <c>Error</c> object; this port persists <c>{name, message, stack}</c> as recommended.</remarks>
[JsonConverter(typeof(MachineMemoryRecordJsonConverter))]
public sealed record MachineMemoryFailureRecord : MachineMemoryRecord
{
    private readonly MachineMemoryError _error = null!;

    /// <inheritdoc />
    public override MachineExecutionStatus ExecutionStatus => MachineExecutionStatus.Failure;

    /// <summary>The failure (<c>error</c>).</summary>
    public required MachineMemoryError Error
    {
        get => _error;
        init => _error = value ?? throw new ArgumentNullException(nameof(value));
    }
}
