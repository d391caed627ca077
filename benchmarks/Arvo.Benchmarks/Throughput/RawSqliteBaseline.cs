using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Arvo.Benchmarks.Throughput;

/// <summary>
/// The raw SQLite loop: per worker one open connection (pragmas set once, like any hand-written data layer would),
/// one reused command per statement, in the same file as the store, on its own tables of the store's shape
/// (<c>raw_records</c>, <c>raw_leases</c>, <c>raw_outbox</c> with the same columns and indexes).
/// </summary>
public sealed class RawSqliteBaseline : IRawBaseline
{
    /// <summary>The statements, as the report and README describe them.</summary>
    public const string Description =
        "read: SELECT version, record, inbox FROM records WHERE id=$id; " +
        "write: BEGIN IMMEDIATE, INSERT ... ON CONFLICT DO NOTHING (version 0) or UPDATE ... SET version=version+1 WHERE id=$id AND version=$expected, one INSERT INTO outbox per event, COMMIT; " +
        "lock: INSERT INTO leases ... ON CONFLICT DO UPDATE ... WHERE expires_at<=$now; unlock: DELETE FROM leases + SELECT EXISTS(live lease); " +
        "mark_published: UPDATE outbox SET status='published' WHERE workflow_id=$id AND status='pending' AND event_id IN (json_each($ids))";

    private const string Tables = """
        DROP TABLE IF EXISTS raw_records; DROP TABLE IF EXISTS raw_leases; DROP TABLE IF EXISTS raw_outbox;
        CREATE TABLE raw_records (id TEXT PRIMARY KEY, version INTEGER NOT NULL, record TEXT NOT NULL, inbox TEXT NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE raw_leases (id TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE raw_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, workflow_id TEXT NOT NULL, event_id TEXT NOT NULL, event TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'published')), created_at INTEGER NOT NULL, published_at INTEGER);
        CREATE INDEX raw_outbox_status_seq ON raw_outbox (status, seq);
        CREATE INDEX raw_outbox_workflow_event ON raw_outbox (workflow_id, event_id);
        """;

    private readonly string _connectionString;
    private readonly string _pragmas;

    private RawSqliteBaseline(string connectionString, bool synchronousNormal)
    {
        _connectionString = connectionString;
        _pragmas = $"PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = {(synchronousNormal ? "NORMAL" : "FULL")};";
    }

    /// <inheritdoc />
    public string Statements => Description;

    /// <summary>Creates (or re-creates) the raw tables in the file of <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The same file the store uses.</param>
    /// <param name="synchronousNormal">The store's synchronous mode.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async ValueTask<RawSqliteBaseline> CreateAsync(string connectionString, bool synchronousNormal, CancellationToken cancellationToken)
    {
        var baseline = new RawSqliteBaseline(connectionString, synchronousNormal);
        using var connection = await baseline.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = Tables;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return baseline;
    }

