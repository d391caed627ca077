using System.Text.RegularExpressions;
using NpgsqlTypes;

namespace Arvo.Memory.PostgreSql;

/// <summary>
/// The SQL of one <see cref="PostgreSqlMachineMemory{T}"/>, built once from its schema and table prefix (identifiers are
/// validated, then quoted). Statements use positional parameters (<c>$1</c>, …); each is one implicit transaction
/// unless noted.
/// </summary>
internal sealed partial class PostgreSqlMachineMemorySql
{
    /// <summary>The schema version these statements create; stored in <c>{prefix}schema</c>.</summary>
    public const int SchemaVersion = 1;

    /// <summary>
    /// The column type of stored JSON. <c>json</c>, not <c>jsonb</c>: jsonb reorders object keys and rejects
    /// <c>\u0000</c>, so records and events would not read back byte for byte (event <c>data</c> and machine
    /// <c>state</c> are raw JSON that no deserializer re-orders). <c>json</c> keeps the text as written, still
    /// validated as JSON, and casts to jsonb for ad-hoc queries.
    /// </summary>
    private const string JsonType = "json";

    /// <summary>The parameter type matching <see cref="JsonType"/>.</summary>
    public const NpgsqlDbType JsonDbType = NpgsqlDbType.Json;

    private const int MaxIdentifierLength = 63; // PostgreSQL's NAMEDATALEN - 1
    private const string LongestTableSuffix = "outbox_workflow_event"; // the longest name derived from the prefix

