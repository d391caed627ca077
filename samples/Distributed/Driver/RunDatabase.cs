using Arvo.Hosting;
using Arvo.Samples.Counter;
using Npgsql;

namespace Arvo.Samples.Distributed.Driver;

/// <summary>
/// What the driver reads from PostgreSQL: the workflow records the orchestrators wrote (through the store's tables,
/// <c>{prefix}machine_records</c>) and the services' <see cref="ServiceCommandLog"/>; and the clean-up of the run's
/// tables.
/// </summary>
/// <param name="dataSource">The run's database.</param>
/// <param name="run">The run.</param>
public sealed class RunDatabase(NpgsqlDataSource dataSource, DistributedRun run)
{
    private readonly string _records = $"\"{run.TablePrefix}{PostgreSqlArvoBuilderExtensions.MachineTablePrefix}records\"";

    /// <summary>The services' command log.</summary>
    public ServiceCommandLog Commands { get; } = new(dataSource, run);

    /// <summary>
    /// Progress, cheaply (no JSON is parsed): how many workflows wrote their final record (version 2: the init wrote
    /// version 1, the service's answer version 2) and how many had their notification executed by the service (the
    /// notification is emitted by that same final write).
    /// </summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The two counts.</returns>
    public async ValueTask<(int Finished, int Notified)> ProgressAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT (SELECT count(*) FROM {_records} WHERE version >= 2),
                   (SELECT count(DISTINCT subject) FROM {Commands.Table} WHERE type = $1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = CounterContracts.NotificationType });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (checked((int)reader.GetInt64(0)), checked((int)reader.GetInt64(1)));
    }

    /// <summary>Every workflow record: subject, version, status and the output's JSON text as stored.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The records by subject.</returns>
    public async ValueTask<Dictionary<string, WorkflowRow>> ReadWorkflowsAsync(CancellationToken cancellationToken = default)
    {
        var rows = new Dictionary<string, WorkflowRow>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand(
            $"SELECT id, version, record->>'status', (record->'state'->'output')::text FROM {_records}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var subject = reader.GetString(0);
            rows[subject] = new WorkflowRow(
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3));
        }

        return rows;
    }

    /// <summary>The command log grouped by workflow step (subject and command type).</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Per step: how many executions were recorded and how many distinct command ids they had.</returns>
    public async ValueTask<List<StepRow>> ReadStepsAsync(CancellationToken cancellationToken = default)
    {
        var steps = new List<StepRow>();
        await using var command = dataSource.CreateCommand(
            $"SELECT subject, type, count(*), count(DISTINCT command_id) FROM {Commands.Table} GROUP BY subject, type");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            steps.Add(new StepRow(reader.GetString(0), reader.GetString(1), checked((int)reader.GetInt64(2)), checked((int)reader.GetInt64(3))));
        }

        return steps;
    }

    /// <summary>Drops every table whose name starts with the run's prefix (the store's and the command log).</summary>
    /// <param name="cancellationToken">Cancels the statements.</param>
    /// <returns>How many tables were dropped.</returns>
    public async ValueTask<int> DropAsync(CancellationToken cancellationToken = default)
    {
        var tables = new List<string>();
        await using (var list = dataSource.CreateCommand(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE starts_with(tablename, $1)"))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = run.TablePrefix });
            await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count > 0)
        {
            await using var drop = dataSource.CreateCommand($"DROP TABLE IF EXISTS {string.Join(", ", tables)} CASCADE");
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return tables.Count;
    }

    /// <summary>One workflow's stored record.</summary>
    /// <param name="Version">The record's version: how many executions wrote it.</param>
    /// <param name="Status">The machine's status (<c>active</c>, <c>done</c>), or null for a failure record.</param>
    /// <param name="Output">The output's JSON text, or null.</param>
    public sealed record WorkflowRow(long Version, string? Status, string? Output);

    /// <summary>One workflow step in the command log.</summary>
    /// <param name="Subject">The workflow.</param>
    /// <param name="Type">The command's type.</param>
    /// <param name="Executions">How many times a service executed a command of this step.</param>
    /// <param name="DistinctIds">How many different command ids those executions had.</param>
    public sealed record StepRow(string Subject, string Type, int Executions, int DistinctIds);
}
