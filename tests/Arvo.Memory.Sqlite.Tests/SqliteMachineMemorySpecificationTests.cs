namespace Arvo.Memory.Sqlite.Tests;

/// <summary>The shared conformance suite over a fresh SQLite file per test, with the suite's fake clock driving lease expiry.</summary>
public sealed class SqliteMachineMemorySpecificationTests : MachineMemorySpecification<SqliteMachineMemory<MachineMemoryRecord>>
{
    private readonly TemporaryDatabase _database = new();

    protected override ValueTask<SqliteMachineMemory<MachineMemoryRecord>> CreateMemoryAsync(TimeProvider timeProvider, TimeSpan lockTimeToLive) =>
        ValueTask.FromResult(new SqliteMachineMemory<MachineMemoryRecord>(_database.Options with
        {
            TimeProvider = timeProvider,
            LockTimeToLive = lockTimeToLive,
        }));

    protected override ValueTask ClearAsync(SqliteMachineMemory<MachineMemoryRecord> memory) => memory.ClearAsync();

    protected override ValueTask<bool> CorruptStoredRecordAsync(SqliteMachineMemory<MachineMemoryRecord> memory, string id)
    {
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE arvo_records SET record = '{\"subject\": not json' WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return ValueTask.FromResult(command.ExecuteNonQuery() == 1);
    }

    protected override async ValueTask DisposeMemoryAsync(SqliteMachineMemory<MachineMemoryRecord> memory)
    {
        await memory.DisposeAsync();
        _database.Delete();
    }
}
