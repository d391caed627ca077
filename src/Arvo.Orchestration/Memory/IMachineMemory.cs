namespace Arvo;

/// <summary>
/// The store behind orchestrators and resumables: one record of type <typeparamref name="T"/> per workflow,
/// keyed by the workflow id (always the full orchestration subject), plus a per-workflow lock.
/// </summary>
/// <typeparam name="T">The stored record (<see cref="MachineMemoryRecord"/> for orchestrators; resumables store their own shape).</typeparam>
/// <remarks>
/// <para>Principle: <b>fail fast on acquire, be tolerant on release</b> (memory-and-locking.md 1–2).</para>
/// <list type="bullet">
/// <item><see cref="ReadAsync"/> returns null only for "no workflow yet"; failures throw.</item>
/// <item><see cref="WriteAsync"/> is a compare-and-set against the record that was read: it throws
/// <see cref="MachineMemoryConflictException"/> when the store no longer holds <c>previous</c>.</item>
/// <item><see cref="LockAsync"/> is an atomic "insert if absent" that returns false on contention (a denial, not an
/// error) and throws only for infrastructure failures. Every lock has a time-to-live so that a failed unlock
/// cannot block a workflow forever.</item>
/// <item>Locks are owned. The caller mints a <see cref="MachineMemoryLockToken"/> per execution and passes it to
/// both <see cref="LockAsync"/> and <see cref="UnlockAsync"/>; a lock that expired and was re-acquired by another
/// owner is never released by the old owner. (The reference has no owner argument; this is the one shape change.)</item>
/// </list>
/// <para>Every backend must pass the shared conformance suite (<c>MachineMemoryConformanceTests&lt;TMemory&gt;</c>).</para>
/// </remarks>
public interface IMachineMemory<T>
    where T : class
{
    /// <summary>Reads the record stored for <paramref name="id"/>. Callers receive data they may freely mutate (a copy).</summary>
    /// <param name="id">The workflow id (the orchestration subject).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored record, or null when the workflow does not exist yet.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty (<c>Machine ID is required for read operation</c>).</exception>
    ValueTask<T?> ReadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="data"/> for <paramref name="id"/> if, and only if, the stored record is still
    /// <paramref name="previous"/> (optimistic concurrency). Fails fast: no retries inside.
    /// </summary>
    /// <param name="id">The workflow id (the orchestration subject).</param>
    /// <param name="data">The new record. Later changes to this object by the caller never reach the store.</param>
    /// <param name="previous">
    /// The record read at the start of this execution; null to create a new workflow, in which case the write fails
    /// when a record already exists. A failure record that replaces an existing record must also pass the record
    /// that was read.
    /// </param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty (<c>Machine ID is required for write operation</c>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null (<c>Data is required for write operation</c>).</exception>
    /// <exception cref="MachineMemoryConflictException">The stored record is not <paramref name="previous"/>.</exception>
    ValueTask WriteAsync(string id, T data, T? previous, CancellationToken cancellationToken = default);

    /// <summary>Tries to take the lock of <paramref name="id"/> for <paramref name="owner"/>, without waiting.</summary>
    /// <param name="id">The workflow id (the orchestration subject).</param>
    /// <param name="owner">The execution taking the lock; the same token must be passed to <see cref="UnlockAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// True when the lock was acquired; false when a live (unexpired) lock is held, also when it is held by
    /// <paramref name="owner"/> itself (locks are not re-entrant). An expired lock is taken over.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty (<c>Machine ID is required for lock operation</c>) or <paramref name="owner"/> is empty.</exception>
    ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default);

    /// <summary>Releases the lock of <paramref name="id"/> if <paramref name="owner"/> holds it. Idempotent.</summary>
    /// <param name="id">The workflow id (the orchestration subject).</param>
    /// <param name="owner">The token passed to <see cref="LockAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// True when no lock of <paramref name="owner"/> remains (released now, never taken, or already gone);
    /// false when a live lock of another owner exists and was left in place.
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty (<c>Machine ID is required for unlock operation</c>) or <paramref name="owner"/> is empty.</exception>
    ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default);
}
