using Arvo.Handlers;

namespace Arvo.Dispatch;

/// <summary>What one dispatch did: the execution's result and the published events, or why the event cannot succeed.</summary>
public sealed class ArvoDispatchResult
{
    private ArvoDispatchResult(ArvoExecutionResult? execution, ArvoDeadLetter? failure, bool deadLettered, int attempts)
    {
        Execution = execution;
        Failure = failure;
        DeadLettered = deadLettered;
        Attempts = attempts;
    }

    /// <summary>The execution's result (events and outcome); null when the event failed.</summary>
    public ArvoExecutionResult? Execution { get; }

    /// <summary>Why the event cannot succeed; null when it was executed.</summary>
    public ArvoDeadLetter? Failure { get; }

    /// <summary>Whether <see cref="Failure"/> was written to the dead-letter sink.</summary>
    public bool DeadLettered { get; }

    /// <summary>How many times the event was executed (retries included; 0 when no handler consumes it).</summary>
    public int Attempts { get; }

    /// <summary>Whether the event was executed (whatever its outcome).</summary>
    public bool Succeeded => Failure is null;

    /// <summary>The events the execution emitted (and the dispatcher published), in order; empty on failure.</summary>
    public IReadOnlyList<ArvoEvent> Emitted => Execution?.All ?? [];

    internal static ArvoDispatchResult Executed(ArvoExecutionResult execution, int attempts) => new(execution, null, false, attempts);

    internal static ArvoDispatchResult Failed(ArvoDeadLetter failure, bool deadLettered) => new(null, failure, deadLettered, failure.Attempts);
}
