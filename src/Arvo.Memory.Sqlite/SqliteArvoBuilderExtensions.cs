using Arvo.Memory;
using Arvo.Memory.Sqlite;
using Arvo.Resumable;
using Microsoft.Extensions.DependencyInjection;

namespace Arvo.Hosting;

/// <summary>Puts the Arvo host's workflows in a SQLite database file.</summary>
public static class SqliteArvoBuilderExtensions
{
    /// <summary>The table prefix of orchestrator records, after the options' own prefix: <c>machine_</c>.</summary>
    public const string MachineTablePrefix = "machine_";

    /// <summary>The table prefix of resumable records, after the options' own prefix: <c>resumable_</c>.</summary>
    public const string ResumableTablePrefix = "resumable_";

    /// <summary>
    /// Stores orchestrators and resumables in the SQLite database file at <paramref name="path"/> (created when missing;
    /// tables are created when the host starts).
    /// </summary>
    /// <param name="arvo">The Arvo builder.</param>
    /// <param name="path">The database file; relative to the current directory when relative.</param>
    /// <returns>The Arvo builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty, or <c>:memory:</c>.</exception>
    public static ArvoBuilder UseSqliteMemory(this ArvoBuilder arvo, string path)
    {
        var options = SqliteMachineMemoryOptions.ForFile(path);
        return arvo.UseSqliteMemory(_ => options);
    }

    /// <summary>
    /// Stores orchestrators and resumables with these SQLite options: orchestrator records in the tables
    /// <c>{TablePrefix}machine_*</c>, resumable records in <c>{TablePrefix}resumable_*</c>, created when the host starts.
    /// </summary>
    /// <param name="arvo">The Arvo builder.</param>
    /// <param name="options">Builds the options from the host's services (for example from configuration).</param>
    /// <returns>The Arvo builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ArvoBuilder UseSqliteMemory(this ArvoBuilder arvo, Func<IServiceProvider, SqliteMachineMemoryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(arvo);
        ArgumentNullException.ThrowIfNull(options);
        arvo.UseMemory(
            services => new SqliteMachineMemory<MachineMemoryRecord>(Prefixed(options(services), MachineTablePrefix)),
            services => new SqliteMachineMemory<ArvoResumableState>(Prefixed(options(services), ResumableTablePrefix)));
        return arvo.AddStartupTask(static async (services, cancellationToken) =>
        {
            if (services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>() is SqliteMachineMemory<MachineMemoryRecord> machines)
            {
                await machines.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            }

            if (services.GetRequiredService<IMachineMemory<ArvoResumableState>>() is SqliteMachineMemory<ArvoResumableState> resumables)
            {
                await resumables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            }
        });
    }

    private static SqliteMachineMemoryOptions Prefixed(SqliteMachineMemoryOptions options, string prefix) =>
        options with { TablePrefix = options.TablePrefix + prefix };
}
