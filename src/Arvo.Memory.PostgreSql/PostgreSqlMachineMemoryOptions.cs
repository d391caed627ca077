using System.Text.Json;

namespace Arvo.Memory.PostgreSql;

/// <summary>Options of <see cref="PostgreSqlMachineMemory{T}"/>: where its tables live, how long a lease lives and how records are serialized.</summary>
/// <remarks>
/// <see cref="Schema"/> and <see cref="TablePrefix"/> must be plain SQL identifiers (<c>[A-Za-z_][A-Za-z0-9_]*</c>). They are
/// quoted in SQL, so they are case-sensitive: <c>Schema = "Arvo"</c> is the schema <c>"Arvo"</c>, not <c>arvo</c>.
/// </remarks>
public sealed record PostgreSqlMachineMemoryOptions
{
    /// <summary>The default schema, <c>public</c>.</summary>
    public const string DefaultSchema = "public";

    /// <summary>The default table prefix, <c>arvo_</c>.</summary>
    public const string DefaultTablePrefix = "arvo_";

    /// <summary>
    /// The default lease time-to-live: 5 seconds, so a crashed holder stalls its workflow for seconds, not half a minute.
    /// Orchestrators and resumables abandon a leased execution after 4 s (<see cref="Arvo.Orchestration.ArvoOrchestratorBuilder.DefaultExecutionTimeout"/>),
    /// before its lease can expire; raise both together for longer executions.
    /// </summary>
    public static readonly TimeSpan DefaultLockTimeToLive = TimeSpan.FromSeconds(5);

    /// <summary>The schema holding the store's tables; created if missing.</summary>
    /// <value>Default <see cref="DefaultSchema"/> (<c>public</c>).</value>
    public string Schema { get; init; } = DefaultSchema;

    /// <summary>
    /// The prefix of the store's table names: <c>{prefix}records</c>, <c>{prefix}leases</c>, <c>{prefix}outbox</c> and
    /// <c>{prefix}schema</c>. Give each store sharing a schema its own prefix.
    /// </summary>
    /// <value>Default <see cref="DefaultTablePrefix"/> (<c>arvo_</c>).</value>
    public string TablePrefix { get; init; } = DefaultTablePrefix;

    /// <summary>How long an acquired lease lives before another owner may take it over, measured by the database clock; must be positive.</summary>
    /// <value>Default <see cref="DefaultLockTimeToLive"/> (5 s).</value>
    public TimeSpan LockTimeToLive { get; init; } = DefaultLockTimeToLive;

    /// <summary>How records are serialized to JSON and read back.</summary>
    /// <value>Default null, meaning <see cref="JsonSerializerOptions.Default"/>.</value>
    public JsonSerializerOptions? SerializerOptions { get; init; }
}
