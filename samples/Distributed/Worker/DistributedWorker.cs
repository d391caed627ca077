using Arvo.Hosting;
using Arvo.Memory.PostgreSql;
using Arvo.Samples.Counter;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Arvo.Samples.Distributed.Worker;

/// <summary>
/// One worker process: a generic host running the counter orchestrator and the counter services, workflows in
/// PostgreSQL, events over RabbitMQ. Every worker of a run consumes the same queues, so any worker may run any
/// workflow's next step. Started by the driver as <c>Distributed worker --run ID --name NAME --concurrency K</c>, with
/// the connection settings in its environment; it prints <c>ready</c> once it consumes and stops when its standard
/// input closes (or dies when the driver kills it).
/// </summary>
public static class DistributedWorker
{
    /// <summary>The first argument that makes the executable a worker.</summary>
    public const string Verb = "worker";

    /// <summary>The line a worker prints on standard output once it consumes.</summary>
    public const string ReadyLine = "ready";

    /// <summary>RabbitMQ partitions (queues per destination) of every run.</summary>
    public const int Partitions = 16;

    /// <summary>Unacknowledged messages per consumer.</summary>
    public const int Prefetch = 32;

    /// <summary>Runs a worker until its standard input closes.</summary>
    /// <param name="args">The arguments after <see cref="Verb"/>.</param>
    /// <returns>The exit code: 0 after a clean stop, 2 for bad arguments.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? runId = null, name = null;
        var concurrency = 16;
        if (args.Count % 2 != 0)
        {
            await Console.Error.WriteLineAsync($"worker: '{args[^1]}' needs a value");
            return 2;
        }

        for (var i = 0; i < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--run":
                    runId = args[i + 1];
                    break;
                case "--name":
                    name = args[i + 1];
                    break;
                case "--concurrency" when int.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 1024:
                    concurrency = value;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"worker: unknown argument or bad value '{args[i]} {args[i + 1]}'");
                    return 2;
            }
        }

        if (runId is null || name is null)
        {
            await Console.Error.WriteLineAsync("worker: --run and --name are required");
            return 2;
        }

        var options = DistributedOptions.Parse([], Environment.GetEnvironmentVariable);
        var run = new DistributedRun(runId);
        await using var commandsDataSource = NpgsqlDataSource.Create(options.PostgreSql);
        var log = new ServiceCommandLog(commandsDataSource, run);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddArvo(arvo =>
        {
            arvo.UsePostgreSqlMemory(options.PostgreSql, new PostgreSqlMachineMemoryOptions { TablePrefix = run.TablePrefix })
                .UseRabbitMqTransport(rabbit =>
                {
                    rabbit.Uri = options.RabbitMq;
                    rabbit.Partitions = Partitions;
                    rabbit.Prefix = run.RabbitMqPrefix;
                    rabbit.Prefetch = Prefetch;
                })
                .Configure(host =>
                {
                    host.MaxConcurrency = concurrency;
                    // A killed worker's persisted-but-unpublished events are republished by a survivor within seconds.
                    host.OutboxRelayInterval = TimeSpan.FromSeconds(1);
                    host.OutboxRelayMinimumAge = TimeSpan.FromSeconds(2);
                })
                .AddOrchestrator(orchestrator => orchestrator.Machines(CounterMachine.Create()));
            foreach (var handler in CounterHandlers.CreateAll())
            {
                arvo.AddHandler(new RecordingHandler(handler, log, name));
            }
        });
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine(ReadyLine);
        Console.Out.Flush();

        // The driver closes standard input to stop the worker (and a driver that dies closes it too).
        await Task.Run(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }
        });
        await host.StopAsync();
        return 0;
    }
}
