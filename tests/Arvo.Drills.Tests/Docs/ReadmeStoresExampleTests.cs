using Arvo.Memory;
using Arvo.Memory.PostgreSql;
using Arvo.Memory.PostgreSql.Tests;
using Arvo.Memory.Sqlite;
using Arvo.Samples.Counter;
using Npgsql;

namespace Arvo.Drills.Tests.Docs;

/// <summary>
/// The README's "Choosing a store" snippets, compiled and run against real stores. The regions between the markers are
/// copied verbatim into README.md; <see cref="Readme_ContainsTheStoreSnippets"/> keeps them in sync.
/// </summary>
public sealed class ReadmeStoresExampleTests
{
    [Fact]
    public async Task SimpleSnippet_RunsAWorkflowStep()
    {
        var machine = CounterMachine.Create();
        // README:store-simple:start
        // In memory: tests, samples, a process that may lose its workflows (not a distributed lock).
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(machine).Build();
        // README:store-simple:end

        await AssertStartsAWorkflowAsync(orchestrator, memory);
    }

    [Fact]
    public async Task SqliteSnippet_RunsAWorkflowStepOnAFile()
    {
        var machine = CounterMachine.Create();
        var directory = Directory.CreateTempSubdirectory("arvo-readme-").FullName;
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = directory;
        try
        {
            // README:store-sqlite:start
            // One host, durable: a file (WAL, synchronous=FULL); tables are created on first use.
            await using var memory = new SqliteMachineMemory<MachineMemoryRecord>(SqliteMachineMemoryOptions.ForFile("workflows.db"));
            var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(machine).Build();
            // README:store-sqlite:end

            await AssertStartsAWorkflowAsync(orchestrator, memory);
            File.Exists(Path.Combine(directory, "workflows.db")).Should().BeTrue();
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task PostgreSqlSnippet_RunsAWorkflowStepInSchemaArvo()
    {
        var machine = CounterMachine.Create();
        var connectionString = PostgreSqlTestDatabase.ConnectionString;
        await using (await PostgreSqlTestDatabase.CreateDataSourceAsync())
        {
            // Fails with instructions when the server is down.
        }

        try
        {
            // README:store-postgres:start
            // Many hosts sharing state: leases are rows, writes are version compare-and-set with the outbox in one statement.
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var memory = new PostgreSqlMachineMemory<MachineMemoryRecord>(dataSource, new PostgreSqlMachineMemoryOptions { Schema = "arvo" });
            var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(machine).Build();
            // README:store-postgres:end

            await AssertStartsAWorkflowAsync(orchestrator, memory);
        }
        finally
        {
            await using var cleanup = NpgsqlDataSource.Create(connectionString);
            await PostgreSqlTestDatabase.DropSchemaAsync(cleanup, "arvo");
        }
    }

    [Fact]
    public async Task RelaySnippet_PublishesWhatACrashLeftPending()
    {
        var machine = CounterMachine.Create();
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(machine).Build();
        var init = CounterWorkflows.CreateInit("increment", 2);
        await orchestrator.ExecuteAsync(init); // persisted; the host died before publishing
        var broker = SimpleEventBroker.Create([orchestrator, .. CounterHandlers.CreateAll()]);
        var completions = new List<ArvoEvent>();
        using var client = broker.Subscribe(CounterWorkflows.DefaultInitiator, (evt, _) =>
        {
            completions.Add(evt);
            return ValueTask.CompletedTask;
        });

        // README:relay:start
        // At start-up (and periodically): publish what a crash left pending in the outbox; the broker marks it published.
        var relay = new ArvoOutboxRelay(memory, (evt, ct) => broker.PublishAsync(evt, ct));
        var republished = await relay.RelayPendingAsync();
        // README:relay:end

        republished.Should().Be(1);
        completions.Select(e => (e.Type, CounterWorkflows.GetFinal(e))).Should().Equal((CounterContracts.CompleteType, 2d));
        (await memory.ReadPendingOutboxAsync(10)).Should().BeEmpty();
    }

    [Fact]
    public void Readme_ContainsTheStoreSnippets()
    {
        var root = RepositoryRoot();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Arvo.Drills.Tests", "Docs", "ReadmeStoresExampleTests.cs")).ReplaceLineEndings("\n");
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        foreach (var region in new[] { "store-simple", "store-sqlite", "store-postgres", "relay" })
        {
            var start = source.IndexOf($"// README:{region}:start\n", StringComparison.Ordinal) + $"// README:{region}:start\n".Length;
            var end = source.IndexOf($"// README:{region}:end", StringComparison.Ordinal);
            var lines = source[start..end].Split('\n').Where(l => l.Trim().Length > 0).ToArray();
            var indent = lines.Min(l => l.Length - l.TrimStart().Length);
            var snippet = string.Join("\n", lines.Select(l => l[indent..])) + "\n";
            readme.Should().Contain("```csharp\n" + snippet + "```", $"README.md shows the {region} snippet verbatim");
        }
    }

    private static async Task AssertStartsAWorkflowAsync(ArvoOrchestrator orchestrator, IMachineMemory<MachineMemoryRecord> memory)
    {
        var init = CounterWorkflows.CreateInit("increment", 4);
        var command = (await orchestrator.ExecuteAsync(init)).All.Single();
        command.Type.Should().Be(CounterContracts.IncrementType);
        (await memory.ReadAsync(init.Subject))!.Version.Should().Be(1);
        (await memory.ReadPendingOutboxAsync(10)).Select(e => e.Event.Id).Should().Equal(command.Id);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Arvo.Orchestration.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Arvo.Orchestration.sln not found above the test output.");
    }
}
