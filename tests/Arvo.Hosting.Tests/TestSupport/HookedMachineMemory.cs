using Arvo.Memory;

namespace Arvo.Hosting.Tests.TestSupport;

/// <summary>A machine memory that runs a hook once, right after its next <see cref="ReadPendingOutboxAsync"/> has read.</summary>
internal sealed class HookedMachineMemory(IMachineMemory<MachineMemoryRecord> inner) : IMachineMemory<MachineMemoryRecord>
{
    private Func<Task>? _afterNextPendingRead;

    /// <summary>Runs <paramref name="hook"/> after the next pending read, before that read returns its (then stale) entries.</summary>
    public void AfterNextPendingRead(Func<Task> hook) => _afterNextPendingRead = hook;

    public async ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        var entries = await inner.ReadPendingOutboxAsync(maxCount, cancellationToken);
        if (Interlocked.Exchange(ref _afterNextPendingRead, null) is { } hook)
        {
            await hook();
        }

        return entries;
    }

    public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
        inner.MarkPublishedAsync(id, eventIds, cancellationToken);

    public ValueTask<MachineMemoryEntry<MachineMemoryRecord>?> ReadAsync(string id, CancellationToken cancellationToken = default) => inner.ReadAsync(id, cancellationToken);

    public ValueTask<long> WriteAsync(string id, MachineMemoryWrite<MachineMemoryRecord> write, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(id, write, cancellationToken);

    public ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default) => inner.LockAsync(id, owner, cancellationToken);

    public ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default) => inner.UnlockAsync(id, owner, cancellationToken);
}
