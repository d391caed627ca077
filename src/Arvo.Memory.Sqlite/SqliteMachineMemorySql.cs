namespace Arvo.Memory.Sqlite;

/// <summary>
/// The SQL of one store, built once per instance for its table prefix (the prefix is validated as an identifier, so it
/// is safe to splice in). Values are always bound as parameters.
/// </summary>
internal sealed class SqliteMachineMemorySql
{
    /// <summary>The schema version this store reads and writes; bump it with a migration.</summary>
    public const long SchemaVersion = 1;

    public const string PendingStatus = "pending";

    public const string PublishedStatus = "published";

    public SqliteMachineMemorySql(string prefix, SqliteSynchronousMode synchronous, TimeSpan busyTimeout)
    {
        var records = prefix + "records";
        var leases = prefix + "leases";
        var outbox = prefix + "outbox";
        var schema = prefix + "schema";

        // busy_timeout first, so that switching the journal mode of a fresh file waits for a concurrent opener.
        ConnectionPragmas =
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; " +
            "PRAGMA journal_mode = WAL; " +
            $"PRAGMA synchronous = {(synchronous == SqliteSynchronousMode.Normal ? "NORMAL" : "FULL")}; " +
            "PRAGMA foreign_keys = ON;";

        CreateSchemaTable =
            $"CREATE TABLE IF NOT EXISTS {schema} (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);";

        SelectSchemaVersion = $"SELECT version FROM {schema} WHERE id = 1;";

        // The single-row CHECK and ON CONFLICT keep this idempotent when two stores create the schema at once.
        CreateTables =
            $"CREATE TABLE IF NOT EXISTS {records} (" +
            "id TEXT PRIMARY KEY, version INTEGER NOT NULL, record TEXT NOT NULL, inbox TEXT NOT NULL, updated_at INTEGER NOT NULL);" +
            $"CREATE TABLE IF NOT EXISTS {leases} (" +
            "id TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;" +
            $"CREATE TABLE IF NOT EXISTS {outbox} (" +
            "seq INTEGER PRIMARY KEY AUTOINCREMENT, workflow_id TEXT NOT NULL, event_id TEXT NOT NULL, event TEXT NOT NULL, " +
            $"status TEXT NOT NULL CHECK (status IN ('{PendingStatus}', '{PublishedStatus}')), created_at INTEGER NOT NULL, published_at INTEGER);" +
            $"CREATE INDEX IF NOT EXISTS {prefix}outbox_status_seq ON {outbox} (status, seq);" +
            $"CREATE INDEX IF NOT EXISTS {prefix}outbox_workflow_event ON {outbox} (workflow_id, event_id);" +
            $"INSERT INTO {schema} (id, version) VALUES (1, {SchemaVersion}) ON CONFLICT (id) DO NOTHING;";

        SelectRecord = $"SELECT version, record, inbox FROM {records} WHERE id = $id;";

        SelectVersion = $"SELECT version FROM {records} WHERE id = $id;";

        SelectIds = $"SELECT id FROM {records} ORDER BY updated_at, id LIMIT $max;";

        // CAST: the JSON is bound as UTF-8 bytes (no string copy) but stored as TEXT, so the file stays readable.
        InsertRecord =
            $"INSERT INTO {records} (id, version, record, inbox, updated_at) " +
            "VALUES ($id, 1, CAST($record AS TEXT), CAST($inbox AS TEXT), $now) ON CONFLICT (id) DO NOTHING;";

        UpdateRecord =
            $"UPDATE {records} SET version = version + 1, record = CAST($record AS TEXT), inbox = CAST($inbox AS TEXT), updated_at = $now " +
            "WHERE id = $id AND version = $expected;";

        InsertOutboxEvent =
            $"INSERT INTO {outbox} (workflow_id, event_id, event, status, created_at) " +
            $"VALUES ($id, $event_id, CAST($event AS TEXT), '{PendingStatus}', $now);";

        // One statement: insert when free, take over only an expired lease; changes() = 0 means denied.
        AcquireLease =
            $"INSERT INTO {leases} (id, owner, expires_at) VALUES ($id, $owner, $expires_at) " +
            $"ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE {leases}.expires_at <= $now;";

        // After removing the owner's lease, whatever remains belongs to another owner; only a live one blocks.
        ReleaseLease =
            $"DELETE FROM {leases} WHERE id = $id AND owner = $owner;" +
            $"SELECT EXISTS (SELECT 1 FROM {leases} WHERE id = $id AND expires_at > $now);";

        SelectPendingOutbox =
            $"SELECT seq, workflow_id, event FROM {outbox} WHERE status = '{PendingStatus}' ORDER BY seq LIMIT $max;";

        // The ids travel as one JSON array, so the command text is the same for any number of ids (CAST: a BLOB would
        // be read as JSONB).
        MarkPublished =
            $"UPDATE {outbox} SET status = '{PublishedStatus}', published_at = $now " +
            $"WHERE workflow_id = $id AND status = '{PendingStatus}' AND event_id IN (SELECT value FROM json_each(CAST($event_ids AS TEXT)));";

        PurgePublished = $"DELETE FROM {outbox} WHERE status = '{PublishedStatus}' AND published_at < $cutoff;";

        Clear = $"DELETE FROM {records}; DELETE FROM {leases}; DELETE FROM {outbox};";
    }

    public string ConnectionPragmas { get; }

    public string CreateSchemaTable { get; }

    public string SelectSchemaVersion { get; }

    public string CreateTables { get; }

    public string SelectRecord { get; }

    public string SelectVersion { get; }

    public string SelectIds { get; }

    public string InsertRecord { get; }

    public string UpdateRecord { get; }

    public string InsertOutboxEvent { get; }

    public string AcquireLease { get; }

    public string ReleaseLease { get; }

    public string SelectPendingOutbox { get; }

    public string MarkPublished { get; }

    public string PurgePublished { get; }

    public string Clear { get; }
}
