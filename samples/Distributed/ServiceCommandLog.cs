using Npgsql;

namespace Arvo.Samples.Distributed;

/// <summary>
/// The table in which the services (stateless handlers) record every command they execute, one row per execution:
/// the command event's id, the workflow's subject, the command's type and the worker that ran it. The driver reads it
/// to count redeliveries and duplicated commands (see the sample's README).
/// </summary>
/// <remarks>
/// A row is written before the handler runs, so an execution that a crash interrupts still counts, and its
/// redelivery counts again: the log shows what the services really did, not what the workflows asked for.
/// </remarks>
public sealed class ServiceCommandLog
{
    /// <summary>Creates the log of a run.</summary>
    /// <param name="dataSource">The run's database.</param>
    /// <param name="run">The run (its table prefix names the table).</param>
    public ServiceCommandLog(NpgsqlDataSource dataSource, DistributedRun run)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(run);
        DataSource = dataSource;
        Table = $"\"{run.TablePrefix}service_commands\"";
    }

    /// <summary>The database.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The quoted table name, <c>"dist_&lt;id&gt;_service_commands"</c>.</summary>
    public string Table { get; }

    /// <summary>Creates the table (the driver does, before it starts the workers).</summary>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <returns>A task.</returns>
    public async ValueTask CreateAsync(CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(
            $"""
            CREATE TABLE IF NOT EXISTS {Table} (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                command_id text NOT NULL,
                subject text NOT NULL,
                type text NOT NULL,
                worker text NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records one execution of <paramref name="command"/> by <paramref name="worker"/>.</summary>
    /// <param name="command">The command event the service is about to execute.</param>
    /// <param name="worker">The worker's name.</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <returns>A task that completes when the row is committed.</returns>
    public async ValueTask RecordAsync(ArvoEvent command, string worker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var insert = DataSource.CreateCommand($"INSERT INTO {Table} (command_id, subject, type, worker) VALUES ($1, $2, $3, $4)");
        insert.Parameters.Add(new NpgsqlParameter { Value = command.Id });
        insert.Parameters.Add(new NpgsqlParameter { Value = command.Subject });
        insert.Parameters.Add(new NpgsqlParameter { Value = command.Type });
        insert.Parameters.Add(new NpgsqlParameter { Value = worker });
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
