using Arvo.Dispatch;
using Arvo.Factories;
using Arvo.Hosting;
using Arvo.Memory;
using Arvo.Packages.Consumer.Counter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Arvo.Packages.Consumer.Readme;

/// <summary>src/Arvo.Hosting/README.md's example: the region between the markers is the README's code block.</summary>
internal static class HostingExample
{
    /// <summary>Runs a counter workflow in a generic host on hosting/counter.db; returns its stored status and output.</summary>
    public static async Task<string> RunAsync()
    {
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = Directory.CreateDirectory("hosting").FullName;
        try
        {
            return await RunHereAsync();
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    private static async Task<string> RunHereAsync()
    {
        string[] args = [];
        File.Delete("counter.db");

        // The host's console logger would print its Information lines into the output the test compares.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        // README:Arvo.Hosting:start
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
        // README:Arvo.Hosting:end

        var memory = host.Services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        MachineMemoryStateRecord? state;
        while ((state = (await memory.ReadAsync(init.Subject))?.Record as MachineMemoryStateRecord) is not { Status: "done" } && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await host.StopAsync();
        return $"dispatched {dispatched.Emitted.Count} command(s), workflow {state?.Status}, output {state?.State.GetProperty("output").GetRawText()}";
    }
}
