using Npgsql;

namespace Arvo.Memory.PostgreSql.Tests;

/// <summary>
/// <see cref="PostgreSqlMachineMemory{T}"/> against the shared memory specification, each test in a schema of its own.
/// The database clock cannot be faked, so leases live 2 s and the expiry tests wait in real time.
/// </summary>
public sealed class PostgreSqlMachineMemorySpecificationTests : MachineMemorySpecification<PostgreSqlMachineMemory<MachineMemoryRecord>>
{
    private readonly string _schema = PostgreSqlTestDatabase.NewSchemaName();
    private NpgsqlDataSource? _dataSource;

    protected override TimeSpan LockTimeToLive => TimeSpan.FromSeconds(2);

    // The "still held just before the time-to-live" checks fail if a wait overshoots by more than the margin: 0.6 s
    // was overshot once on a loaded 2-core machine (load average 10), so keep 0.9 s of slack.
    protected override TimeSpan ExpiryMargin => TimeSpan.FromMilliseconds(900);

    protected override async ValueTask<PostgreSqlMachineMemory<MachineMemoryRecord>> CreateMemoryAsync(TimeProvider timeProvider, TimeSpan lockTimeToLive)
    {
        _dataSource = await PostgreSqlTestDatabase.CreateDataSourceAsync();
        var memory = new PostgreSqlMachineMemory<MachineMemoryRecord>(_dataSource, new PostgreSqlMachineMemoryOptions
        {
            Schema = _schema,
            LockTimeToLive = lockTimeToLive,
        });
        await memory.EnsureCreatedAsync();
        return memory;
    }

    protected override ValueTask ClearAsync(PostgreSqlMachineMemory<MachineMemoryRecord> memory) => memory.ClearAsync();

    // Leases expire by the database's now(): wait for it.
    protected override async ValueTask AdvanceTimeAsync(TimeSpan by) => await Task.Delay(by);

    protected override async ValueTask<bool> CorruptStoredRecordAsync(PostgreSqlMachineMemory<MachineMemoryRecord> memory, string id)
    {
        await using var command = _dataSource!.CreateCommand($"UPDATE \"{_schema}\".arvo_records SET record = '\"not a record\"' WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    protected override async ValueTask DisposeMemoryAsync(PostgreSqlMachineMemory<MachineMemoryRecord> memory)
    {
        if (_dataSource is { } dataSource)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(dataSource, _schema);
            await dataSource.DisposeAsync();
        }
    }
}
