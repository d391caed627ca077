using System.Diagnostics;
using Arvo.Telemetry;

namespace Arvo.Memory;

/// <summary>
/// The adapter orchestrators and resumables use to touch their <see cref="IMachineMemory{T}"/> for one event
/// (memory-and-locking.md 3): it keys everything by the event subject and turns memory failures into
/// <see cref="TransactionViolation"/>s with the reference's messages.
/// </summary>
/// <typeparam name="T">The stored record.</typeparam>
/// <remarks>
/// Thread-safe and shareable across executions; the per-execution lock owner is the
/// <see cref="MachineMemoryLockToken"/> the caller passes to both <see cref="AcquireLockAsync"/> and
/// <see cref="ReleaseLockAsync"/>. A cancelled <see cref="CancellationToken"/> surfaces as
/// <see cref="OperationCanceledException"/>, not as a violation.
/// </remarks>
public sealed class SyncEventResource<T>
    where T : class
{
    /// <summary>Creates the adapter.</summary>
    /// <param name="memory">The memory.</param>
    /// <param name="requiresResourceLocking">Whether executions must hold the subject's lock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="memory"/> is null.</exception>
    public SyncEventResource(IMachineMemory<T> memory, bool requiresResourceLocking)
    {
        ArgumentNullException.ThrowIfNull(memory);
        Memory = memory;
        RequiresResourceLocking = requiresResourceLocking;
    }

    /// <summary>The memory.</summary>
    public IMachineMemory<T> Memory { get; }

    /// <summary>Whether executions must hold the subject's lock.</summary>
    public bool RequiresResourceLocking { get; }

    /// <summary>Takes the lock of the event's subject, if locking is required.</summary>
    /// <param name="arvoEvent">The event being executed.</param>
    /// <param name="owner">This execution's lock token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="AcquiredLockStatus.Noop"/>, <see cref="AcquiredLockStatus.Acquired"/> or <see cref="AcquiredLockStatus.NotAcquired"/>.</returns>
    /// <exception cref="TransactionViolation"><c>LOCK_MACHINE_MEMORY_FAILURE</c>: <c>Error acquiring lock for event (subject=&lt;subject&gt;): &lt;message&gt;</c>.</exception>
    public async ValueTask<AcquiredLockStatus> AcquireLockAsync(ArvoEvent arvoEvent, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        if (!RequiresResourceLocking)
        {
            ExecutionTelemetry.LogCurrent("INFO", $"Skipping acquiring lock for event (subject={arvoEvent.Subject}) as the orchestrator implementation does not require resource locks.");
            return AcquiredLockStatus.Noop;
        }

        try
        {
            var acquired = await Memory.LockAsync(arvoEvent.Subject, owner, cancellationToken).ConfigureAwait(false);
            return acquired ? AcquiredLockStatus.Acquired : AcquiredLockStatus.NotAcquired;
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            throw new TransactionViolation(
                TransactionViolationCause.LockMachineMemoryFailure,
                $"Error acquiring lock for event (subject={arvoEvent.Subject}): {exception.Message}",
                arvoEvent,
                exception);
        }
    }

    /// <summary>Reads the record of the event's subject, with its version and inbox.</summary>
    /// <param name="arvoEvent">The event being executed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored entry, or null for a new workflow.</returns>
    /// <exception cref="TransactionViolation"><c>READ_MACHINE_MEMORY_FAILURE</c>: <c>Error reading state for event (subject=&lt;subject&gt;): &lt;message&gt;</c>.</exception>
    public async ValueTask<MachineMemoryEntry<T>?> AcquireStateAsync(ArvoEvent arvoEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        try
        {
            return await Memory.ReadAsync(arvoEvent.Subject, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            throw new TransactionViolation(
                TransactionViolationCause.ReadMachineMemoryFailure,
                $"Error reading state for event (subject={arvoEvent.Subject}): {exception.Message}",
                arvoEvent,
                exception);
        }
    }

    /// <summary>Writes the record, inbox and outbox events for the event's subject, compare-and-set on the version read by <see cref="AcquireStateAsync"/>.</summary>
    /// <param name="arvoEvent">The event being executed.</param>
    /// <param name="write">The new record, the expected version, the inbox and the outbox events.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new version.</returns>
    /// <exception cref="TransactionViolation"><c>WRITE_MACHINE_MEMORY_FAILURE</c>: <c>Error writing state for event (subject=&lt;subject&gt;): &lt;message&gt;</c> (also for a <see cref="MachineMemoryConflictException"/>).</exception>
    public async ValueTask<long> PersistStateAsync(ArvoEvent arvoEvent, MachineMemoryWrite<T> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        try
        {
            return await Memory.WriteAsync(arvoEvent.Subject, write, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            throw new TransactionViolation(
                TransactionViolationCause.WriteMachineMemoryFailure,
                $"Error writing state for event (subject={arvoEvent.Subject}): {exception.Message}",
                arvoEvent,
                exception);
        }
    }

    /// <summary>Checks that the event's subject is a valid orchestration subject (orchestrator.md 7, step 2).</summary>
    /// <param name="arvoEvent">The event being executed.</param>
    /// <exception cref="ExecutionViolation"><c>Invalid event (id=&lt;id&gt;) subject format. Expected an ArvoOrchestrationSubject but received '&lt;subject&gt;'. The subject must follow the format specified by ArvoOrchestrationSubject schema</c>.</exception>
    public void ValidateEventSubject(ArvoEvent arvoEvent)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        if (!ArvoOrchestrationSubject.IsValid(arvoEvent.Subject))
        {
            throw InvalidSubject(arvoEvent);
        }
    }

    /// <summary>Releases the lock taken by <see cref="AcquireLockAsync"/>. Never throws.</summary>
    /// <param name="arvoEvent">The event being executed.</param>
    /// <param name="acquired">What <see cref="AcquireLockAsync"/> returned; anything but <see cref="AcquiredLockStatus.Acquired"/> is a no-op.</param>
    /// <param name="owner">The token passed to <see cref="AcquireLockAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call (a cancelled release reports <see cref="ReleasedLockStatus.Error"/>).</param>
    /// <returns><see cref="ReleasedLockStatus.Noop"/>, <see cref="ReleasedLockStatus.Released"/> or <see cref="ReleasedLockStatus.Error"/>.</returns>
    public async ValueTask<ReleasedLockStatus> ReleaseLockAsync(ArvoEvent arvoEvent, AcquiredLockStatus acquired, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        if (acquired != AcquiredLockStatus.Acquired)
        {
            Log("INFO", "Lock was not acquired by the process so performing no operation");
            return ReleasedLockStatus.Noop;
        }

        try
        {
            await Memory.UnlockAsync(arvoEvent.Subject, owner, cancellationToken).ConfigureAwait(false);
            Log("INFO", "Lock successfully released");
            return ReleasedLockStatus.Released;
        }
#pragma warning disable CA1031 // Release is tolerant by contract: the lock's time-to-live bounds the leak.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ExecutionTelemetry.LogCurrent("ERROR", $"Memory unlock operation failed - Possible resource leak: {exception.Message}");
            return ReleasedLockStatus.Error;
        }
    }

    /// <summary>The violation <see cref="ValidateEventSubject"/> throws, for callers that parse the subject themselves.</summary>
    internal static ExecutionViolation InvalidSubject(ArvoEvent arvoEvent) =>
        new($"Invalid event (id={arvoEvent.Id}) subject format. Expected an ArvoOrchestrationSubject but received '{arvoEvent.Subject}'. The subject must follow the format specified by ArvoOrchestrationSubject schema");

    private static bool IsCancellation(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private static void Log(string level, string message) => ExecutionTelemetry.Log(Activity.Current, level, message);
}
