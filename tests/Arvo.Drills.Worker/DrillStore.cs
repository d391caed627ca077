using Arvo.Memory;
using Arvo.Memory.PostgreSql;
using Arvo.Memory.Sqlite;
using Npgsql;

namespace Arvo.Drills.Worker;

/// <summary>The durable store a drill runs on: a SQLite file or a PostgreSQL schema.</summary>
internal sealed class DrillStore : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owned;

    private DrillStore(IMachineMemory<MachineMemoryRecord> memory, IAsyncDisposable? owned)
    {
        Memory = memory;
        _owned = owned;
    }

    public IMachineMemory<MachineMemoryRecord> Memory { get; }

    public static ValueTask<DrillStore> OpenAsync(DrillOptions options)
    {
        switch (options.Memory)
        {
            case "sqlite":
                var sqlite = new SqliteMachineMemory<MachineMemoryRecord>(SqliteMachineMemoryOptions.ForFile(options.Database) with
                {
                    LockTimeToLive = options.LeaseTimeToLive,
                });
                return ValueTask.FromResult(new DrillStore(sqlite, sqlite));
            case "postgres":
                var dataSource = NpgsqlDataSource.Create(options.Database);
                var postgres = new PostgreSqlMachineMemory<MachineMemoryRecord>(dataSource, new PostgreSqlMachineMemoryOptions
                {
                    Schema = options.Schema ?? "public",
                    LockTimeToLive = options.LeaseTimeToLive,
                });
                return ValueTask.FromResult(new DrillStore(postgres, dataSource));
            default:
                throw new ArgumentException($"--memory must be sqlite or postgres, not '{options.Memory}'");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }
}
