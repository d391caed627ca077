using System.Buffers;
using System.Data;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Arvo.Events;
using Npgsql;

namespace Arvo.Memory.PostgreSql;

/// <summary>
/// A durable <see cref="IMachineMemory{T}"/> in PostgreSQL: the store for many hosts that share workflow state. Records,
/// leases and the outbox are rows in three tables; every operation is one statement (one round trip, one implicit
/// transaction) over a pooled connection of the caller's <see cref="NpgsqlDataSource"/>.
/// </summary>
/// <typeparam name="T">The stored record (<see cref="MachineMemoryRecord"/> for orchestrators).</typeparam>
/// <remarks>
/// <para><b>Writes</b> are compare-and-set on the record's version. A write stores the record, the inbox and the new
/// outbox events in one statement: either all of it commits, or (on a version conflict, an error or a cancellation)
/// nothing does. Records, inboxes and events are stored as <c>json</c> text exactly as serialized, so they read back byte
/// for byte (<c>jsonb</c> would reorder the keys of event data and machine state and cannot hold <c>\u0000</c>).</para>
/// <para><b>Leases</b> are rows of <c>{prefix}leases</c>, not session advisory locks: a session lock belongs to one
/// physical connection, and with connection pooling the connection that took it is not the one that would release it
/// (and a pooled connection keeps it after the caller is done). A lease row is visible to every host, survives a
/// reconnect and expires on its own. Expiry is judged by the <b>database clock</b> (<c>now()</c>), never by a host's
/// clock, so hosts with skewed clocks agree on who holds a lease. Each lease statement is its own transaction, so
/// <c>now()</c> is that statement's instant; the expiry check and the new expiry use the same instant.</para>
/// <para><b>Tables</b> (schema and prefix from <see cref="PostgreSqlMachineMemoryOptions"/>) are created on first use
/// or by <see cref="EnsureCreatedAsync"/>: idempotent DDL, serialised across hosts by a transaction-level advisory
/// lock (DDL only). <c>{prefix}schema</c> holds the schema version; a newer version than this library knows fails with
/// <see cref="MachineMemorySchemaException"/>. The role needs CREATE on the database only when the schema does
/// not exist yet, and CREATE on the schema until the tables exist.</para>
/// <para><b>Lifetime:</b> thread-safe; create one per data source and share it. The caller owns the
/// <see cref="NpgsqlDataSource"/>; the store never disposes it. For throughput, let Npgsql prepare the statements
/// (<c>Max Auto Prepare=20</c> in the connection string).</para>
/// <para><b>Tracing:</b> Npgsql emits one span per command on its own <c>ActivitySource</c> named <c>Npgsql</c>. They
/// nest under Arvo's spans (e.g. those of <see cref="TelemetryMachineMemory{T}"/>); subscribe to both sources, e.g.
/// <c>tracing.AddSource(ArvoTelemetry.ActivitySourceName).AddSource("Npgsql")</c> (or Npgsql.OpenTelemetry's
/// <c>AddNpgsql()</c>).</para>
/// </remarks>
/// <example>
/// <code>
/// await using var dataSource = NpgsqlDataSource.Create("Host=db;Database=app;Username=app;Password=…");
/// var memory = new PostgreSqlMachineMemory&lt;MachineMemoryRecord&gt;(dataSource);
/// await memory.EnsureCreatedAsync(); // optional: the first operation does it too
/// </code>
/// </example>
public sealed class PostgreSqlMachineMemory<T> : IMachineMemory<T>
    where T : class
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlMachineMemorySql _sql;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly object _creationGate = new();
    private Task? _creation;
    private volatile bool _created;

    /// <summary>Creates a store over <paramref name="dataSource"/>. Does not touch the database; tables are created on first use.</summary>
    /// <param name="dataSource">The caller's data source; not disposed by the store.</param>
    /// <param name="options">Schema, table prefix, lease time-to-live and serializer; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="PostgreSqlMachineMemoryOptions.Schema"/> or <see cref="PostgreSqlMachineMemoryOptions.TablePrefix"/> is not a SQL identifier (<c>[A-Za-z_][A-Za-z0-9_]*</c>) or is too long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PostgreSqlMachineMemoryOptions.LockTimeToLive"/> is not positive.</exception>
    public PostgreSqlMachineMemory(NpgsqlDataSource dataSource, PostgreSqlMachineMemoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options ??= new PostgreSqlMachineMemoryOptions();
        if (options.LockTimeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.LockTimeToLive,
                $"PostgreSqlMachineMemoryOptions.LockTimeToLive must be positive, but was {options.LockTimeToLive}.");
        }

        _dataSource = dataSource;
        _sql = new PostgreSqlMachineMemorySql(options);
        _typeInfo = (JsonTypeInfo<T>)(options.SerializerOptions ?? JsonSerializerOptions.Default).GetTypeInfo(typeof(T));
        Options = options;
    }

    /// <summary>The options the store was created with.</summary>
    public PostgreSqlMachineMemoryOptions Options { get; }

    /// <summary>The configured lease time-to-live.</summary>
    public TimeSpan LockTimeToLive => Options.LockTimeToLive;

    /// <summary>
    /// Creates the schema, the tables and the indexes if they are missing (idempotent, safe from many hosts at once).
    /// Runs once per instance; later calls return at once. Every other operation calls it first.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; a creation already under way still completes for later callers.</param>
    /// <returns>A task that completes when the tables exist.</returns>
    /// <exception cref="MachineMemorySchemaException">The tables are at a newer schema version than this library supports.</exception>
    /// <exception cref="NpgsqlException">The database could not be reached or refused the DDL.</exception>
    public ValueTask EnsureCreatedAsync(CancellationToken cancellationToken = default) =>
        _created ? ValueTask.CompletedTask : new ValueTask(WaitForCreationAsync(cancellationToken));

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<MachineMemoryEntry<T>?> ReadAsync(string id, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "read");
        RejectNul(id, nameof(id), "Machine ID");
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        using var command = _dataSource.CreateCommand(_sql.Read);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // The row is buffered (non-sequential reader), so these reads do no I/O.
        var version = reader.GetInt64(0);
        var recordJson = reader.GetFieldValue<byte[]>(1);
        var inboxJson = reader.GetFieldValue<byte[]>(2);
        return new MachineMemoryEntry<T>(ParseRecord(id, recordJson), version, ParseInbox(id, inboxJson));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="id"/> or an outbox event id contains U+0000, which PostgreSQL text cannot store; nothing was written.</exception>
    /// <exception cref="NpgsqlException">The database failed; nothing was written.</exception>
    public async ValueTask<long> WriteAsync(string id, MachineMemoryWrite<T> write, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "write");
        MachineMemoryGuard.Data(write);
        MachineMemoryGuard.Data(write.Record);
        RejectNul(id, nameof(id), "Machine ID");
        var outbox = write.Outbox;
        for (var i = 0; i < outbox.Count; i++)
        {
            RejectNul(outbox[i].Id, nameof(write), $"The id of outbox event {i} of machine '{id}'");
        }

        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        var creates = write.ExpectedVersion == 0;
        using var command = _dataSource.CreateCommand(_sql.Write(creates, outbox.Count > 0));
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        if (!creates)
        {
            parameters.Add(new NpgsqlParameter<long> { TypedValue = write.ExpectedVersion });
        }

        parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = PostgreSqlMachineMemorySql.JsonDbType, TypedValue = JsonSerializer.SerializeToUtf8Bytes(write.Record, _typeInfo) });
        parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = PostgreSqlMachineMemorySql.JsonDbType, TypedValue = write.Inbox.ToUtf8Json() });
        if (outbox.Count > 0)
        {
            var (eventIds, events) = SerializeOutbox(outbox);
            parameters.Add(new NpgsqlParameter<string[]> { TypedValue = eventIds });
            parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = PostgreSqlMachineMemorySql.JsonDbType, TypedValue = events });
        }

        var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!reader.IsDBNull(0))
        {
            return reader.GetInt64(0);
        }

        long? stored = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        throw Conflict(id, write.ExpectedVersion, stored);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="owner"/> contains U+0000, which PostgreSQL text cannot store.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "lock");
        MachineMemoryGuard.Owner(owner, "lock");
        RejectNul(id, nameof(id), "Machine ID");
        RejectNul(owner.Value!, nameof(owner), "Lock owner token");
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        using var command = _dataSource.CreateCommand(_sql.Lock);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner.Value });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = Options.LockTimeToLive });

        // One row is inserted or taken over; none when a live lease exists (whoever owns it).
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="owner"/> contains U+0000, which PostgreSQL text cannot store.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "unlock");
        MachineMemoryGuard.Owner(owner, "unlock");
        RejectNul(id, nameof(id), "Machine ID");
        RejectNul(owner.Value!, nameof(owner), "Lock owner token");
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        using var command = _dataSource.CreateCommand(_sql.Unlock);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner.Value });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        using var command = _dataSource.CreateCommand(_sql.ReadPendingOutbox);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        var entries = new List<MachineMemoryOutboxEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var sequence = reader.GetInt64(0);
            var workflowId = reader.GetString(1);
            entries.Add(new MachineMemoryOutboxEntry(sequence, workflowId, ParseEvent(workflowId, sequence, reader.GetFieldValue<byte[]>(2))));
        }

        return entries;
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        MachineMemoryGuard.Id(id, "mark published");
        ArgumentNullException.ThrowIfNull(eventIds);
        RejectNul(id, nameof(id), "Machine ID");
        if (eventIds.Count == 0)
        {
            return 0;
        }

        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand(_sql.MarkPublished);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = eventIds as string[] ?? [.. eventIds] });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the outbox rows that were marked published more than <paramref name="olderThan"/> ago (by the database
    /// clock). Pending rows are never deleted. Run it periodically; published rows are otherwise kept as history.
    /// </summary>
    /// <param name="olderThan">How long to keep published rows; zero or more.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many rows were deleted.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="olderThan"/> is negative.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<int> PurgePublishedOutboxAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(olderThan, TimeSpan.Zero);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        using var command = _dataSource.CreateCommand(_sql.PurgePublished);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = olderThan });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every record, lease and outbox row of this store (<c>TRUNCATE</c> of its three tables). For tests and resets.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        using var command = _dataSource.CreateCommand(_sql.Clear);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static MachineMemoryConflictException Conflict(string id, long expected, long? stored) =>
        (expected, stored) switch
        {
            (0, _) => MachineMemoryConflictException.RecordExists(id),
            (_, null) => MachineMemoryConflictException.NoRecord(id, expected),

            // The statement's snapshot still showed the expected version: a concurrent writer changed it meanwhile.
            (_, { } version) when version == expected => MachineMemoryConflictException.StaleVersion(id, expected, null),
            _ => MachineMemoryConflictException.StaleVersion(id, expected, stored),
        };

    /// <summary>The event ids as a text array and the events as one JSON array, written straight into one buffer.</summary>
    private static (string[] EventIds, byte[] Events) SerializeOutbox(IReadOnlyList<ArvoEvent> outbox)
    {
        var eventIds = new string[outbox.Count];
        var buffer = new ArrayBufferWriter<byte>(1024 * outbox.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < outbox.Count; i++)
            {
                eventIds[i] = outbox[i].Id;
                ArvoEventJson.Write(writer, outbox[i]);
            }

            writer.WriteEndArray();
        }

        return (eventIds, buffer.WrittenSpan.ToArray());
    }

    /// <summary>PostgreSQL text cannot hold U+0000; say so before the server answers with an encoding error.</summary>
    private static void RejectNul(string value, string parameterName, string what)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} must not contain the character U+0000: PostgreSQL text cannot store it. Nothing was written.", parameterName);
        }
    }

    /// <summary>What a deserializer throws for data that is not a record (the record converter, System.Text.Json or an event parser).</summary>
    private static bool IsUnreadable(Exception exception) =>
        exception is JsonException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException;

    private T ParseRecord(string id, byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, _typeInfo) ?? throw new JsonException("The stored record is JSON null.");
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            throw new MachineMemoryCorruptedException(id, "record", exception);
        }
    }

    private static MachineMemoryInbox ParseInbox(string id, byte[] json)
    {
        try
        {
            return MachineMemoryInbox.Parse(json);
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            throw new MachineMemoryCorruptedException(id, "inbox", exception);
        }
    }

    private static ArvoEvent ParseEvent(string workflowId, long sequence, byte[] json)
    {
        try
        {
            return ArvoEventJson.Parse(json);
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            throw new MachineMemoryCorruptedException(workflowId, $"outbox event {sequence}", exception);
        }
    }

    private async Task WaitForCreationAsync(CancellationToken cancellationToken)
    {
        Task creation;
        lock (_creationGate)
        {
            // One DDL run per instance, shared by every caller; not tied to the first caller's token.
            creation = _creation ??= Task.Run(CreateTablesAsync, CancellationToken.None);
        }

        try
        {
            await creation.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (creation.IsFaulted || creation.IsCanceled)
        {
            lock (_creationGate)
            {
                // A failed run is forgotten so that the next call tries again (e.g. once the database is up).
                if (ReferenceEquals(_creation, creation))
                {
                    _creation = null;
                }
            }

            throw;
        }

        _created = true;
    }

    private async Task CreateTablesAsync()
    {
        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);

        bool schemaExists;
        using (var lockDdl = new NpgsqlCommand(_sql.LockDdl, connection, transaction))
        {
            lockDdl.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _sql.DdlLockKey });
            lockDdl.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Options.Schema });
            var reader = await lockDdl.ExecuteReaderAsync().ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            await reader.ReadAsync().ConfigureAwait(false);
            schemaExists = reader.GetBoolean(1);
        }

        using (var createSchemaTable = new NpgsqlBatch(connection, transaction))
        {
            if (!schemaExists)
            {
                createSchemaTable.BatchCommands.Add(new NpgsqlBatchCommand(_sql.CreateSchema));
            }

            foreach (var statement in _sql.CreateSchemaTable)
            {
                createSchemaTable.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            await createSchemaTable.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        int storedVersion;
        using (var readVersion = new NpgsqlCommand(_sql.ReadSchemaVersion, connection, transaction))
        {
            storedVersion = (int)(await readVersion.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        if (storedVersion > PostgreSqlMachineMemorySql.SchemaVersion)
        {
            await transaction.RollbackAsync().ConfigureAwait(false);
            throw new MachineMemorySchemaException(
                _sql.SchemaTable,
                storedVersion,
                PostgreSqlMachineMemorySql.SchemaVersion,
                $"The machine memory tables are at schema version {storedVersion} (in {_sql.SchemaTable}), but this version of Arvo.Memory.PostgreSql supports version {PostgreSqlMachineMemorySql.SchemaVersion} at most. A newer release created them; upgrade the package on this host. Nothing was changed.");
        }

        using (var createTables = new NpgsqlBatch(connection, transaction))
        {
            foreach (var statement in _sql.CreateTables)
            {
                createTables.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            await createTables.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }
}
