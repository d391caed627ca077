namespace Arvo.Memory;

/// <summary>A pending outbox event: what an execution of workflow <see cref="WorkflowId"/> emitted and nobody has marked published yet.</summary>
/// <param name="Sequence">The store's write order (increasing; unique within the store).</param>
/// <param name="WorkflowId">The workflow whose write added the event (the consumed event's subject).</param>
/// <param name="Event">The emitted event, exactly as the execution returned it.</param>
public sealed record MachineMemoryOutboxEntry(long Sequence, string WorkflowId, ArvoEvent Event);
