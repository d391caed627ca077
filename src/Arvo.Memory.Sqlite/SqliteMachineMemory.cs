using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Arvo.Events;
using Microsoft.Data.Sqlite;

namespace Arvo.Memory.Sqlite;

/// <summary>
/// A durable <see cref="IMachineMemory{T}"/> in a SQLite file: each workflow's record, version and inbox in one row,
/// owned expiring leases, and an outbox of emitted events, with the semantics of <see cref="SimpleMachineMemory{T}"/>.
/// </summary>
/// <remarks>
/// <para><b>An embedded durable store for ONE host.</b> Several processes on the same machine may share the file —
/// SQLite's file locking and the busy timeout (<see cref="SqliteMachineMemoryOptions.BusyTimeout"/>) serialise their
/// writers, and leases and compare-and-set conflicts are seen across processes — but never put the file on a network
/// share, whose locking SQLite cannot rely on. For many hosts use the PostgreSQL store.</para>
/// <para>Each write is one <c>BEGIN IMMEDIATE</c> transaction: the compare-and-set on the version, the record, the inbox
/// and every outbox event commit together or not at all. The journal is WAL (readers never block the writer) and every
/// commit is synced as <see cref="SqliteMachineMemoryOptions.Synchronous"/> says.</para>
/// <para>Leases expire on <see cref="SqliteMachineMemoryOptions.TimeProvider"/>, this process's clock (SQLite has no
/// server clock): processes sharing a file share the machine's clock.</para>
/// <para>The schema is created on first use (or by <see cref="EnsureCreatedAsync"/>) with a version row in
/// <c>{prefix}schema</c>; a file with a newer schema fails with <see cref="MachineMemorySchemaException"/>.
/// Every operation opens a pooled connection, so one instance is safe to share across threads. Published outbox rows
/// are kept (with <c>published_at</c>) until <see cref="PurgePublishedOutboxAsync"/> removes them.</para>
/// </remarks>
/// <typeparam name="T">The stored record.</typeparam>
public sealed class SqliteMachineMemory<T> : IMachineMemory<T>, IAsyncDisposable
    where T : class
{
    /// <summary>The pragma text last applied to each native connection (pooled connections keep theirs).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, string> InitializedHandles = new();

    private readonly string _connectionString;
    private readonly SqliteMachineMemorySql _sql;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly TimeProvider _timeProvider;
    private readonly long _lockTimeToLiveMilliseconds;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;
    private volatile bool _disposed;

    /// <summary>Creates a store over the database of <paramref name="options"/>; nothing is opened until first use.</summary>
    /// <param name="options">The database, table prefix, lease time-to-live, clock, serializer and durability settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public SqliteMachineMemory(SqliteMachineMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;

        // The provider retries a busy database for its command timeout on top of SQLite's busy_timeout; make both the same.
        _connectionString = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ConnectionString;
        _sql = new SqliteMachineMemorySql(options.TablePrefix, options.Synchronous, options.BusyTimeout);
        _typeInfo = (JsonTypeInfo<T>)(options.SerializerOptions ?? JsonSerializerOptions.Default).GetTypeInfo(typeof(T));
        _timeProvider = options.TimeProvider;
        _lockTimeToLiveMilliseconds = (long)Math.Ceiling(options.LockTimeToLive.TotalMilliseconds);
    }

    /// <summary>The options this store was created with.</summary>
    public SqliteMachineMemoryOptions Options { get; }

    /// <summary>
    /// Creates the tables and the schema version row if they do not exist yet. Idempotent and safe to call from several
    /// instances or processes at once; every operation calls it on first use, so calling it is optional (e.g. at
    /// start-up, to fail early).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is ready.</returns>
    /// <exception cref="MachineMemorySchemaException">The file holds a schema version this store does not support; nothing was changed.</exception>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                await CreateSchemaAsync(cancellationToken).ConfigureAwait(false);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="MachineMemorySchemaException">The file holds a schema version this store does not support.</exception>
    public async ValueTask<MachineMemoryEntry<T>?> ReadAsync(string id, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "read");
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = _sql.SelectRecord;
        command.Parameters.AddWithValue("$id", id);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var version = reader.GetInt64(0);
        var record = ParseRecord(id, reader.GetFieldValue<byte[]>(1));
        var inbox = ParseInbox(id, reader.GetFieldValue<byte[]>(2));
        return new MachineMemoryEntry<T>(record, version, inbox);
    }

    /// <inheritdoc />
    /// <exception cref="MachineMemorySchemaException">The file holds a schema version this store does not support.</exception>
    public async ValueTask<long> WriteAsync(string id, MachineMemoryWrite<T> write, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "write");
        MachineMemoryGuard.Data(write);
        MachineMemoryGuard.Data(write.Record);

        // Serialise before taking the write lock, so the lock is held for SQL only.
        var recordJson = JsonSerializer.SerializeToUtf8Bytes(write.Record, _typeInfo);
        var inboxJson = write.Inbox.ToUtf8Json();
        var outbox = write.Outbox;
        var outboxJson = outbox.Count == 0 ? [] : new byte[outbox.Count][];
        for (var i = 0; i < outboxJson.Length; i++)
        {
            outboxJson[i] = ArvoEventJson.SerializeToUtf8Bytes(outbox[i]);
        }

        var expected = write.ExpectedVersion;
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // BEGIN IMMEDIATE: the write lock is taken up front, so the compare-and-set and its conflict check see one state.
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = expected == 0 ? _sql.InsertRecord : _sql.UpdateRecord;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$record", recordJson);
            command.Parameters.AddWithValue("$inbox", inboxJson);
            command.Parameters.AddWithValue("$now", now);
            if (expected != 0)
            {
                command.Parameters.AddWithValue("$expected", expected);
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                // Disposing the transaction rolls back: nothing of this write is kept.
                throw expected == 0
                    ? MachineMemoryConflictException.RecordExists(id)
                    : await ConflictAsync(connection, id, expected, cancellationToken).ConfigureAwait(false);
            }
        }

        if (outboxJson.Length > 0)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = _sql.InsertOutboxEvent;
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$now", now);
            var eventId = insert.Parameters.Add("$event_id", SqliteType.Text);
            var eventJson = insert.Parameters.Add("$event", SqliteType.Blob);
            for (var i = 0; i < outboxJson.Length; i++)
            {
                eventId.Value = outbox[i].Id;
                eventJson.Value = outboxJson[i];
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return expected + 1;
    }

    /// <inheritdoc />
    /// <exception cref="MachineMemorySchemaException">The file holds a schema version this store does not support.</exception>
    public async ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "lock");
        MachineMemoryGuard.Owner(owner, "lock");
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = _sql.AcquireLease;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$owner", owner.Value);
        command.Parameters.AddWithValue("$expires_at", now + _lockTimeToLiveMilliseconds);
        command.Parameters.AddWithValue("$now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    /// <exception cref="MachineMemorySchemaException">The file holds a schema version this store does not support.</exception>
    public async ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "unlock");
        MachineMemoryGuard.Owner(owner, "unlock");
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = _sql.ReleaseLease;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$owner", owner.Value);
        command.Parameters.AddWithValue("$now", now);
        var anotherOwnersLiveLease = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return anotherOwnersLiveLease == 0;
    }

    /// <inheritdoc />
    /// <exception cref="MachineMemorySchemaException">The file holds a schema version this store does not support.</exception>
    public async ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = _sql.SelectPendingOutbox;
        command.Parameters.AddWithValue("$max", maxCount);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<MachineMemoryOutboxEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var sequence = reader.GetInt64(0);
            var workflowId = reader.GetString(1);
            entries.Add(new MachineMemoryOutboxEntry(sequence, workflowId, ParseOutboxEvent(workflowId, sequence, reader.GetFieldValue<byte[]>(2))));
        }

        return entries;
    }

    /// <inheritdoc />
    /// <exception cref="MachineMemorySchemaException">The file holds a schema version this store does not support.</exception>
    public async ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "mark published");
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
        {
            return 0;
        }

        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = _sql.MarkPublished;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$event_ids", ToJsonArray(eventIds));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the outbox rows that were marked published before <paramref name="olderThan"/>; pending rows are never deleted.</summary>
    /// <param name="olderThan">The cutoff: rows whose <c>published_at</c> is earlier are deleted (measured on <see cref="SqliteMachineMemoryOptions.TimeProvider"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many rows were deleted.</returns>
    /// <exception cref="MachineMemorySchemaException">The file holds a schema version this store does not support.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async ValueTask<int> PurgePublishedOutboxAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = _sql.PurgePublished;
        command.Parameters.AddWithValue("$cutoff", olderThan.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every record, lease and outbox row (pending and published) of this store's tables, in one transaction.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="MachineMemorySchemaException">The file holds a schema version this store does not support.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = _sql.Clear;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the ids of stored workflows, least recently written first (e.g. for an operator's overview).</summary>
    /// <param name="maxCount">The most ids to return; positive.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workflow ids.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async ValueTask<IReadOnlyList<string>> ListIdsAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = _sql.SelectIds;
        command.Parameters.AddWithValue("$max", maxCount);
        var ids = new List<string>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>
    /// Stops the store and releases the pooled connections of its connection string (so the file can be moved or
    /// deleted). Other instances on the same connection string keep working and open new connections as needed.
    /// </summary>
    /// <returns>A task.</returns>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _schemaGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_schemaReady)
        {
            await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Pragmas are per native connection, and a pooled SqliteConnection reopens the same one: run them once per
            // native handle (again if another store with other pragmas used it), not on every call.
            var handle = connection.Handle!;
            if (!InitializedHandles.TryGetValue(handle, out var applied) || !string.Equals(applied, _sql.ConnectionPragmas, StringComparison.Ordinal))
            {
                using var pragmas = connection.CreateCommand();
                pragmas.CommandText = _sql.ConnectionPragmas;
                await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                InitializedHandles.AddOrUpdate(handle, _sql.ConnectionPragmas);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async ValueTask CreateSchemaAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One immediate transaction: concurrent creators (other instances, other processes) queue on the write lock.
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = _sql.CreateSchemaTable;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        command.CommandText = _sql.SelectSchemaVersion;
        var stored = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (stored is long version && version != SqliteMachineMemorySql.SchemaVersion)
        {
            // Checked before any other DDL, so a newer schema is never touched.
            throw new MachineMemorySchemaException(
                Options.TablePrefix + "schema",
                version,
                SqliteMachineMemorySql.SchemaVersion,
                version > SqliteMachineMemorySql.SchemaVersion
                    ? $"The SQLite machine memory schema '{Options.TablePrefix}schema' has version {version}, newer than version {SqliteMachineMemorySql.SchemaVersion} that this store supports; it was written by a newer Arvo.Memory.Sqlite. Upgrade the package. Nothing was changed."
                    : $"The SQLite machine memory schema '{Options.TablePrefix}schema' has version {version}; this store supports version {SqliteMachineMemorySql.SchemaVersion} only. Nothing was changed.");
        }

        command.CommandText = _sql.CreateTables;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<MachineMemoryConflictException> ConflictAsync(SqliteConnection connection, string id, long expected, CancellationToken cancellationToken)
    {
        // Inside the write transaction: the version read here is the one that rejected the update.
        using var command = connection.CreateCommand();
        command.CommandText = _sql.SelectVersion;
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long actual
            ? MachineMemoryConflictException.StaleVersion(id, expected, actual)
            : MachineMemoryConflictException.NoRecord(id, expected);
    }

    private T ParseRecord(string id, byte[] json)
    {
        T? record;
        try
        {
            record = JsonSerializer.Deserialize(json, _typeInfo);
        }
        catch (JsonException exception)
        {
            throw new MachineMemoryCorruptedException(id, "record", exception);
        }

        return record ?? throw new MachineMemoryCorruptedException(id, "record", new JsonException("The stored record is JSON null."));
    }

    private static MachineMemoryInbox ParseInbox(string id, byte[] json)
    {
        try
        {
            return MachineMemoryInbox.Parse(json);
        }
        catch (Exception exception) when (exception is JsonException or ArvoEventValidationException)
        {
            throw new MachineMemoryCorruptedException(id, "inbox", exception);
        }
    }

    private static ArvoEvent ParseOutboxEvent(string workflowId, long sequence, byte[] json)
    {
        try
        {
            return ArvoEventJson.Parse(json);
        }
        catch (ArvoEventValidationException exception)
        {
            throw new MachineMemoryCorruptedException(workflowId, $"outbox event {sequence}", exception);
        }
    }

    private static byte[] ToJsonArray(IReadOnlyCollection<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>(values.Count * 40);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
