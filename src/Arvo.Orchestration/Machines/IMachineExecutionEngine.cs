using Arvo.Handlers;

namespace Arvo.Machines;

/// <summary>
/// Runs one machine execution (orchestrator.md 4): a pure function of (machine, stored snapshot or null, event).
/// Synchronous: machines are pure CPU work.
/// </summary>
public interface IMachineExecutionEngine
{
    /// <summary>Starts the machine (no snapshot) or resumes it and delivers <paramref name="arvoEvent"/>.</summary>
    /// <param name="machine">The machine (resolved for the event's subject).</param>
    /// <param name="snapshot">The stored snapshot, or null for a new workflow.</param>
    /// <param name="arvoEvent">The consumed event (already validated against the machine's contracts).</param>
    /// <param name="options">Where the span's parent comes from; null means <see cref="ArvoExecutionOptions.Default"/>.</param>
    /// <returns>The new snapshot, the raw events and the completion payload of this execution.</returns>
    /// <exception cref="InvalidOperationException">
    /// No snapshot and the event is not the machine's init type (<c>Invalid initialization event: …</c>), or the
    /// eventless transitions do not settle within the machine's microstep bound.
    /// </exception>
    /// <remarks>Any exception thrown by the context factory, a guard or an action aborts the execution and is rethrown unchanged (violations stay violations).</remarks>
    ArvoMachineExecutionResult Execute(ArvoMachine machine, ArvoMachineSnapshot? snapshot, ArvoEvent arvoEvent, ArvoExecutionOptions? options = null);
}
