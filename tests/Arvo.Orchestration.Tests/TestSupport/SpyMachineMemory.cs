using Arvo.Memory;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// Wraps a <see cref="SimpleMachineMemory{T}"/>: records every call (<c>read</c>, <c>write</c>, <c>lock</c>,
/// <c>unlock</c>), can make an operation throw, and can hold a read until a gate opens (for deterministic contention).
/// </summary>
internal class SpyMachineMemory<T> : IMachineMemory<T>
    where T : class
{
    private readonly object _gate = new();
    private int _holders;

    public SimpleMachineMemory<T> Inner { get; } = new();

    /// <summary>Every call in order: <c>(op, id, detail)</c>; detail = found / had previous / acquired.</summary>
    public List<(string Op, string Id, bool Detail)> Calls { get; } = [];

    public Exception? LockError { get; set; }

    public Exception? ReadError { get; set; }

    public Exception? WriteError { get; set; }

    public Exception? UnlockError { get; set; }

    /// <summary>When set, the first read returns only when this task completes (after reading the record), then clears it.</summary>
    public Task? HoldFirstRead { get; set; }

    /// <summary>Completed when the held read (<see cref="HoldFirstRead"/>) has read its record and starts waiting.</summary>
    public TaskCompletionSource HeldReadReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a lock is denied for the first time.</summary>
    public TaskCompletionSource FirstDenial { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The largest number of simultaneous lock holders observed.</summary>
    public int MaxHolders { get; private set; }

    public int Denials { get; private set; }

    public IEnumerable<string> Ops
    {
        get
        {
            lock (_gate)
            {
                return [.. Calls.Select(c => c.Op)];
            }
        }
    }

    public int Writes
    {
        get
        {
            lock (_gate)
            {
                return Calls.Count(c => c.Op == "write");
            }
        }
    }

    public async ValueTask<MachineMemoryEntry<T>?> ReadAsync(string id, CancellationToken cancellationToken = default)
    {
        Task? hold;
        lock (_gate)
        {
            hold = HoldFirstRead;
            HoldFirstRead = null;
        }

        if (ReadError is { } error)
        {
            Record("read", id, false);
            throw error;
        }

        var record = await Inner.ReadAsync(id, cancellationToken);
        Record("read", id, record is not null);
        if (hold is not null)
        {
            // The record is read; the caller continues only when the gate opens.
            HeldReadReached.TrySetResult();
            await hold.ConfigureAwait(false);
        }

        return record;
    }

    public async ValueTask<long> WriteAsync(string id, MachineMemoryWrite<T> write, CancellationToken cancellationToken = default)
    {
        Record("write", id, write.ExpectedVersion != 0);
        if (WriteError is { } error)
        {
            throw error;
        }

        return await Inner.WriteAsync(id, write, cancellationToken);
    }

    public ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default) =>
        Inner.ReadPendingOutboxAsync(maxCount, cancellationToken);

    public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
        Inner.MarkPublishedAsync(id, eventIds, cancellationToken);

    public async ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        if (LockError is { } error)
        {
            Record("lock", id, false);
            throw error;
        }

        var acquired = await Inner.LockAsync(id, owner, cancellationToken);
        lock (_gate)
        {
            Calls.Add(("lock", id, acquired));
            if (acquired)
            {
                MaxHolders = Math.Max(MaxHolders, ++_holders);
            }
            else
            {
                Denials++;
            }
        }

        if (!acquired)
        {
            FirstDenial.TrySetResult();
        }

        return acquired;
    }

    public async ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        if (UnlockError is { } error)
        {
            Record("unlock", id, false);
            throw error;
        }

        lock (_gate)
        {
            // Decrement before the lock is really gone, so a new holder never overlaps in the count.
            _holders--;
            Calls.Add(("unlock", id, true));
        }

        return await Inner.UnlockAsync(id, owner, cancellationToken);
    }

    private void Record(string op, string id, bool detail)
    {
        lock (_gate)
        {
            Calls.Add((op, id, detail));
        }
    }
}

/// <summary>The <see cref="SpyMachineMemory{T}"/> of machine records.</summary>
internal sealed class SpyMachineMemory : SpyMachineMemory<MachineMemoryRecord>;
