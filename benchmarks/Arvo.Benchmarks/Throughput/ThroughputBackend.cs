using Arvo.Memory;
using Arvo.Memory.PostgreSql;
using Arvo.Memory.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Arvo.Benchmarks.Throughput;

/// <summary>The store of one run and, for a durable one, its raw baseline; disposing removes what the run created.</summary>
public sealed class ThroughputBackend : IAsyncDisposable
{
    private readonly Func<ValueTask> _cleanup;

    private ThroughputBackend(IMachineMemory<MachineMemoryRecord> memory, IRawBaseline? raw, Func<ValueTask> cleanup)
    {
        Memory = memory;
        Raw = raw;
        _cleanup = cleanup;
    }

    /// <summary>The store the orchestrator uses.</summary>
    public IMachineMemory<MachineMemoryRecord> Memory { get; }

    /// <summary>The raw SQL loop over the same database, or null in memory.</summary>
    public IRawBaseline? Raw { get; }

    /// <summary>Creates the store (and its tables) for <paramref name="options"/>; fails fast when the database is unreachable.</summary>
    /// <param name="options">The run's options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async ValueTask<ThroughputBackend> CreateAsync(ThroughputOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Memory switch
        {
            ThroughputMemory.Sqlite => await CreateSqliteAsync(options, cancellationToken).ConfigureAwait(false),
            ThroughputMemory.Postgres => await CreatePostgresAsync(options, cancellationToken).ConfigureAwait(false),
            _ => new ThroughputBackend(new SimpleMachineMemory<MachineMemoryRecord>(), null, () => ValueTask.CompletedTask),
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _cleanup();

    private static async ValueTask<ThroughputBackend> CreateSqliteAsync(ThroughputOptions options, CancellationToken cancellationToken)
    {
        var temporary = options.DatabasePath is null;
        var path = options.DatabasePath ?? Path.Combine(Path.GetTempPath(), $"arvo-bench-{Guid.NewGuid():N}.db");
        var storeOptions = SqliteMachineMemoryOptions.ForFile(path) with
        {
            Synchronous = options.SqliteSynchronousNormal ? SqliteSynchronousMode.Normal : SqliteSynchronousMode.Full,
        };
        var store = new SqliteMachineMemory<MachineMemoryRecord>(storeOptions);
        RawSqliteBaseline? raw = null;
        try
        {
            await store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            raw = await RawSqliteBaseline.CreateAsync(storeOptions.ConnectionString, options.SqliteSynchronousNormal, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await CleanupAsync().ConfigureAwait(false);
            throw;
        }

        return new ThroughputBackend(store, raw, CleanupAsync);

        async ValueTask CleanupAsync()
        {
            await store.DisposeAsync().ConfigureAwait(false);
            if (raw is not null)
            {
                await raw.DisposeAsync().ConfigureAwait(false);
            }

            SqliteConnection.ClearAllPools();
            if (temporary)
            {
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }
    }

    private static async ValueTask<ThroughputBackend> CreatePostgresAsync(ThroughputOptions options, CancellationToken cancellationToken)
    {
        // The store's README recommends auto-prepare for throughput; the raw loop shares the data source, so both get it.
        var builder = new NpgsqlConnectionStringBuilder(options.EffectiveConnectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 20;
        }

        var dataSource = NpgsqlDataSource.Create(builder);
        var schema = $"arvo_bench_{Guid.NewGuid():N}";
        var schemaCreated = false;
        try
        {
            using (var create = dataSource.CreateCommand($"CREATE SCHEMA \"{schema}\""))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            schemaCreated = true;
            var store = new PostgreSqlMachineMemory<MachineMemoryRecord>(dataSource, new PostgreSqlMachineMemoryOptions { Schema = schema });
            await store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            var raw = await RawPostgresBaseline.CreateAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
            return new ThroughputBackend(store, raw, CleanupAsync);
        }
        catch
        {
            await CleanupAsync().ConfigureAwait(false);
            throw;
        }

        async ValueTask CleanupAsync()
        {
            if (schemaCreated)
            {
                using var drop = dataSource.CreateCommand($"DROP SCHEMA \"{schema}\" CASCADE");
                await drop.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }
}
