using System.Buffers;
using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace Arvo.Benchmarks.Throughput;

/// <summary>
/// The raw PostgreSQL loop: per worker one open connection from the same data source as the store (so the same
/// auto-prepare setting), one reused command per statement, on its own tables of the store's shape in the run's schema
/// (<c>raw_records</c>, <c>raw_leases</c>, <c>raw_outbox</c>, same columns, <c>json</c> types and indexes). Every call
/// is one statement, one round trip, one implicit transaction — as the store does it.
/// </summary>
public sealed class RawPostgresBaseline : IRawBaseline
{
    /// <summary>The statements, as the report and README describe them.</summary>
    public const string Description =
        "read: SELECT version, record, inbox FROM records WHERE id=$1; " +
        "write: one statement WITH written AS (INSERT ... ON CONFLICT DO NOTHING | UPDATE ... SET version=version+1 WHERE id=$1 AND version=$2 RETURNING version), " +
        "queued AS (INSERT INTO outbox SELECT ... FROM written, unnest(ids), json_array_elements(events)) SELECT version FROM written; " +
        "lock: INSERT INTO leases ... ON CONFLICT DO UPDATE ... WHERE expires_at<=now(); unlock: WITH DELETE ... SELECT NOT EXISTS(live lease); " +
        "mark_published: UPDATE outbox SET status='published' WHERE workflow_id=$1 AND status='pending' AND event_id=ANY($2)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _records;
    private readonly string _leases;
    private readonly string _outbox;

    private RawPostgresBaseline(NpgsqlDataSource dataSource, string schema)
    {
        _dataSource = dataSource;
        _records = $"\"{schema}\".raw_records";
        _leases = $"\"{schema}\".raw_leases";
        _outbox = $"\"{schema}\".raw_outbox";
    }

    /// <inheritdoc />
    public string Statements => Description;

