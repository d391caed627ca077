using Arvo.Events;
using Arvo.Memory;
using Arvo.Orchestration;

namespace Arvo.Resumable;

/// <summary>The optional settings of an <see cref="ArvoResumable"/> (reference <c>createArvoResumable</c> options).</summary>
public sealed record ArvoResumableOptions
{
    /// <summary>The defaults.</summary>
    public static ArvoResumableOptions Default { get; } = new();

    /// <summary>The <c>executionunits</c> of emitted events unless a raw event or the output overrides them. Default 0.</summary>
    public double ExecutionUnits { get; init; }

    /// <summary>Whether every execution holds the subject's lock. Default (null): true iff there is more than one service contract.</summary>
    public bool? RequiresResourceLocking { get; init; }

    /// <summary>The domains of events that name none. Default: system errors and completion to the orchestration context, services local.</summary>
    public ArvoOrchestrationEmissionDomains DefaultEventEmissionDomains { get; init; } = ArvoOrchestrationEmissionDomains.Default;

    /// <summary>Span kind (default PRODUCER), attributes and name override (default <c>Resumable&lt;uri&gt;@&lt;type&gt;</c>).</summary>
    public ArvoOrchestrationSpanOptions SpanOptions { get; init; } = ArvoOrchestrationSpanOptions.Default;

    /// <summary>The clock, id generator and serializer options of emitted events; the serializer options also (de)serialize the context.</summary>
    public ArvoEventCreationOptions CreationOptions { get; init; } = ArvoEventCreationOptions.Default;

    /// <summary>How many consumed event ids each workflow's inbox remembers (redeliveries of them are answered from the inbox).</summary>
    /// <value>Default <see cref="MachineMemoryInbox.DefaultCapacity"/> (64); must be positive.</value>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value below 1.</exception>
    public int InboxCapacity
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = MachineMemoryInbox.DefaultCapacity;

    /// <summary>
    /// How long an execution that holds the subject's lock may run: once it has passed since the lock was acquired
    /// (measured with <see cref="ArvoEventCreationOptions.TimeProvider"/> of <see cref="CreationOptions"/>), the handler's
    /// cancellation token is cancelled and the execution is abandoned before it persists anything, with a
    /// <see cref="TransactionViolation"/> (<c>EXECUTION_TIMEOUT</c>, <c>Execution timeout - …</c>, inner
    /// <see cref="TimeoutException"/>); the lock is released. Keep it shorter than the memory's lock time-to-live.
    /// Executions without a lock are not bounded.
    /// </summary>
    /// <value>Default <see cref="ArvoOrchestratorBuilder.DefaultExecutionTimeout"/> (4 s); positive or <see cref="Timeout.InfiniteTimeSpan"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is neither positive nor infinite.</exception>
    public TimeSpan ExecutionTimeout
    {
        get;
        init => field = ArvoOrchestratorBuilder.CheckExecutionTimeout(value, nameof(ExecutionTimeout));
    } = ArvoOrchestratorBuilder.DefaultExecutionTimeout;

    /// <summary>
    /// Whether answers are validated strictly (see <see cref="ArvoOrchestratorBuilder.StrictAnswerValidation"/>): an event
    /// for an existing workflow is applied only when its <c>source</c> is the accepted event type of one of the service
    /// contracts and its <c>to</c> is the resumable's source, and an init's <c>parentSubject$$</c> must name the
    /// orchestrator the init came from. Rejected events are <see cref="ContractViolation"/>s and change nothing.
    /// Default false (the reference behaviour).
    /// </summary>
    public bool StrictAnswerValidation { get; init; }
}
