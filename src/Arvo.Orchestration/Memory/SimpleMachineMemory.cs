using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Arvo.Memory;

/// <summary>
/// An in-process <see cref="IMachineMemory{T}"/> for development and tests (the reference's <c>SimpleMachineMemory</c>),
/// with the same versioned compare-and-set, inbox and outbox semantics as the durable stores.
/// </summary>
/// <remarks>
/// <para><b>Not for production:</b> records live in this process only and its lease is <b>not a distributed lock</b> —
/// two processes (or two instances) never see each other's leases or records. Use a durable store (SQLite for one host,
/// PostgreSQL for many) for anything that runs more than one process or must survive a restart.</para>
/// <para>Within the process it is thread-safe and behaves like a real backend: a caller mutating what it wrote or read
/// never changes the store, writes are compare-and-set on the version, leases are owned and expire after
/// <see cref="SimpleMachineMemoryOptions.LockTimeToLive"/> measured with <see cref="SimpleMachineMemoryOptions.TimeProvider"/>
/// (the store's clock), and the outbox keeps every written event pending until it is marked published. Every operation
/// completes synchronously.</para>
/// <para>Storage: when <typeparamref name="T"/> implements <see cref="IImmutableMachineMemoryRecord"/> (every
/// <see cref="MachineMemoryRecord"/> does), records are deeply immutable, so the store keeps and hands out the written
/// instance itself. Any other <typeparamref name="T"/> (e.g. a mutable <c>JsonObject</c>) is stored as serialized UTF-8
/// JSON: copied on write and on read. Published outbox events are dropped (no history is kept).</para>
/// </remarks>
/// <typeparam name="T">The stored record.</typeparam>
public sealed class SimpleMachineMemory<T> : IMachineMemory<T>
    where T : class
{
    /// <summary>Whether <typeparamref name="T"/> is an <see cref="IImmutableMachineMemoryRecord"/>: instances are stored as they are.</summary>
    private static readonly bool StoresInstances = typeof(IImmutableMachineMemoryRecord).IsAssignableFrom(typeof(T));

    private readonly ConcurrentDictionary<string, StoredRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LockEntry> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingEvents> _pending = new(StringComparer.Ordinal);
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lockTimeToLive;
    private long _outboxSequence;

    /// <summary>Creates an empty memory.</summary>
    /// <param name="options">Lease time-to-live, clock and serializer; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SimpleMachineMemoryOptions.LockTimeToLive"/> is not positive.</exception>
    /// <exception cref="ArgumentNullException"><see cref="SimpleMachineMemoryOptions.TimeProvider"/> is null.</exception>
    public SimpleMachineMemory(SimpleMachineMemoryOptions? options = null)
    {
        options ??= new SimpleMachineMemoryOptions();
        if (options.LockTimeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.LockTimeToLive, $"SimpleMachineMemoryOptions.LockTimeToLive must be positive; found {options.LockTimeToLive}.");
        }

        if (options.TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(options), "SimpleMachineMemoryOptions.TimeProvider must not be null.");
        }

        _lockTimeToLive = options.LockTimeToLive;
        _timeProvider = options.TimeProvider;
        _typeInfo = (JsonTypeInfo<T>)(options.SerializerOptions ?? JsonSerializerOptions.Default).GetTypeInfo(typeof(T));
    }

    /// <summary>The configured lease time-to-live.</summary>
    public TimeSpan LockTimeToLive => _lockTimeToLive;

    /// <inheritdoc />
    public ValueTask<MachineMemoryEntry<T>?> ReadAsync(string id, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "read");
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<MachineMemoryEntry<T>?>(
            _records.TryGetValue(id, out var stored) ? new MachineMemoryEntry<T>(Materialize(stored), stored.Version, stored.Inbox) : null);
    }

    /// <inheritdoc />
    public ValueTask<long> WriteAsync(string id, MachineMemoryWrite<T> write, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "write");
        MachineMemoryGuard.Data(write);
        MachineMemoryGuard.Data(write.Record);
        cancellationToken.ThrowIfCancellationRequested();

        var entry = Store(write.Record, write.ExpectedVersion + 1, write.Inbox);
        if (write.ExpectedVersion == 0)
        {
            if (!_records.TryAdd(id, entry))
            {
                throw MachineMemoryConflictException.RecordExists(id);
            }
        }
        else
        {
            while (true)
            {
                if (!_records.TryGetValue(id, out var current))
                {
                    throw MachineMemoryConflictException.NoRecord(id, write.ExpectedVersion);
                }

                if (current.Version != write.ExpectedVersion)
                {
                    throw MachineMemoryConflictException.StaleVersion(id, write.ExpectedVersion, current.Version);
                }

                // Reference comparison on the stored entry: fails (and re-checks) if another writer replaced it meanwhile.
                if (_records.TryUpdate(id, entry, current))
                {
                    break;
                }
            }
        }

        if (write.Outbox.Count > 0)
        {
            AddPending(id, write.Outbox);
        }

        return new ValueTask<long>(entry.Version);
    }

    /// <inheritdoc />
    public ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "lock");
        MachineMemoryGuard.Owner(owner, "lock");
        cancellationToken.ThrowIfCancellationRequested();

        var now = _timeProvider.GetUtcNow();
        var entry = new LockEntry(owner.Value!, now + _lockTimeToLive);
        while (true)
        {
            if (_locks.TryAdd(id, entry))
            {
                return new ValueTask<bool>(true);
            }

            if (!_locks.TryGetValue(id, out var current))
            {
                continue;
            }

            if (current.ExpiresAt > now)
            {
                return new ValueTask<bool>(false);
            }

            // Expired: take it over atomically, unless someone else did first.
            if (_locks.TryUpdate(id, entry, current))
            {
                return new ValueTask<bool>(true);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "unlock");
        MachineMemoryGuard.Owner(owner, "unlock");
        cancellationToken.ThrowIfCancellationRequested();

        while (true)
        {
            if (!_locks.TryGetValue(id, out var current))
            {
                return new ValueTask<bool>(true);
            }

            if (!string.Equals(current.Owner, owner.Value, StringComparison.Ordinal))
            {
                // Another owner's lease is never removed; an expired one no longer blocks anybody.
                return new ValueTask<bool>(current.ExpiresAt <= _timeProvider.GetUtcNow());
            }

            if (_locks.TryRemove(new KeyValuePair<string, LockEntry>(id, current)))
            {
                return new ValueTask<bool>(true);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var all = new List<MachineMemoryOutboxEntry>();
        foreach (var pending in _pending.Values)
        {
            lock (pending)
            {
                all.AddRange(pending.Entries);
            }
        }

        all.Sort(static (left, right) => left.Sequence.CompareTo(right.Sequence));
        if (all.Count > maxCount)
        {
            all.RemoveRange(maxCount, all.Count - maxCount);
        }

        return new ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>>(all);
    }

    /// <inheritdoc />
    public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "mark published");
        ArgumentNullException.ThrowIfNull(eventIds);
        cancellationToken.ThrowIfCancellationRequested();
        if (eventIds.Count == 0 || !_pending.TryGetValue(id, out var pending))
        {
            return new ValueTask<int>(0);
        }

        int removed;
        lock (pending)
        {
            // A plain loop: this runs after every published execution, so no closure or LINQ on the way.
            removed = 0;
            var entries = pending.Entries;
            for (var i = entries.Count - 1; i >= 0; i--)
            {
                if (Contains(eventIds, entries[i].Event.Id))
                {
                    entries.RemoveAt(i);
                    removed++;
                }
            }

            if (pending.Entries.Count == 0)
            {
                pending.Retired = true;
                _pending.TryRemove(new KeyValuePair<string, PendingEvents>(id, pending));
            }
        }

        return new ValueTask<int>(removed);
    }

    /// <summary>Removes every record, lease and pending outbox event.</summary>
    public void Clear()
    {
        _records.Clear();
        _locks.Clear();
        _pending.Clear();
    }

    /// <summary>Removes the record, the lease and the pending outbox events of one workflow.</summary>
    /// <param name="id">The workflow id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public void Clear(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _records.TryRemove(id, out _);
        _locks.TryRemove(id, out _);
        _pending.TryRemove(id, out _);
    }

    private void AddPending(string id, IReadOnlyList<ArvoEvent> events)
    {
        while (true)
        {
            var pending = _pending.GetOrAdd(id, static (_, count) => new PendingEvents(count), events.Count);
            lock (pending)
            {
                // A list emptied and removed by MarkPublishedAsync meanwhile is not reused.
                if (pending.Retired)
                {
                    continue;
                }

                for (var i = 0; i < events.Count; i++)
                {
                    pending.Entries.Add(new MachineMemoryOutboxEntry(Interlocked.Increment(ref _outboxSequence), id, events[i]));
                }

                return;
            }
        }
    }

    private static bool Contains(IReadOnlyCollection<string> ids, string id)
    {
        // Arrays and lists (what callers pass) answer without an enumerator; string equality is ordinal.
        if (ids is ICollection<string> collection)
        {
            return collection.Contains(id);
        }

        foreach (var candidate in ids)
        {
            if (string.Equals(candidate, id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private StoredRecord Store(T data, long version, MachineMemoryInbox inbox) =>
        StoresInstances
            ? new StoredRecord(data, null, version, inbox)
            : new StoredRecord(null, JsonSerializer.SerializeToUtf8Bytes(data, _typeInfo), version, inbox);

    private T Materialize(StoredRecord stored) =>
        stored.Instance ?? JsonSerializer.Deserialize(stored.Json!, _typeInfo)!;

    /// <summary>A stored record. A class, so that dictionary updates compare by reference.</summary>
    private sealed class StoredRecord(T? instance, byte[]? json, long version, MachineMemoryInbox inbox)
    {
        public T? Instance { get; } = instance;

        public byte[]? Json { get; } = json;

        public long Version { get; } = version;

        public MachineMemoryInbox Inbox { get; } = inbox;
    }

    /// <summary>A held lease. A class, so that dictionary updates compare by reference.</summary>
    private sealed class LockEntry(string owner, DateTimeOffset expiresAt)
    {
        public string Owner { get; } = owner;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;
    }

    /// <summary>The pending outbox events of one workflow; guarded by locking the instance.</summary>
    private sealed class PendingEvents(int capacity)
    {
        public List<MachineMemoryOutboxEntry> Entries { get; } = new(capacity);

        public bool Retired { get; set; }
    }
}
