using Arvo.Memory;

namespace Arvo.OpenTelemetry.Tests.TestSupport;

/// <summary>
/// An in-memory machine memory that denies the first <c>denials</c> locks it is asked for (as if another host held the
/// subject), then locks as usual.
/// </summary>
internal sealed class LockDenyingMemory(int denials = 1) : IMachineMemory<MachineMemoryRecord>
{
    private readonly SimpleMachineMemory<MachineMemoryRecord> _inner = new();
    private int _locks;

    public ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default) =>
        Interlocked.Increment(ref _locks) <= denials ? ValueTask.FromResult(false) : _inner.LockAsync(id, owner, cancellationToken);

    public ValueTask<MachineMemoryEntry<MachineMemoryRecord>?> ReadAsync(string id, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(id, cancellationToken);

    public ValueTask<long> WriteAsync(string id, MachineMemoryWrite<MachineMemoryRecord> write, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(id, write, cancellationToken);

    public ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default) =>
        _inner.UnlockAsync(id, owner, cancellationToken);

    public ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default) =>
        _inner.ReadPendingOutboxAsync(maxCount, cancellationToken);

    public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
        _inner.MarkPublishedAsync(id, eventIds, cancellationToken);
}
