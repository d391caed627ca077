using Arvo.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Arvo.Hosting.Tests.TestSupport;

/// <summary>Builds real generic hosts around AddArvo, with a fake log collector and fast retries.</summary>
internal static class TestHosts
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static IHost Build(Action<ArvoBuilder> configure, Action<IServiceCollection>? services = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddFakeLogging();
        builder.Services.AddArvo(builder.Configuration.GetSection("Arvo"), arvo =>
        {
            arvo.Configure(options =>
            {
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
                options.RetryMaxDelay = TimeSpan.FromMilliseconds(5);
                options.OutboxRelayMinimumAge = TimeSpan.Zero;
            });
            configure(arvo);
        });
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    public static FakeLogCollector Logs(this IHost host) => host.Services.GetRequiredService<FakeLogCollector>();

    /// <summary>Subscribes a listener for <paramref name="destination"/> (an initiator outside the host) on the host's transport.</summary>
    public static async Task<EventCollector> ListenAsync(this IHost host, string destination)
    {
        var collector = new EventCollector();
        var transport = host.Services.GetRequiredService<IArvoTransport>();
        collector.Subscription = await transport.SubscribeAsync(new ArvoSubscription([destination], async (message, token) =>
        {
            collector.Add(message.Event);
            await message.AckAsync(token);
        }));
        return collector;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes (no fixed sleeps in assertions).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var started = DateTime.UtcNow;
        while (!await condition())
        {
            if (DateTime.UtcNow - started > Deadline)
            {
                throw new TimeoutException($"Timed out after {Deadline} waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);
}

/// <summary>Events received by a listener subscribed on the transport.</summary>
internal sealed class EventCollector : IAsyncDisposable
{
    private readonly List<ArvoEvent> _events = [];
    private readonly Lock _gate = new();

    public IAsyncDisposable? Subscription { get; set; }

    public IReadOnlyList<ArvoEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public void Add(ArvoEvent arvoEvent)
    {
        lock (_gate)
        {
            _events.Add(arvoEvent);
        }
    }

    public async Task<ArvoEvent> WaitForAsync(string type)
    {
        await TestHosts.WaitUntilAsync(() => Events.Any(e => e.Type == type), $"an event of type {type}");
        return Events.First(e => e.Type == type);
    }

    public ValueTask DisposeAsync() => Subscription?.DisposeAsync() ?? ValueTask.CompletedTask;
}
