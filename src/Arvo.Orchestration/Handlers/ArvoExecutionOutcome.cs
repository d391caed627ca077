namespace Arvo.Handlers;

/// <summary>What one execution decided about the event it consumed (<see cref="ArvoExecutionResult.Outcome"/>).</summary>
public enum ArvoExecutionOutcome
{
    /// <summary>The event was applied: a handler ran, or a workflow started or moved on.</summary>
    Executed,

    /// <summary>
    /// The workflow had already applied this event id (a redelivery): nothing ran again and the events of the first
    /// execution are returned, with their ids.
    /// </summary>
    Replayed,

    /// <summary>The event's subject names another orchestrator: not ours, nothing was locked, read or written.</summary>
    IgnoredOtherOrchestrator,

    /// <summary>The workflow failed earlier; a failed workflow ignores every later event.</summary>
    IgnoredFailedWorkflow,

    /// <summary>No workflow exists for the subject and the event is not the init event that would start one.</summary>
    IgnoredNotInitialized,

    /// <summary>
    /// The execution failed: the result holds the <c>sys.&lt;source&gt;.error</c> events, and an orchestrator or
    /// resumable stored the workflow as failed.
    /// </summary>
    Failed,
}
