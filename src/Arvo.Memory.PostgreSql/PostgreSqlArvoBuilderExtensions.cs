using Arvo.Memory;
using Arvo.Memory.PostgreSql;
using Arvo.Resumable;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Arvo.Hosting;

/// <summary>Puts the Arvo host's workflows in PostgreSQL (one database shared by many hosts).</summary>
public static class PostgreSqlArvoBuilderExtensions
{
    /// <summary>The table prefix of orchestrator records, after the options' own prefix: <c>machine_</c>.</summary>
    public const string MachineTablePrefix = "machine_";

    /// <summary>The table prefix of resumable records, after the options' own prefix: <c>resumable_</c>.</summary>
    public const string ResumableTablePrefix = "resumable_";

    /// <summary>
    /// Stores orchestrators and resumables in the PostgreSQL database of <paramref name="connectionString"/>:
    /// orchestrator records in <c>{TablePrefix}machine_*</c>, resumable records in <c>{TablePrefix}resumable_*</c>,
    /// created when the host starts. The host owns (and disposes) the data source it creates.
    /// </summary>
    /// <param name="arvo">The Arvo builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">Store settings (schema, table prefix, lease time-to-live); null for the defaults.</param>
    /// <returns>The Arvo builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="arvo"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null or empty.</exception>
    public static ArvoBuilder UsePostgreSqlMemory(this ArvoBuilder arvo, string connectionString, PostgreSqlMachineMemoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arvo);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        arvo.Services.AddSingleton(_ => new ArvoPostgreSqlDataSource(NpgsqlDataSource.Create(connectionString)));
        var settings = options ?? new PostgreSqlMachineMemoryOptions();
        arvo.UseMemory(
            services => new PostgreSqlMachineMemory<MachineMemoryRecord>(services.GetRequiredService<ArvoPostgreSqlDataSource>().DataSource, Prefixed(settings, MachineTablePrefix)),
            services => new PostgreSqlMachineMemory<ArvoResumableState>(services.GetRequiredService<ArvoPostgreSqlDataSource>().DataSource, Prefixed(settings, ResumableTablePrefix)));
        return arvo.AddStartupTask(static async (services, cancellationToken) =>
        {
            if (services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>() is PostgreSqlMachineMemory<MachineMemoryRecord> machines)
            {
                await machines.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            }

            if (services.GetRequiredService<IMachineMemory<ArvoResumableState>>() is PostgreSqlMachineMemory<ArvoResumableState> resumables)
            {
                await resumables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            }
        });
    }

    private static PostgreSqlMachineMemoryOptions Prefixed(PostgreSqlMachineMemoryOptions options, string prefix) =>
        options with { TablePrefix = options.TablePrefix + prefix };

    /// <summary>The data source the host created (registered by type so the container disposes it, and no user's <see cref="NpgsqlDataSource"/> is replaced).</summary>
    private sealed class ArvoPostgreSqlDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
    {
        public NpgsqlDataSource DataSource { get; } = dataSource;

        public ValueTask DisposeAsync() => DataSource.DisposeAsync();
    }
}
