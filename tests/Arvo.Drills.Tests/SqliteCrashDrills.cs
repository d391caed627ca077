using Arvo.Memory;
using Arvo.Memory.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Arvo.Drills.Tests;

/// <summary>The crash drills on a SQLite file.</summary>
public sealed class SqliteCrashDrills(ITestOutputHelper output) : CrashDrills(output)
{
    private string DatabasePath => Path.Combine(Directory, "drill.db");

    protected override string[] StoreArgs => ["--memory", "sqlite", "--db", DatabasePath];

    protected override IMachineMemory<MachineMemoryRecord> OpenMemory(TimeSpan leaseTimeToLive) =>
        new SqliteMachineMemory<MachineMemoryRecord>(SqliteMachineMemoryOptions.ForFile(DatabasePath) with { LockTimeToLive = leaseTimeToLive });

    protected override Task<IReadOnlyList<OutboxRow>> ReadOutboxAsync() => ReadOutboxAsync(DatabasePath, "arvo_outbox");

    /// <summary>Every row of the outbox table <paramref name="table"/> of the SQLite file at <paramref name="path"/> (none before it exists).</summary>
    internal static async Task<IReadOnlyList<OutboxRow>> ReadOutboxAsync(string path, string table)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT workflow_id, event_id, json_extract(event, '$.type'), status FROM {table} ORDER BY seq";
        var rows = new List<OutboxRow>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(new OutboxRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 1 && exception.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return [];
        }

        return rows;
    }
}
