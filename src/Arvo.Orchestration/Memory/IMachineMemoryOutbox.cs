namespace Arvo.Memory;

/// <summary>
/// The outbox side of a machine memory: the events that executions emitted, written atomically with the workflow
/// record (<see cref="IMachineMemory{T}.WriteAsync"/>), kept <c>pending</c> until a publisher marks them
/// <c>published</c>. After a crash between persist and publish, a relay (<see cref="ArvoOutboxRelay"/>) lists the
/// pending events and publishes them again.
/// </summary>
public interface IMachineMemoryOutbox
{
    /// <summary>Lists up to <paramref name="maxCount"/> pending events, oldest first (in write order).</summary>
    /// <param name="maxCount">The most entries to return; positive.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pending entries, ordered by <see cref="MachineMemoryOutboxEntry.Sequence"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is not positive.</exception>
    /// <exception cref="MachineMemoryCorruptedException">A stored event cannot be read back.</exception>
    ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Marks the pending events <paramref name="eventIds"/> of workflow <paramref name="id"/> as published. Idempotent.</summary>
    /// <param name="id">The workflow id the events were written for (the consumed event's subject).</param>
    /// <param name="eventIds">The ids of the published events; ids that are not pending are ignored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many pending entries changed to published.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="eventIds"/> is null.</exception>
    ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default);
}
