using System.Globalization;
using System.Text;
using System.Text.Json;
using Arvo.Events;
using Arvo.Memory;

namespace Arvo.Benchmarks.Throughput;

/// <summary>What one storage call of a workflow was, with the payloads it carried (for the raw replay).</summary>
public enum StorageOperationKind
{
    /// <summary><see cref="IMachineMemory{T}.LockAsync"/>.</summary>
    Lock,

    /// <summary><see cref="IMachineMemory{T}.ReadAsync"/>.</summary>
    Read,

    /// <summary><see cref="IMachineMemory{T}.WriteAsync"/>: the CAS write of record + inbox + outbox rows.</summary>
    Write,

    /// <summary><see cref="IMachineMemory{T}.UnlockAsync"/>.</summary>
    Unlock,

    /// <summary><see cref="IMachineMemoryOutbox.MarkPublishedAsync"/>.</summary>
    MarkPublished,
}

/// <summary>One storage call. For a write: the record and inbox JSON and each outbox event's JSON; for a mark: how many ids.</summary>
public sealed record StorageOperation(StorageOperationKind Kind, byte[] Record, byte[] Inbox, IReadOnlyList<byte[]> Events, int Count);

/// <summary>
/// The storage calls one counter workflow makes, in order, as recorded from a real run of the pipeline (so the raw
/// loop replays what Arvo does, not what we believe it does), with the JSON it actually wrote.
/// </summary>
public sealed class StorageTrace
{
    /// <summary>Creates a trace.</summary>
    /// <param name="operations">The calls, in order.</param>
    /// <param name="idLength">The length of the workflow id (the orchestration subject) used as the key.</param>
    public StorageTrace(IReadOnlyList<StorageOperation> operations, int idLength)
    {
        Operations = operations;
        IdLength = idLength;
    }

    /// <summary>The calls, in order.</summary>
    public IReadOnlyList<StorageOperation> Operations { get; }

    /// <summary>The length of a workflow id; the raw loop uses keys of this length.</summary>
    public int IdLength { get; }

    /// <summary>Bytes of JSON the workflow writes (records, inboxes, events).</summary>
    public long WrittenBytes => Operations.Sum(o => (long)o.Record.Length + o.Inbox.Length + o.Events.Sum(e => (long)e.Length));

    /// <summary>A short description, e.g. <c>read, write(1 outbox), mark(1), read, write(2 outbox), mark(2); 5.1 KB JSON written</c>.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var operation in Operations)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(operation.Kind switch
            {
                StorageOperationKind.Write => string.Create(CultureInfo.InvariantCulture, $"write(record {operation.Record.Length} B, inbox {operation.Inbox.Length} B, {operation.Events.Count} outbox {string.Join('+', operation.Events.Select(e => e.Length))} B)"),
                StorageOperationKind.MarkPublished => string.Create(CultureInfo.InvariantCulture, $"mark_published({operation.Count})"),
                StorageOperationKind.Lock => "lock",
                StorageOperationKind.Unlock => "unlock",
                _ => "read",
            });
        }

        return text.ToString();
    }

    /// <summary>A unique key of <see cref="IdLength"/> characters (a GUID, padded), like a subject of that size.</summary>
    public string NewId()
    {
        var guid = Guid.NewGuid().ToString("N");
        return guid.Length >= IdLength ? guid : guid + new string('x', IdLength - guid.Length);
    }

    /// <summary>Records the calls of the first workflow that runs through it; later calls pass straight through.</summary>
    /// <typeparam name="T">The stored record.</typeparam>
    public sealed class Recorder<T> : IMachineMemory<T>
        where T : class
    {
        private readonly IMachineMemory<T> _inner;
        private readonly List<StorageOperation> _operations = [];
        private string? _id;

        /// <summary>Wraps <paramref name="inner"/>.</summary>
        /// <param name="inner">The store that does the work.</param>
        public Recorder(IMachineMemory<T> inner) => _inner = inner;

        /// <summary>The recorded trace (the first workflow id seen; single-threaded use).</summary>
        public StorageTrace Trace => new([.. _operations], _id?.Length ?? 0);

        /// <inheritdoc />
        public ValueTask<MachineMemoryEntry<T>?> ReadAsync(string id, CancellationToken cancellationToken = default)
        {
            Record(id, new StorageOperation(StorageOperationKind.Read, [], [], [], 0));
            return _inner.ReadAsync(id, cancellationToken);
        }

        /// <inheritdoc />
        public ValueTask<long> WriteAsync(string id, MachineMemoryWrite<T> write, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(write);

            // The JSON the durable stores write: the record with default options, the inbox, each event.
            Record(id, new StorageOperation(
                StorageOperationKind.Write,
                JsonSerializer.SerializeToUtf8Bytes(write.Record, JsonSerializerOptions.Default.GetTypeInfo(typeof(T))),
                write.Inbox.ToUtf8Json(),
                [.. write.Outbox.Select(ArvoEventJson.SerializeToUtf8Bytes)],
                write.Outbox.Count));
            return _inner.WriteAsync(id, write, cancellationToken);
        }

        /// <inheritdoc />
        public ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
        {
            Record(id, new StorageOperation(StorageOperationKind.Lock, [], [], [], 0));
            return _inner.LockAsync(id, owner, cancellationToken);
        }

        /// <inheritdoc />
        public ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
        {
            Record(id, new StorageOperation(StorageOperationKind.Unlock, [], [], [], 0));
            return _inner.UnlockAsync(id, owner, cancellationToken);
        }

        /// <inheritdoc />
        public ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default) =>
            _inner.ReadPendingOutboxAsync(maxCount, cancellationToken);

        /// <inheritdoc />
        public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(eventIds);
            Record(id, new StorageOperation(StorageOperationKind.MarkPublished, [], [], [], eventIds.Count));
            return _inner.MarkPublishedAsync(id, eventIds, cancellationToken);
        }

        private void Record(string id, StorageOperation operation)
        {
            _id ??= id;
            if (id == _id)
            {
                _operations.Add(operation);
            }
        }
    }
}
