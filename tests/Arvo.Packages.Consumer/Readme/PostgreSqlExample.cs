using Arvo.Memory;
using Arvo.Memory.PostgreSql;
using Npgsql;

namespace Arvo.Packages.Consumer.Readme;

/// <summary>
/// src/Arvo.Memory.PostgreSql/README.md's example: the region between the markers is the README's code block. Compiled
/// against the package, never run (it needs a server named db).
/// </summary>
internal static class PostgreSqlExample
{
    public static async Task RunAsync()
    {
        // README:Arvo.Memory.PostgreSql:start
        await using var dataSource = NpgsqlDataSource.Create(
            "Host=db;Database=app;Username=app;Password=secret;Max Auto Prepare=20");

        var memory = new PostgreSqlMachineMemory<MachineMemoryRecord>(dataSource, new PostgreSqlMachineMemoryOptions
        {
            Schema = "arvo",                          // default "public"; created if missing
            TablePrefix = "orders_",                  // default "arvo_"
            LockTimeToLive = TimeSpan.FromSeconds(30), // default 30 s
        });
        await memory.EnsureCreatedAsync();            // optional: the first operation does it too

        // Hand `memory` to your orchestrator, and run ArvoOutboxRelay over it at start-up and periodically.
        // Now and then: await memory.PurgePublishedOutboxAsync(TimeSpan.FromDays(7));
        // README:Arvo.Memory.PostgreSql:end
    }
}