    public PostgreSqlMachineMemorySql(PostgreSqlMachineMemoryOptions options)
    {
        var schema = options.Schema;
        var tablePrefix = options.TablePrefix;
        ValidateIdentifier(schema, nameof(options.Schema), MaxIdentifierLength, nameof(options));
        ValidateIdentifier(tablePrefix, nameof(options.TablePrefix), MaxIdentifierLength - LongestTableSuffix.Length, nameof(options));

        var quotedSchema = Quote(schema);
        var records = $"{quotedSchema}.{Quote(tablePrefix + "records")}";
        var leases = $"{quotedSchema}.{Quote(tablePrefix + "leases")}";
        var outbox = $"{quotedSchema}.{Quote(tablePrefix + "outbox")}";
        SchemaTable = $"{quotedSchema}.{Quote(tablePrefix + "schema")}";

        // Serialises DDL across hosts for this schema and prefix; a transaction-level lock, released by COMMIT.
        DdlLockKey = $"arvo.memory.postgresql:{schema}.{tablePrefix}";
        LockDdl = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0)), EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $2)";
        CreateSchema = $"CREATE SCHEMA IF NOT EXISTS {quotedSchema}";
        CreateSchemaTable =
        [
            $"""
            CREATE TABLE IF NOT EXISTS {SchemaTable} (
                id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
                version integer NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now())
            """,
            $"INSERT INTO {SchemaTable} (id, version) VALUES (1, {SchemaVersion}) ON CONFLICT (id) DO NOTHING",
        ];
        ReadSchemaVersion = $"SELECT version FROM {SchemaTable} WHERE id = 1";
        CreateTables =
        [
            $"""
            CREATE TABLE IF NOT EXISTS {records} (
                id text PRIMARY KEY,
                version bigint NOT NULL,
                record {JsonType} NOT NULL,
                inbox {JsonType} NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now())
            """,
            $"""
            CREATE TABLE IF NOT EXISTS {leases} (
                id text PRIMARY KEY,
                owner text NOT NULL,
                expires_at timestamptz NOT NULL)
            """,
            $"""
            CREATE TABLE IF NOT EXISTS {outbox} (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                workflow_id text NOT NULL,
                event_id text NOT NULL,
                event {JsonType} NOT NULL,
                status text NOT NULL CHECK (status IN ('pending', 'published')),
                created_at timestamptz NOT NULL DEFAULT now(),
                published_at timestamptz)
            """,
            $"CREATE INDEX IF NOT EXISTS {Quote(tablePrefix + "outbox_pending_seq")} ON {outbox} (seq) WHERE status = 'pending'",
            $"CREATE INDEX IF NOT EXISTS {Quote(tablePrefix + "outbox_workflow_event")} ON {outbox} (workflow_id, event_id)",
        ];

        Read = $"SELECT version, record, inbox FROM {records} WHERE id = $1";

        // One statement per write: the record change and the outbox rows commit together or not at all, and the
        // outbox rows are inserted only when the record statement wrote a row (they select FROM written). Returns one
        // row: the new version, or NULL and the stored version (as of the statement's snapshot) on a conflict.
        var result = $"SELECT (SELECT version FROM written), (SELECT version FROM {records} WHERE id = $1)";
        var create = $"INSERT INTO {records} (id, version, record, inbox) VALUES ($1, 1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING version";
        var update = $"UPDATE {records} SET version = version + 1, record = $3, inbox = $4, updated_at = now() WHERE id = $1 AND version = $2 RETURNING version";
        CreateWithoutOutbox = $"WITH written AS ({create}) {result}";
        UpdateWithoutOutbox = $"WITH written AS ({update}) {result}";
        CreateWithOutbox = $"WITH written AS ({create}), {QueueOutbox(outbox, "$4", "$5")} {result}";
        UpdateWithOutbox = $"WITH written AS ({update}), {QueueOutbox(outbox, "$5", "$6")} {result}";

        // Expiry is judged by the database clock: now() is the start of the statement's own transaction, so the check
        // and the new expiry use one instant (clock_timestamp() could differ between the two).
        Lock = $"""
            INSERT INTO {leases} (id, owner, expires_at) VALUES ($1, $2, now() + $3)
            ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE {leases}.expires_at <= now()
            """;

        // Deletes the owner's lease; reports whether a live lease of another owner is left (the snapshot excludes
        // the row being deleted only by its owner, so both parts agree).
        Unlock = $"""
            WITH released AS (DELETE FROM {leases} WHERE id = $1 AND owner = $2)
            SELECT NOT EXISTS (SELECT 1 FROM {leases} WHERE id = $1 AND owner <> $2 AND expires_at > now())
            """;

        ReadPendingOutbox = $"SELECT seq, workflow_id, event FROM {outbox} WHERE status = 'pending' ORDER BY seq LIMIT $1";
        MarkPublished = $"UPDATE {outbox} SET status = 'published', published_at = now() WHERE workflow_id = $1 AND status = 'pending' AND event_id = ANY($2)";
        PurgePublished = $"DELETE FROM {outbox} WHERE status = 'published' AND published_at < now() - $1";
        Clear = $"TRUNCATE {records}, {leases}, {outbox}";
    }

    /// <summary>The qualified, quoted name of the version table.</summary>
    public string SchemaTable { get; }

    /// <summary>The text hashed into the DDL advisory lock key.</summary>
    public string DdlLockKey { get; }

    /// <summary>Takes the DDL lock (<c>$1</c> = <see cref="DdlLockKey"/>) and tells whether the schema (<c>$2</c>) exists.</summary>
    public string LockDdl { get; }

    /// <summary>Creates the schema; only run when it is missing, so a role without CREATE on the database can use an existing one.</summary>
    public string CreateSchema { get; }

    /// <summary>Creates the version table and its row (version <see cref="SchemaVersion"/>) if missing.</summary>
    public IReadOnlyList<string> CreateSchemaTable { get; }

    public string ReadSchemaVersion { get; }

    /// <summary>Creates the tables and indexes if missing.</summary>
    public IReadOnlyList<string> CreateTables { get; }

    public string Read { get; }

    public string CreateWithoutOutbox { get; }

    public string UpdateWithoutOutbox { get; }

    public string CreateWithOutbox { get; }

    public string UpdateWithOutbox { get; }

    public string Lock { get; }

    public string Unlock { get; }

    public string ReadPendingOutbox { get; }

    public string MarkPublished { get; }

    public string PurgePublished { get; }

    public string Clear { get; }

    /// <summary>The write statement for a create or an update, with or without outbox events.</summary>
    public string Write(bool create, bool withOutbox) => (create, withOutbox) switch
    {
        (true, false) => CreateWithoutOutbox,
        (false, false) => UpdateWithoutOutbox,
        (true, true) => CreateWithOutbox,
        (false, true) => UpdateWithOutbox,
    };

    /// <summary>
    /// Inserts the events of a JSON array parameter, paired with a text[] of their ids, in array order (the identity
    /// <c>seq</c> follows the insert order), only for a row in <c>written</c>.
    /// </summary>
    private static string QueueOutbox(string outbox, string idsParameter, string eventsParameter) => $"""
        queued AS (
            INSERT INTO {outbox} (workflow_id, event_id, event, status)
            SELECT $1, e.event_id, e.event, 'pending'
            FROM written, ROWS FROM (unnest({idsParameter}::text[]), {JsonType}_array_elements({eventsParameter}::{JsonType})) WITH ORDINALITY AS e (event_id, event, ord)
            ORDER BY e.ord)
        """;

    private static string Quote(string identifier) => $"\"{identifier}\"";

    private static void ValidateIdentifier(string? value, string field, int maxLength, string parameterName)
    {
        if (value is null || !IdentifierPattern().IsMatch(value))
        {
            throw new ArgumentException(
                $"PostgreSqlMachineMemoryOptions.{field} must be a SQL identifier ([A-Za-z_][A-Za-z0-9_]*), but was {(value is null ? "null" : $"'{value}'")}.",
                parameterName);
        }

        if (value.Length > maxLength)
        {
            throw new ArgumentException(
                $"PostgreSqlMachineMemoryOptions.{field} must be at most {maxLength} characters (PostgreSQL truncates longer names), but '{value}' has {value.Length}.",
                parameterName);
        }
    }

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
