namespace Arvo.Orchestration;

/// <summary>
/// What <see cref="OrchestrationPipeline{TRecord}"/> reads from a stored workflow record (orchestrator.md 7, steps 6
/// and 7), implemented by the records themselves (<see cref="Memory.MachineMemoryRecord"/>,
/// <see cref="Resumable.ArvoResumableState"/>) so the pipeline needs no callbacks into the orchestration for it.
/// </summary>
internal interface IOrchestrationRecord
{
    /// <summary>True for a failure record: the workflow ignores every later event (step 6).</summary>
    bool IsFailure { get; }

    /// <summary>The stored parent subject; null for a root workflow or a failure record (step 7).</summary>
    string? ParentSubject { get; }

    /// <summary>The stored init event id; null for a failure record (step 7).</summary>
    string? InitEventId { get; }
}
