using Arvo.Dispatch;
using Arvo.Factories;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Arvo.Hosting.Tests.Docs;

/// <summary>
/// README.md's "Host service" snippet (and src/Arvo.Hosting/README.md's), compiled and run: the region between the
/// markers is copied verbatim into both READMEs; <see cref="Readmes_ShowTheSnippetVerbatim"/> keeps them in sync.
/// </summary>
public sealed class ReadmeHostServiceExampleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("arvo-readme-host-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task HostServiceSnippet_RunsACounterWorkflowToItsEndOnSqlite()
    {
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _directory;
        try
        {
            string[] args = [];
            // README:host-service:start
            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddArvo(builder.Configuration.GetSection("Arvo"), arvo =>
            {
                arvo.UseSqliteMemory("counter.db")
                    .AddOrchestrator(orchestrator => orchestrator.Machines(CounterMachine.Create()));
                foreach (var handler in CounterHandlers.CreateAll())
                {
                    arvo.AddHandler(handler);
                }
            });
            using var host = builder.Build();
            await host.StartAsync(); // builds every handler and machine (a bad one fails here, named), creates the tables

            // Start a workflow: the worker runs its commands; a redelivered event is answered from the workflow's inbox.
            var init = new ArvoOrchestratorEventFactory(CounterContracts.Orchestrator.Version("0.0.1"))
                .Init(new ArvoEventEnvelope { Source = "com.demo.client" }, new { type = "increment", delta = 5 });
            var dispatched = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(init);
            // README:host-service:end

            dispatched.Emitted.Select(e => e.Type).Should().Equal(CounterContracts.IncrementType);
            var memory = host.Services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>();
            await TestSupport.TestHosts.WaitUntilAsync(
                async () => (await memory.ReadAsync(init.Subject))?.Record is MachineMemoryStateRecord { Status: "done" }, "the workflow to complete");
            var state = (MachineMemoryStateRecord)(await memory.ReadAsync(init.Subject))!.Record;
            state.State.GetProperty("output").GetRawText().Should().Be("""{"final":5}""");
            File.Exists(Path.Combine(_directory, "counter.db")).Should().BeTrue();
            await host.StopAsync();
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Fact]
    public void Readmes_ShowTheSnippetVerbatim()
    {
        var root = RepositoryRoot();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Arvo.Hosting.Tests", "Docs", "ReadmeHostServiceExampleTests.cs")).ReplaceLineEndings("\n");
        var start = source.IndexOf("// README:host-service:start\n", StringComparison.Ordinal) + "// README:host-service:start\n".Length;
        var end = source.IndexOf("// README:host-service:end", StringComparison.Ordinal);
        var lines = source[start..end].TrimEnd().Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var snippet = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim())) + "\n";

        foreach (var readme in new[] { "README.md", Path.Combine("src", "Arvo.Hosting", "README.md") })
        {
            File.ReadAllText(Path.Combine(root, readme)).ReplaceLineEndings("\n").Should().Contain("```csharp\n" + snippet + "```", $"{readme} shows the host service snippet verbatim");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Arvo.Orchestration.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Arvo.Orchestration.sln not found above " + AppContext.BaseDirectory);
    }
}
