using Arvo.Memory;
using Arvo.Memory.Sqlite;

namespace Arvo.Packages.Consumer.Readme;

/// <summary>src/Arvo.Memory.Sqlite/README.md's example: the region between the markers is the README's code block.</summary>
internal static class SqliteExample
{
    /// <summary>Creates arvo.db in the current directory.</summary>
    public static async Task<TimeSpan> RunAsync()
    {
        // README:Arvo.Memory.Sqlite:start
        await using var memory = new SqliteMachineMemory<MachineMemoryRecord>(
            SqliteMachineMemoryOptions.ForFile("arvo.db") with { LockTimeToLive = TimeSpan.FromSeconds(30) });
        await memory.EnsureCreatedAsync(); // optional: the schema is also created on first use
        // README:Arvo.Memory.Sqlite:end
        return memory.Options.LockTimeToLive;
    }
}
