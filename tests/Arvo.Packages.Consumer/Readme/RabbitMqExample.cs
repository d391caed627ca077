using Arvo.Hosting;
using Arvo.Packages.Consumer.Counter;
using Arvo.Transport;
using Arvo.Transport.RabbitMQ;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Arvo.Packages.Consumer.Readme;

/// <summary>
/// src/Arvo.Transport.RabbitMQ/README.md's example: the region between the markers is the README's code block. The host
/// is built against the package, never started (it needs a broker named rabbit and a database named db).
/// </summary>
internal static class RabbitMqExample
{
    public static string Run()
    {
        string[] args = [];

        // README:Arvo.Transport.RabbitMQ:start
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddArvo(builder.Configuration.GetSection("Arvo"), arvo =>
        {
            arvo.UsePostgreSqlMemory("Host=db;Database=app;Username=app;Password=secret") // one store shared by every host
                .UseRabbitMqTransport(builder.Configuration.GetSection("Arvo:RabbitMQ"), options =>
                {
                    options.Uri = new Uri("amqp://app:secret@rabbit:5672/"); // default amqp://guest:guest@localhost:5672/
                    options.Prefix = "orders"; // default "arvo": the hosts of one prefix share the work
                    options.Partitions = 32;   // default 16: the same on every host and publisher of the prefix
                    options.Prefetch = 32;     // default 16 unacknowledged messages per partition
                })
                .AddOrchestrator(orchestrator => orchestrator.Machines(CounterMachine.Create()));
            foreach (var handler in CounterHandlers.CreateAll())
            {
                arvo.AddHandler(handler);
            }
        });
        using var host = builder.Build();
        // await host.RunAsync(); connects, declares the queues, claims this host's share of the partitions and consumes
        // README:Arvo.Transport.RabbitMQ:end

        var transport = (RabbitMqArvoTransport)host.Services.GetRequiredService<IArvoTransport>();
        return $"events to {transport.Topology.EventsExchange}, {transport.Topology.Partitions} partitions per destination " +
            $"({transport.Topology.PartitionQueue(CounterContracts.IncrementType, 0)}, ...), dead letters in {transport.Topology.DeadLetterQueue}";
    }
}
