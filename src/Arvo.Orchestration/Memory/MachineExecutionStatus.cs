namespace Arvo.Memory;

/// <summary>The <c>executionStatus</c> of a stored workflow record.</summary>
public enum MachineExecutionStatus
{
    /// <summary><c>"normal"</c>: the workflow is healthy; the record holds its snapshot (<see cref="MachineMemoryStateRecord"/>).</summary>
    Normal,

    /// <summary><c>"failure"</c>: the workflow failed; later events are ignored (<see cref="MachineMemoryFailureRecord"/>).</summary>
    Failure,
}
