using Arvo.Resumable;

namespace Arvo.Memory;

/// <summary>
/// The store behind orchestrators and resumables: one versioned record of type <typeparamref name="T"/> per workflow,
/// keyed by the workflow id (always the full orchestration subject), with the workflow's inbox (the consumed event ids
/// it has applied and what each emitted), a per-workflow lease (lock) and an outbox of emitted events not yet published.
/// </summary>
/// <typeparam name="T">The stored record (<see cref="MachineMemoryRecord"/> for orchestrators; resumables store <see cref="ArvoResumableState"/>).</typeparam>
/// <remarks>
/// <para>Principle: <b>fail fast on acquire, be tolerant on release</b> (memory-and-locking.md 1–2).</para>
/// <list type="bullet">
/// <item><see cref="ReadAsync"/> returns null only for "no workflow yet"; failures throw. The entry carries an opaque
/// <see cref="MachineMemoryEntry{T}.Version"/>.</item>
/// <item><see cref="WriteAsync"/> is a compare-and-set on that version: it stores the record, the inbox and the new
/// outbox events in <b>one atomic write</b>, or throws <see cref="MachineMemoryConflictException"/> when the stored
/// version is not <see cref="MachineMemoryWrite{T}.ExpectedVersion"/> (0 = "no record yet").</item>
/// <item><see cref="LockAsync"/> is an atomic "insert if absent" lease that returns false on contention (a denial, not an
/// error) and throws only for infrastructure failures. Every lease has a time-to-live judged by the <b>store's</b> clock
/// (the database's <c>now()</c> for a SQL store), never by the caller's.</item>
/// <item>Leases are owned. The caller mints a <see cref="MachineMemoryLockToken"/> per execution and passes it to
/// both <see cref="LockAsync"/> and <see cref="UnlockAsync"/>; a lease that expired and was re-acquired by another
/// owner is never released by the old owner.</item>
/// </list>
/// <para>Every backend must pass the shared conformance suite (package <c>Arvo.Testing</c>,
/// <c>MachineMemorySpecification&lt;TMemory&gt;</c>).</para>
/// </remarks>
public interface IMachineMemory<T> : IMachineMemoryOutbox
    where T : class
{
    /// <summary>Reads the record stored for <paramref name="id"/>, with its version and inbox. Callers receive data they may freely use (never shared with the store's later state).</summary>
    /// <param name="id">The workflow id (the orchestration subject).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored entry, or null when the workflow does not exist yet.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty (<c>Machine ID is required for read operation</c>).</exception>
    /// <exception cref="MachineMemoryCorruptedException">The stored data cannot be read back as a record (the row is left untouched).</exception>
    ValueTask<MachineMemoryEntry<T>?> ReadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="write"/> for <paramref name="id"/> if, and only if, the stored version is still
    /// <see cref="MachineMemoryWrite{T}.ExpectedVersion"/> (optimistic concurrency): the record, the inbox and the
    /// outbox events in one atomic write. Fails fast: no retries inside.
    /// </summary>
    /// <param name="id">The workflow id (the orchestration subject).</param>
    /// <param name="write">The new record, the version it replaces, the new inbox and the events to add to the outbox as pending.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new version of the stored record.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty (<c>Machine ID is required for write operation</c>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="write"/> is null (<c>Data is required for write operation</c>).</exception>
    /// <exception cref="MachineMemoryConflictException">The stored version is not the expected one; nothing was written.</exception>
    ValueTask<long> WriteAsync(string id, MachineMemoryWrite<T> write, CancellationToken cancellationToken = default);

    /// <summary>Tries to take the lease of <paramref name="id"/> for <paramref name="owner"/>, without waiting.</summary>
    /// <param name="id">The workflow id (the orchestration subject).</param>
    /// <param name="owner">The execution taking the lease; the same token must be passed to <see cref="UnlockAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// True when the lease was acquired; false when a live (unexpired) lease is held, also when it is held by
    /// <paramref name="owner"/> itself (leases are not re-entrant). An expired lease is taken over.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty (<c>Machine ID is required for lock operation</c>) or <paramref name="owner"/> is empty.</exception>
    ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default);

    /// <summary>Releases the lease of <paramref name="id"/> if <paramref name="owner"/> holds it. Idempotent.</summary>
    /// <param name="id">The workflow id (the orchestration subject).</param>
    /// <param name="owner">The token passed to <see cref="LockAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// True when no lease of <paramref name="owner"/> remains (released now, never taken, or already gone);
    /// false when a live lease of another owner exists and was left in place.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty (<c>Machine ID is required for unlock operation</c>) or <paramref name="owner"/> is empty.</exception>
    ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default);
}
