using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Arvo.Memory.Sqlite;

/// <summary>
/// Options of <see cref="SqliteMachineMemory{T}"/>. Every value is checked when it is set, so an options instance is
/// always usable.
/// </summary>
public sealed record SqliteMachineMemoryOptions
{
    /// <summary>The default table prefix: <c>arvo_</c>.</summary>
    public const string DefaultTablePrefix = "arvo_";

    /// <summary>
    /// The default lease time-to-live: 5 seconds, so a crashed holder stalls its workflow for seconds, not half a minute.
    /// Orchestrators and resumables abandon a leased execution after 4 s (<see cref="Arvo.Orchestration.ArvoOrchestratorBuilder.DefaultExecutionTimeout"/>),
    /// before its lease can expire; raise both together for longer executions.
    /// </summary>
    public static readonly TimeSpan DefaultLockTimeToLive = TimeSpan.FromSeconds(5);

    /// <summary>The default busy timeout: 5 seconds.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The Microsoft.Data.Sqlite connection string of the database file (see <see cref="ForFile"/>). Connections are
    /// pooled by default; the store sets its pragmas on every connection it opens and its own busy timeout
    /// (<see cref="BusyTimeout"/>) in place of the string's <c>Default Timeout</c>.
    /// </summary>
    /// <value>Required; no default.</value>
    /// <exception cref="ArgumentException">The value is empty, not a connection string, or names an in-memory or temporary database (which would not be durable and would differ per connection).</exception>
    public required string ConnectionString
    {
        get;
        init => field = ConnectionStringProblem(value, out var parseError) is { } problem
            ? throw new ArgumentException(problem, nameof(ConnectionString), parseError)
            : value;
    }

    /// <summary>
    /// The prefix of the store's tables (<c>{prefix}schema</c>, <c>{prefix}records</c>, <c>{prefix}leases</c>,
    /// <c>{prefix}outbox</c>), so several independent stores can share one file. Must match <c>[A-Za-z_][A-Za-z0-9_]*</c>
    /// (it is written into SQL).
    /// </summary>
    /// <value>Default <see cref="DefaultTablePrefix"/> (<c>arvo_</c>).</value>
    /// <exception cref="ArgumentException">The value does not match <c>[A-Za-z_][A-Za-z0-9_]*</c>.</exception>
    public string TablePrefix
    {
        get;
        init => field = IsIdentifier(value)
            ? value
            : throw new ArgumentException($"TablePrefix must match [A-Za-z_][A-Za-z0-9_]* (it becomes part of SQL table names); found '{value}'.", nameof(TablePrefix));
    } = DefaultTablePrefix;

    /// <summary>How long an acquired lease lives before another owner may take it over.</summary>
    /// <value>Default <see cref="DefaultLockTimeToLive"/> (5 s); must be positive.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan LockTimeToLive
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, nameof(LockTimeToLive));
            field = value;
        }
    } = DefaultLockTimeToLive;

    /// <summary>
    /// The store's clock: lease expiry and the <c>updated_at</c>, <c>created_at</c> and <c>published_at</c> columns are
    /// computed with it. SQLite is embedded, so the store's clock is this process's clock; every process sharing a file
    /// should use the system clock.
    /// </summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public TimeProvider TimeProvider
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(TimeProvider));
    } = TimeProvider.System;

    /// <summary>How records are serialised to the UTF-8 JSON kept in the <c>record</c> column.</summary>
    /// <value>Default null = <see cref="JsonSerializerOptions.Default"/>.</value>
    public JsonSerializerOptions? SerializerOptions { get; init; }

    /// <summary>
    /// <c>PRAGMA synchronous</c>: <see cref="SqliteSynchronousMode.Full"/> makes every commit survive a power loss;
    /// <see cref="SqliteSynchronousMode.Normal"/> is faster, survives a process crash, but may lose the last commits on a
    /// power loss or an operating-system crash.
    /// </summary>
    /// <value>Default <see cref="SqliteSynchronousMode.Full"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined mode.</exception>
    public SqliteSynchronousMode Synchronous
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Synchronous), value, "Synchronous must be Full or Normal.");
    } = SqliteSynchronousMode.Full;

    /// <summary>
    /// How long an operation waits for another connection's (or process's) write to finish before it fails with a
    /// <see cref="SqliteException"/> (<c>database is locked</c>): SQLite's <c>PRAGMA busy_timeout</c>, and, rounded up to
    /// whole seconds, the provider's command timeout.
    /// </summary>
    /// <value>Default <see cref="DefaultBusyTimeout"/> (5 s); from 1 ms to <see cref="int.MaxValue"/> ms.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive or exceeds <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan BusyTimeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(1), nameof(BusyTimeout));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMilliseconds(int.MaxValue), nameof(BusyTimeout));
            field = value;
        }
    } = DefaultBusyTimeout;

    /// <summary>Options for the database file at <paramref name="path"/> (created when missing), with every other option at its default.</summary>
    /// <param name="path">The database file; relative paths are relative to the current directory.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty, or <c>:memory:</c>.</exception>
    public static SqliteMachineMemoryOptions ForFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        };
        return new SqliteMachineMemoryOptions { ConnectionString = builder.ConnectionString };
    }

    /// <summary>Why <paramref name="value"/> cannot serve as the store's connection string, or null when it can.</summary>
    private static string? ConnectionStringProblem(string? value, out Exception? parseError)
    {
        parseError = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return "ConnectionString is required; found an empty value.";
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(value);
        }
        catch (ArgumentException exception)
        {
            parseError = exception;
            return $"ConnectionString is not a valid SQLite connection string: {exception.Message}";
        }

        // An in-memory or temporary database is private to one connection, so pooled per-operation connections would
        // each see a different, empty store.
        if (builder.Mode == SqliteOpenMode.Memory
            || string.IsNullOrWhiteSpace(builder.DataSource)
            || string.Equals(builder.DataSource, ":memory:", StringComparison.OrdinalIgnoreCase))
        {
            return $"ConnectionString must name a database file; found Data Source '{builder.DataSource}' with Mode {builder.Mode}, an in-memory or temporary database.";
        }

        return null;
    }

    private static bool IsIdentifier(string? value)
    {
        if (string.IsNullOrEmpty(value) || !(char.IsAsciiLetter(value[0]) || value[0] == '_'))
        {
            return false;
        }

        foreach (var character in value)
        {
            if (!(char.IsAsciiLetterOrDigit(character) || character == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
