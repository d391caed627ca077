using System.Globalization;
using System.Reflection;
using Arvo.Events;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Arvo.Samples.Distributed.Driver;
using Arvo.Samples.Distributed.Worker;

namespace Arvo.Samples.Distributed.Bench;

/// <summary>
/// <c>--bench</c>: distributed throughput with 1 and then 2 workers (no kill, after a warm-up), and in the same run the
/// raw RabbitMQ publish-confirm + consume rate for messages of the events' size; prints one line each and the ratios.
/// A counter workflow moves <see cref="MessagesPerWorkflow"/> messages through RabbitMQ.
/// </summary>
public static class DistributedBenchmark
{
    /// <summary>
    /// The RabbitMQ messages of one counter workflow: the init, the service command, its answer, the notification and
    /// the completion.
    /// </summary>
    public const int MessagesPerWorkflow = 5;

    /// <summary>Workflows each distributed run completes before its clock starts.</summary>
    public const int Warmup = 500;

    /// <summary>Runs the benchmark and prints its lines.</summary>
    /// <param name="options">The options (<see cref="DistributedOptions.Workflows"/> per distributed run).</param>
    /// <param name="cancellationToken">Cancels the benchmark.</param>
    /// <returns>0 when both distributed runs completed every workflow exactly once, else 1.</returns>
    public static async Task<int> RunAsync(DistributedOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = typeof(DistributedBenchmark).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "?";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: {options.Workflows} workflows per run (+{Warmup} warm-up), concurrency {options.Concurrency} per worker, " +
            $"{Environment.ProcessorCount} processors, {configuration} build{(configuration == "Release" ? "" : " (use -c Release for figures)")}"));

        var reports = new List<DistributedReport>();
        foreach (var workers in new[] { 1, 2 })
        {
            var report = await DistributedDriver.RunAsync(options, workers, kill: false, Warmup, cancellationToken).ConfigureAwait(false);
            Console.WriteLine(report.ToLine());
            reports.Add(report);
        }

        var size = await MeasureMessageSizeAsync(cancellationToken).ConfigureAwait(false);
        var raw = await RawRabbitMqBaseline.RunAsync(
            options.RabbitMq,
            DistributedRun.New().RabbitMqPrefix,
            new RawRabbitMqSettings(options.Workflows * MessagesPerWorkflow, size, DistributedDriver.PublishConcurrency, DistributedWorker.Partitions, DistributedWorker.Prefetch),
            cancellationToken).ConfigureAwait(false);
        Console.WriteLine(raw.ToLine());

        var ratios = string.Join(", ", reports.Select(report => string.Create(CultureInfo.InvariantCulture,
            $"{report.Workers} worker{(report.Workers == 1 ? "" : "s")} {report.WorkflowsPerSecond * MessagesPerWorkflow:0}/s = {report.WorkflowsPerSecond * MessagesPerWorkflow / raw.MessagesPerSecond:0.00}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio (workflow messages/s ÷ raw messages/s, {MessagesPerWorkflow} messages per workflow): {ratios}"));
        return reports.All(report => report.Passed) ? 0 : 1;
    }

    /// <summary>
    /// The average size of a counter workflow's <see cref="MessagesPerWorkflow"/> events as the transport sends them
    /// (structured CloudEvents JSON), from one workflow run in process.
    /// </summary>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>Bytes per message, rounded.</returns>
    public static async Task<int> MeasureMessageSizeAsync(CancellationToken cancellationToken = default)
    {
        var init = CounterWorkflows.CreateInit("increment", 5000, DistributedRun.Initiator);
        var events = new List<ArvoEvent> { init };
        var router = new CounterRouter([CounterOrchestrator.Create(new SimpleMachineMemory<MachineMemoryRecord>()), .. CounterHandlers.CreateAll()]);
        await router.RunAsync(init, events.Add, cancellationToken).ConfigureAwait(false);
        if (events.Count != MessagesPerWorkflow)
        {
            throw new InvalidOperationException($"Expected {MessagesPerWorkflow} events per counter workflow but counted {events.Count}.");
        }

        return (int)Math.Round(events.Average(e => ArvoEventJson.SerializeToUtf8Bytes(e).Length));
    }
}
