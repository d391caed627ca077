using System.Diagnostics;
using Arvo.Dispatch;
using Arvo.Hosting;
using Arvo.Memory;
using Arvo.Orchestration;
using Arvo.Samples.Counter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Arvo.OpenTelemetry.Tests.TestSupport;

/// <summary>
/// A real generic host running the counter system (its orchestrator and three handlers) on the in-process transport,
/// with OpenTelemetry tracing and metrics exported to memory and the logs collected.
/// </summary>
internal sealed class CounterHost : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly IHost _host;

    private CounterHost(IHost host, List<Activity> spans, List<MetricSnapshot> metrics)
    {
        _host = host;
        Spans = spans;
        Metrics = metrics;
    }

    /// <summary>The exported spans (every span of the process on Arvo's source while the host runs).</summary>
    public List<Activity> Spans { get; }

    /// <summary>The exported metric snapshots; <see cref="FlushMetrics"/> refreshes them.</summary>
    public List<MetricSnapshot> Metrics { get; }

    public IServiceProvider Services => _host.Services;

    public IArvoDispatcher Dispatcher => Services.GetRequiredService<IArvoDispatcher>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    /// <summary>Starts the host.</summary>
    /// <param name="configureOrchestrator">Changes the counter orchestrator's settings.</param>
    /// <param name="configure">Changes the Arvo host (memory, handlers, settings) after the counter system is added.</param>
    public static async Task<CounterHost> StartAsync(
        Action<ArvoOrchestratorBuilder>? configureOrchestrator = null,
        Action<ArvoBuilder>? configure = null)
    {
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFakeLogging(options => options.CollectRecordsForDisabledLogLevels = false);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddArvo(arvo =>
        {
            foreach (var handler in CounterHandlers.CreateAll())
            {
                arvo.AddHandler(handler);
            }

            arvo.AddOrchestrator(orchestrator =>
            {
                orchestrator.Machines(CounterMachine.Create());
                configureOrchestrator?.Invoke(orchestrator);
            });
            arvo.Configure(options => options.RetryBaseDelay = TimeSpan.FromMilliseconds(1));
            configure?.Invoke(arvo);
        });
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddArvoInstrumentation().AddInMemoryExporter(spans))
            .WithMetrics(meters => meters.AddArvoInstrumentation().AddInMemoryExporter(metrics));
        var host = builder.Build();
        await host.StartAsync();
        return new CounterHost(host, spans, metrics);
    }

    /// <summary>
    /// Waits (polling, up to a deadline) until the workflow of <paramref name="subject"/> is stored as done and no
    /// outbox event is pending: every event it emitted was consumed, so every dispatch of the workflow has finished.
    /// </summary>
    public async Task<MachineMemoryStateRecord> WaitUntilDoneAsync(string subject)
    {
        var memory = Services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var entry = await memory.ReadAsync(subject);
            if (entry?.Record is MachineMemoryStateRecord { Status: "done" } done && (await memory.ReadPendingOutboxAsync(100)).Count == 0)
            {
                return done;
            }

            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"The workflow {subject} is not done after {Deadline}: {entry?.Record}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
    }

    /// <summary>Ends every span in flight into the exporter.</summary>
    public void FlushSpans() => Services.GetRequiredService<TracerProvider>().ForceFlush().Should().BeTrue();

    /// <summary>Replaces <see cref="Metrics"/> with one fresh snapshot per metric (cumulative since the host started).</summary>
    public IReadOnlyList<MetricSnapshot> FlushMetrics()
    {
        Metrics.Clear();
        Services.GetRequiredService<MeterProvider>().ForceFlush().Should().BeTrue();
        return [.. Metrics];
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
