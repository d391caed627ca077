using System.Diagnostics;
using Arvo.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RabbitMQ.Client;

namespace Arvo.Transport.RabbitMQ.Tests.TestSupport;

/// <summary>
/// The broker the tests run against: <c>TEST_RABBITMQ_URI</c>, or what <c>.ci/services.sh</c> sets up. A test that
/// cannot connect fails with instructions; it never skips.
/// </summary>
internal static class RabbitMqTestBroker
{
    public const string EnvironmentVariable = "TEST_RABBITMQ_URI";

    public const string DefaultUri = "amqp://wf:wfpass@127.0.0.1:5672/";

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Uri Uri => new(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultUri);

    /// <summary>A raw client connection (as any AMQP consumer would open); fails with instructions when the broker is down.</summary>
    public static async Task<IConnection> ConnectAsync(string name = "arvo-tests (raw)")
    {
        try
        {
            return await new ConnectionFactory { Uri = Uri }.CreateConnectionAsync(name);
        }
        catch (Exception error) when (error is global::RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException)
        {
            throw new InvalidOperationException(
                $"RabbitMQ is not reachable at {Uri.Host}:{Uri.Port}: {error.Message} Start it from the repository root with " +
                $"`. .ci/services.sh` (as root; it installs RabbitMQ if missing, starts it, adds user wf/wfpass and exports " +
                $"{EnvironmentVariable}), or set {EnvironmentVariable} to a broker you can use.",
                error);
        }
    }

    /// <summary>Runs <c>rabbitmqctl</c> (stop_app, start_app, ...); throws with its output when it fails.</summary>
    public static async Task RabbitMqCtlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { WorkingDirectory = "/tmp", RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds (no fixed sleeps in assertions).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit} waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    public static ArvoEvent Event(string to, string subject, int sequence = 0, string type = "com.test.command") => ArvoEvent.Create(new ArvoEventInit
    {
        Source = "com.test.sender",
        Type = type,
        Subject = subject,
        To = to,
        Data = new Dictionary<string, object?> { ["seq"] = sequence },
    });

    public static int Sequence(ArvoEvent arvoEvent) => arvoEvent.Data.GetProperty("seq").GetInt32();
}

/// <summary>
/// One test's piece of the broker: a unique prefix, its transports, and, when disposed, the deletion of every queue and
/// exchange of that prefix for the destinations the test used.
/// </summary>
internal sealed class BrokerScope : IAsyncDisposable
{
    private readonly List<RabbitMqArvoTransport> _transports = [];
    private readonly HashSet<string> _destinations = new(StringComparer.Ordinal);

    private BrokerScope(int partitions)
    {
        Prefix = $"arvo-t-{Guid.NewGuid():N}";
        Topology = new RabbitMqTopology(Prefix, partitions);
        Logs = new FakeLogCollector();
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Debug)
            .AddProvider(new FakeLoggerProvider(Logs)));
    }

    public string Prefix { get; }

    public RabbitMqTopology Topology { get; }

    public FakeLogCollector Logs { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IConnection Raw { get; private set; } = null!;

    public static async Task<BrokerScope> CreateAsync(int partitions = 4)
    {
        var scope = new BrokerScope(partitions);
        scope.Raw = await RabbitMqTestBroker.ConnectAsync();
        return scope;
    }

    public RabbitMqTransportOptions Options(Action<RabbitMqTransportOptions>? configure = null)
    {
        var options = new RabbitMqTransportOptions
        {
            Uri = RabbitMqTestBroker.Uri,
            Prefix = Prefix,
            Partitions = Topology.Partitions,
            RebalanceInterval = TimeSpan.FromMilliseconds(100),
            RedeliveryDelay = TimeSpan.FromMilliseconds(10),
            ConnectionName = $"arvo-tests {Prefix}",
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A transport on this scope's prefix (one per simulated host), disposed with the scope.</summary>
    public RabbitMqArvoTransport Transport(Action<RabbitMqTransportOptions>? configure = null)
    {
        var transport = new RabbitMqArvoTransport(Options(configure), LoggerFactory);
        _transports.Add(transport);
        return transport;
    }

    /// <summary>Marks <paramref name="destinations"/> for deletion when the scope ends.</summary>
    public void Uses(params string[] destinations) => _destinations.UnionWith(destinations);

    /// <summary>Takes one message from a queue (raw <c>basic.get</c> with auto-ack), or null.</summary>
    public async Task<BasicGetResult?> GetAsync(string queue)
    {
        await using var channel = await RawChannelAsync();
        return await channel.BasicGetAsync(queue, autoAck: true);
    }

    /// <summary>The number of ready messages in a queue (not counting unacknowledged ones).</summary>
    public async Task<uint> MessageCountAsync(string queue)
    {
        await using var channel = await RawChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>A channel of the raw connection, connecting again if the broker restarted meanwhile.</summary>
    public async Task<IChannel> RawChannelAsync()
    {
        if (!Raw.IsOpen)
        {
            await Raw.DisposeAsync();
            Raw = await RabbitMqTestBroker.ConnectAsync();
        }

        return await Raw.CreateChannelAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync();
        }

        {
            await using var channel = await RawChannelAsync();
            foreach (var destination in _destinations)
            {
                for (var partition = 0; partition < Topology.Partitions; partition++)
                {
                    await channel.QueueDeleteAsync(Topology.PartitionQueue(destination, partition), ifUnused: false, ifEmpty: false);
                }

                await channel.QueueDeleteAsync(Topology.MembersQueue(destination), ifUnused: false, ifEmpty: false);
            }

            await channel.QueueDeleteAsync(Topology.DeadLetterQueue, ifUnused: false, ifEmpty: false);
            await channel.ExchangeDeleteAsync(Topology.EventsExchange, ifUnused: false);
            await channel.ExchangeDeleteAsync(Topology.DeadLetterExchange, ifUnused: false);
        }

        await Raw.DisposeAsync();
        LoggerFactory.Dispose();
    }
}