    /// <summary>Creates the raw tables in <paramref name="schema"/> (which exists; the caller drops it afterwards).</summary>
    /// <param name="dataSource">The store's data source.</param>
    /// <param name="schema">The run's schema (a plain identifier).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async ValueTask<RawPostgresBaseline> CreateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        var baseline = new RawPostgresBaseline(dataSource, schema);
        using var command = dataSource.CreateCommand($"""
            CREATE TABLE {baseline._records} (id text PRIMARY KEY, version bigint NOT NULL, record json NOT NULL, inbox json NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE {baseline._leases} (id text PRIMARY KEY, owner text NOT NULL, expires_at timestamptz NOT NULL);
            CREATE TABLE {baseline._outbox} (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, workflow_id text NOT NULL, event_id text NOT NULL, event json NOT NULL,
                status text NOT NULL CHECK (status IN ('pending', 'published')), created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz);
            CREATE INDEX raw_outbox_pending_seq ON {baseline._outbox} (seq) WHERE status = 'pending';
            CREATE INDEX raw_outbox_workflow_event ON {baseline._outbox} (workflow_id, event_id);
            """);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return baseline;
    }

    /// <inheritdoc />
    public async ValueTask<IRawSession> OpenSessionAsync(StorageTrace trace, CancellationToken cancellationToken) =>
        new Session(this, await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false), trace);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Session : IRawSession
    {
        private readonly NpgsqlConnection _connection;
        private readonly StorageTrace _trace;
        private readonly NpgsqlCommand _read;
        private readonly NpgsqlCommand _create;
        private readonly NpgsqlCommand _update;
        private readonly NpgsqlCommand _createWithOutbox;
        private readonly NpgsqlCommand _updateWithOutbox;
        private readonly NpgsqlCommand _lock;
        private readonly NpgsqlCommand _unlock;
        private readonly NpgsqlCommand _mark;
        private readonly List<string> _written = [];

        public Session(RawPostgresBaseline owner, NpgsqlConnection connection, StorageTrace trace)
        {
            _connection = connection;
            _trace = trace;
            var (records, leases, outbox) = (owner._records, owner._leases, owner._outbox);
            var result = "SELECT (SELECT version FROM written)";
            var create = $"INSERT INTO {records} (id, version, record, inbox) VALUES ($1, 1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING version";
            var update = $"UPDATE {records} SET version = version + 1, record = $3, inbox = $4, updated_at = now() WHERE id = $1 AND version = $2 RETURNING version";
            string Queue(string ids, string events) =>
                $"queued AS (INSERT INTO {outbox} (workflow_id, event_id, event, status) SELECT $1, e.event_id, e.event, 'pending' " +
                $"FROM written, ROWS FROM (unnest({ids}::text[]), json_array_elements({events}::json)) WITH ORDINALITY AS e (event_id, event, ord) ORDER BY e.ord)";

            _read = Command($"SELECT version, record, inbox FROM {records} WHERE id = $1", Text());
            _create = Command($"WITH written AS ({create}) {result}", Text(), Json(), Json());
            _update = Command($"WITH written AS ({update}) {result}", Text(), Int64(), Json(), Json());
            _createWithOutbox = Command($"WITH written AS ({create}), {Queue("$4", "$5")} {result}", Text(), Json(), Json(), TextArray(), Json());
            _updateWithOutbox = Command($"WITH written AS ({update}), {Queue("$5", "$6")} {result}", Text(), Int64(), Json(), Json(), TextArray(), Json());
            _lock = Command(
                $"INSERT INTO {leases} (id, owner, expires_at) VALUES ($1, $2, now() + $3) ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE {leases}.expires_at <= now()",
                Text(), Text(), new NpgsqlParameter<TimeSpan>());
            _unlock = Command(
                $"WITH released AS (DELETE FROM {leases} WHERE id = $1 AND owner = $2) SELECT NOT EXISTS (SELECT 1 FROM {leases} WHERE id = $1 AND owner <> $2 AND expires_at > now())",
                Text(), Text());
            _mark = Command(
                $"UPDATE {outbox} SET status = 'published', published_at = now() WHERE workflow_id = $1 AND status = 'pending' AND event_id = ANY($2)",
                Text(), TextArray());

            static NpgsqlParameter Text() => new NpgsqlParameter<string>();
            static NpgsqlParameter Int64() => new NpgsqlParameter<long>();
            static NpgsqlParameter TextArray() => new NpgsqlParameter<string[]>();
            static NpgsqlParameter Json() => new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Json };
        }

        public async ValueTask RunWorkflowAsync(CancellationToken cancellationToken)
        {
            var id = _trace.NewId();
            var owner = Guid.NewGuid().ToString();
            long version = 0;
            _written.Clear();
            foreach (var operation in _trace.Operations)
            {
                switch (operation.Kind)
                {
                    case StorageOperationKind.Read:
                        version = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
                        break;
                    case StorageOperationKind.Write:
                        version = await WriteAsync(id, version, operation, cancellationToken).ConfigureAwait(false);
                        break;
                    case StorageOperationKind.Lock:
                        Bind(_lock, id, owner, TimeSpan.FromSeconds(30));
                        if (await _lock.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
                        {
                            throw new InvalidOperationException("raw lock denied");
                        }

                        break;
                    case StorageOperationKind.Unlock:
                        Bind(_unlock, id, owner);
                        await _unlock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case StorageOperationKind.MarkPublished:
                        Bind(_mark, id, _written.GetRange(_written.Count - operation.Count, operation.Count).ToArray());
                        await _mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in new[] { _read, _create, _update, _createWithOutbox, _updateWithOutbox, _lock, _unlock, _mark })
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        private static void Bind(NpgsqlCommand command, params object[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }
        }

        /// <summary>The events of one write as one JSON array (the store sends them so too).</summary>
        private static byte[] JsonArray(IReadOnlyList<byte[]> events)
        {
            var buffer = new ArrayBufferWriter<byte>();
            buffer.Write("["u8);
            for (var i = 0; i < events.Count; i++)
            {
                if (i > 0)
                {
                    buffer.Write(","u8);
                }

                buffer.Write(events[i]);
            }

            buffer.Write("]"u8);
            return buffer.WrittenSpan.ToArray();
        }

        private async ValueTask<long> ReadAsync(string id, CancellationToken cancellationToken)
        {
            Bind(_read, id);
            var reader = await _read.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            // The bytes are fetched (as the store does), not parsed: parsing is Arvo's work.
            _ = reader.GetFieldValue<byte[]>(1);
            _ = reader.GetFieldValue<byte[]>(2);
            return reader.GetInt64(0);
        }

        private async ValueTask<long> WriteAsync(string id, long expected, StorageOperation operation, CancellationToken cancellationToken)
        {
            var eventIds = new string[operation.Events.Count];
            for (var i = 0; i < eventIds.Length; i++)
            {
                eventIds[i] = Guid.NewGuid().ToString();
            }

            _written.AddRange(eventIds);
            var command = (expected == 0, eventIds.Length > 0) switch
            {
                (true, false) => _create,
                (false, false) => _update,
                (true, true) => _createWithOutbox,
                (false, true) => _updateWithOutbox,
            };
            var values = new List<object> { id };
            if (expected != 0)
            {
                values.Add(expected);
            }

            values.Add(operation.Record);
            values.Add(operation.Inbox);
            if (eventIds.Length > 0)
            {
                values.Add(eventIds);
                values.Add(JsonArray(operation.Events));
            }

            Bind(command, [.. values]);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version
                ? version
                : throw new InvalidOperationException($"raw CAS write of '{id}' at version {expected} changed no row");
        }

        private NpgsqlCommand Command(string sql, params NpgsqlParameter[] parameters)
        {
            var command = new NpgsqlCommand(sql, _connection);
            command.Parameters.AddRange(parameters);
            return command;
        }
    }
}
