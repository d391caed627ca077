using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Arvo;

/// <summary>
/// An in-process <see cref="IMachineMemory{T}"/> for development and tests (the reference's <c>SimpleMachineMemory</c>).
/// </summary>
/// <remarks>
/// <para><b>Not for production:</b> records live in this process only and its lock is <b>not a distributed lock</b> —
/// two processes (or two instances) never see each other's locks or records. Use a durable backend that passes the
/// conformance suite for anything that runs more than one process or must survive a restart.</para>
/// <para>Within the process it is thread-safe and behaves like a real backend: a caller mutating what it wrote or read
/// never changes the store, writes are compare-and-set against the record that was read, and locks are owned and expire
/// after <see cref="SimpleMachineMemoryOptions.LockTimeToLive"/> measured with
/// <see cref="SimpleMachineMemoryOptions.TimeProvider"/>. Every operation completes synchronously.</para>
/// <para>Storage: when <typeparamref name="T"/> implements <see cref="IImmutableMachineMemoryRecord"/> (every
/// <see cref="MachineMemoryRecord"/> does), records are deeply immutable, so the store keeps and hands out the written
/// instance itself (no copy is needed for isolation). Any other <typeparamref name="T"/> (e.g. a mutable
/// <c>JsonObject</c>) is stored as serialised UTF-8 JSON: copied on write and on read.</para>
/// <para>The compare-and-set compares JSON: <c>previous</c> matches when it serialises to the stored JSON (or to
/// JSON that is <see cref="JsonElement.DeepEquals"/> to it), so <typeparamref name="T"/> must round-trip through
/// the configured serializer. For immutable records the common case — <c>previous</c> is the very instance that is
/// stored (the one <see cref="ReadAsync"/> returned) — matches by reference without serialising; any other instance
/// falls back to the JSON comparison, so the rule is the same.</para>
/// </remarks>
/// <typeparam name="T">The stored record.</typeparam>
public sealed class SimpleMachineMemory<T> : IMachineMemory<T>
    where T : class
{
    /// <summary>Whether <typeparamref name="T"/> is an <see cref="IImmutableMachineMemoryRecord"/>: instances are stored as they are.</summary>
    private static readonly bool StoresInstances = typeof(IImmutableMachineMemoryRecord).IsAssignableFrom(typeof(T));

    private readonly ConcurrentDictionary<string, StoredRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LockEntry> _locks = new(StringComparer.Ordinal);
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lockTimeToLive;

    /// <summary>Creates an empty memory.</summary>
    /// <param name="options">Lock time-to-live, clock and serializer; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SimpleMachineMemoryOptions.LockTimeToLive"/> is not positive.</exception>
    /// <exception cref="ArgumentNullException"><see cref="SimpleMachineMemoryOptions.TimeProvider"/> is null.</exception>
    public SimpleMachineMemory(SimpleMachineMemoryOptions? options = null)
    {
        options ??= new SimpleMachineMemoryOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LockTimeToLive, TimeSpan.Zero, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        _lockTimeToLive = options.LockTimeToLive;
        _timeProvider = options.TimeProvider;
        _typeInfo = (JsonTypeInfo<T>)(options.SerializerOptions ?? JsonSerializerOptions.Default).GetTypeInfo(typeof(T));
    }

    /// <summary>The configured lock time-to-live.</summary>
    public TimeSpan LockTimeToLive => _lockTimeToLive;

    /// <inheritdoc />
    public ValueTask<T?> ReadAsync(string id, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "read");
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<T?>(_records.TryGetValue(id, out var stored) ? Materialize(stored) : null);
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(string id, T data, T? previous, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "write");
        MachineMemoryGuard.Data(data);
        cancellationToken.ThrowIfCancellationRequested();

        var entry = Store(data);
        if (previous is null)
        {
            return _records.TryAdd(id, entry)
                ? ValueTask.CompletedTask
                : throw new MachineMemoryConflictException(id, $"Cannot create the record of machine '{id}': a record already exists (the write expected no record, previous = null).");
        }

        byte[]? expected = null;
        while (true)
        {
            if (!_records.TryGetValue(id, out var current))
            {
                throw new MachineMemoryConflictException(id, $"Cannot update the record of machine '{id}': no record is stored, but the write expected the record that was read (previous).");
            }

            if (!Matches(current, previous, ref expected))
            {
                throw new MachineMemoryConflictException(id, $"Cannot update the record of machine '{id}': the stored record is not the record that was read (previous); another execution wrote it first.");
            }

            // Reference comparison on the stored entry: fails (and re-checks) if another writer replaced it meanwhile.
            if (_records.TryUpdate(id, entry, current))
            {
                return ValueTask.CompletedTask;
            }
        }
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
                // Another owner's lock is never removed; an expired one no longer blocks anybody.
                return new ValueTask<bool>(current.ExpiresAt <= _timeProvider.GetUtcNow());
            }

            if (_locks.TryRemove(new KeyValuePair<string, LockEntry>(id, current)))
            {
                return new ValueTask<bool>(true);
            }
        }
    }

    /// <summary>Removes every record and every lock.</summary>
    public void Clear()
    {
        _records.Clear();
        _locks.Clear();
    }

    /// <summary>Removes the record and the lock of one workflow.</summary>
    /// <param name="id">The workflow id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public void Clear(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _records.TryRemove(id, out _);
        _locks.TryRemove(id, out _);
    }

    private StoredRecord Store(T data) =>
        StoresInstances ? new StoredRecord(data, null) : new StoredRecord(null, JsonSerializer.SerializeToUtf8Bytes(data, _typeInfo));

    private T? Materialize(StoredRecord stored) =>
        stored.Instance ?? JsonSerializer.Deserialize(stored.Json!, _typeInfo);

    /// <summary>Whether <paramref name="previous"/> is the stored record: the same instance, or equivalent JSON.</summary>
    private bool Matches(StoredRecord current, T previous, ref byte[]? expected)
    {
        if (current.Instance is not null && ReferenceEquals(current.Instance, previous))
        {
            return true;
        }

        expected ??= JsonSerializer.SerializeToUtf8Bytes(previous, _typeInfo);
        var stored = current.Json ?? JsonSerializer.SerializeToUtf8Bytes(current.Instance!, _typeInfo);
        return JsonEquivalent(stored, expected);
    }

    private static bool JsonEquivalent(byte[] stored, byte[] expected)
    {
        if (stored.AsSpan().SequenceEqual(expected))
        {
            return true;
        }

        using var left = JsonDocument.Parse(stored);
        using var right = JsonDocument.Parse(expected);
        return JsonElement.DeepEquals(left.RootElement, right.RootElement);
    }

    /// <summary>
    /// A stored record: the instance itself (immutable <typeparamref name="T"/>) or its UTF-8 JSON. A class, so that
    /// dictionary updates compare by reference (records override <see cref="object.Equals(object)"/>).
    /// </summary>
    private sealed class StoredRecord(T? instance, byte[]? json)
    {
        public T? Instance { get; } = instance;

        public byte[]? Json { get; } = json;
    }

    /// <summary>A held lock. A class, so that dictionary updates compare by reference.</summary>
    private sealed class LockEntry(string owner, DateTimeOffset expiresAt)
    {
        public string Owner { get; } = owner;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;
    }
}