    /// <inheritdoc />
    public async ValueTask<IRawSession> OpenSessionAsync(StorageTrace trace, CancellationToken cancellationToken) =>
        new Session(await OpenAsync(cancellationToken).ConfigureAwait(false), trace);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = _pragmas;
        await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private sealed class Session : IRawSession
    {
        private readonly SqliteConnection _connection;
        private readonly StorageTrace _trace;
        private readonly SqliteCommand _begin;
        private readonly SqliteCommand _commit;
        private readonly SqliteCommand _read;
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _update;
        private readonly SqliteCommand _queue;
        private readonly SqliteCommand _lock;
        private readonly SqliteCommand _unlock;
        private readonly SqliteCommand _mark;
        private readonly List<string> _written = [];

        public Session(SqliteConnection connection, StorageTrace trace)
        {
            _connection = connection;
            _trace = trace;
            _begin = Command("BEGIN IMMEDIATE;");
            _commit = Command("COMMIT;");
            _read = Command("SELECT version, record, inbox FROM raw_records WHERE id = $id;", "$id");
            _insert = Command(
                "INSERT INTO raw_records (id, version, record, inbox, updated_at) VALUES ($id, 1, CAST($record AS TEXT), CAST($inbox AS TEXT), $now) ON CONFLICT (id) DO NOTHING;",
                "$id", "$record", "$inbox", "$now");
            _update = Command(
                "UPDATE raw_records SET version = version + 1, record = CAST($record AS TEXT), inbox = CAST($inbox AS TEXT), updated_at = $now WHERE id = $id AND version = $expected;",
                "$id", "$record", "$inbox", "$now", "$expected");
            _queue = Command(
                "INSERT INTO raw_outbox (workflow_id, event_id, event, status, created_at) VALUES ($id, $event_id, CAST($event AS TEXT), 'pending', $now);",
                "$id", "$event_id", "$event", "$now");
            _lock = Command(
                "INSERT INTO raw_leases (id, owner, expires_at) VALUES ($id, $owner, $expires_at) ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE raw_leases.expires_at <= $now;",
                "$id", "$owner", "$expires_at", "$now");
            _unlock = Command(
                "DELETE FROM raw_leases WHERE id = $id AND owner = $owner; SELECT EXISTS (SELECT 1 FROM raw_leases WHERE id = $id AND expires_at > $now);",
                "$id", "$owner", "$now");
            _mark = Command(
                "UPDATE raw_outbox SET status = 'published', published_at = $now WHERE workflow_id = $id AND status = 'pending' AND event_id IN (SELECT value FROM json_each(CAST($event_ids AS TEXT)));",
                "$id", "$now", "$event_ids");
        }

        public async ValueTask RunWorkflowAsync(CancellationToken cancellationToken)
        {
            var id = _trace.NewId();
            var owner = Guid.NewGuid().ToString();
            long version = 0;
            _written.Clear();
            foreach (var operation in _trace.Operations)
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                switch (operation.Kind)
                {
                    case StorageOperationKind.Read:
                        version = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
                        break;
                    case StorageOperationKind.Write:
                        await WriteAsync(id, version, operation, now, cancellationToken).ConfigureAwait(false);
                        version++;
                        break;
                    case StorageOperationKind.Lock:
                        Bind(_lock, id, owner, now + 30_000, now);
                        if (await _lock.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                        {
                            throw new InvalidOperationException("raw lock denied");
                        }

                        break;
                    case StorageOperationKind.Unlock:
                        Bind(_unlock, id, owner, now);
                        await _unlock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case StorageOperationKind.MarkPublished:
                        Bind(_mark, id, now, JsonSerializer.SerializeToUtf8Bytes(_written.GetRange(_written.Count - operation.Count, operation.Count)));
                        await _mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            foreach (var command in new[] { _begin, _commit, _read, _insert, _update, _queue, _lock, _unlock, _mark })
            {
                command.Dispose();
            }

            return _connection.DisposeAsync();
        }

        private static void Bind(SqliteCommand command, params object[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }
        }

        private async ValueTask<long> ReadAsync(string id, CancellationToken cancellationToken)
        {
            Bind(_read, id);
            using var reader = await _read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            // The bytes are fetched (as the store does), not parsed: parsing is Arvo's work.
            _ = reader.GetFieldValue<byte[]>(1);
            _ = reader.GetFieldValue<byte[]>(2);
            return reader.GetInt64(0);
        }

        private async ValueTask WriteAsync(string id, long expected, StorageOperation operation, long now, CancellationToken cancellationToken)
        {
            await _begin.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var command = expected == 0 ? _insert : _update;
                if (expected == 0)
                {
                    Bind(_insert, id, operation.Record, operation.Inbox, now);
                }
                else
                {
                    Bind(_update, id, operation.Record, operation.Inbox, now, expected);
                }

                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                {
                    throw new InvalidOperationException($"raw CAS write of '{id}' at version {expected} changed no row");
                }

                foreach (var eventJson in operation.Events)
                {
                    var eventId = Guid.NewGuid().ToString();
                    _written.Add(eventId);
                    Bind(_queue, id, eventId, eventJson, now);
                    await _queue.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await _commit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                using var rollback = _connection.CreateCommand();
                rollback.CommandText = "ROLLBACK;";
                rollback.ExecuteNonQuery();
                throw;
            }
        }

        private SqliteCommand Command(string sql, params string[] parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            return command;
        }
    }
}
