using System.Diagnostics;
using System.Globalization;
using Arvo.Hosting;
using Arvo.Samples.Counter;
using Arvo.Samples.Distributed.Worker;
using Arvo.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Arvo.Samples.Distributed.Driver;

/// <summary>
/// One run: start the worker processes, publish the init events of N counter workflows to RabbitMQ, watch the
/// workflows finish in PostgreSQL (killing one worker with SIGKILL halfway and starting it again), stop the workers,
/// check every workflow and every service command, drop the run's tables and queues.
/// </summary>
public static class DistributedDriver
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How many init events the driver publishes at the same time.</summary>
    public const int PublishConcurrency = 16;

    /// <summary>Runs <paramref name="workers"/> workers over <see cref="DistributedOptions.Workflows"/> workflows.</summary>
    /// <param name="options">The options.</param>
    /// <param name="workers">How many worker processes (the benchmark overrides <see cref="DistributedOptions.Workers"/>).</param>
    /// <param name="kill">Whether to kill worker 1 halfway and start it again.</param>
    /// <param name="warmup">
    /// Workflows run to completion before the clock starts (the benchmark's JIT warm-up); they are checked like the
    /// others but not timed.
    /// </param>
    /// <param name="cancellationToken">Cancels the run (the workers are killed, the run's tables and queues dropped).</param>
    /// <returns>The report.</returns>
    /// <exception cref="DistributedInfrastructureException">PostgreSQL or RabbitMQ is unreachable, or a worker failed.</exception>
    public static async Task<DistributedReport> RunAsync(DistributedOptions options, int workers, bool kill, int warmup = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var run = DistributedRun.New();
        await using var dataSource = await OpenDatabaseAsync(options, cancellationToken).ConfigureAwait(false);
        await RunBroker.CheckReachableAsync(options.RabbitMq, cancellationToken).ConfigureAwait(false);
        var database = new RunDatabase(dataSource, run);
        var processes = new List<WorkerProcess>();
        IHost? publisher = null;
        try
        {
            await database.Commands.CreateAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 1; i <= workers; i++)
            {
                processes.Add(WorkerProcess.Start(WorkerName(i), run, options));
            }

            await Task.WhenAll(processes.Select(worker => worker.WaitReadyAsync(ReadyTimeout))).ConfigureAwait(false);

            publisher = await StartPublisherAsync(options, run, cancellationToken).ConfigureAwait(false);
            var transport = publisher.Services.GetRequiredService<IArvoTransport>();
            var (inits, expected) = CreateWorkflows(warmup + options.Workflows);

            // The workflows' completions come back to the driver (their initiator) over RabbitMQ.
            var completions = new CompletionInbox();
            var subscription = await transport.SubscribeAsync(
                new ArvoSubscription([DistributedRun.Initiator], completions.OnMessageAsync) { MaxConcurrency = PublishConcurrency },
                cancellationToken).ConfigureAwait(false);

            var watcher = new Watcher(options, run, database, completions, processes);
            using var stopPublishing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watch = new WatchResult(null, TimedOut: false);
            if (warmup > 0)
            {
                var warming = Publish(transport, inits[..warmup], stopPublishing.Token);
                watch = await watcher.WaitAsync(warmup, killAt: null, warming, cancellationToken).ConfigureAwait(false);
                await ObservePublishingAsync(warming, watch.TimedOut).ConfigureAwait(false);
            }

            var clock = Stopwatch.StartNew();
            var publishing = watch.TimedOut ? Task.CompletedTask : Publish(transport, inits[warmup..], stopPublishing.Token);
            if (!watch.TimedOut)
            {
                watch = await watcher.WaitAsync(inits.Length, kill ? warmup + (options.Workflows / 2) : null, publishing, cancellationToken).ConfigureAwait(false);
            }

            var elapsed = clock.Elapsed;
            await stopPublishing.CancelAsync().ConfigureAwait(false);
            await ObservePublishingAsync(publishing, watch.TimedOut).ConfigureAwait(false);

            // Stopped before counting, so that every execution (late redeliveries included) is in the log.
            await Task.WhenAll(processes.Select(worker => worker.StopAsync(StopTimeout))).ConfigureAwait(false);
            await subscription.DisposeAsync().ConfigureAwait(false);
            await publisher.StopAsync(CancellationToken.None).ConfigureAwait(false);
            var deadLetters = await RunBroker.CountDeadLettersAsync(options.RabbitMq, run, DistributedWorker.Partitions, cancellationToken).ConfigureAwait(false);
            return await VerifyAsync(
                database,
                completions,
                expected,
                watch with { Elapsed = elapsed, Workers = workers, DeadLetters = deadLetters, Warmup = warmup },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var worker in processes)
            {
                worker.Dispose();
            }

            if (publisher is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }

            if (!options.Keep)
            {
                await CleanUpAsync(database, options, run).ConfigureAwait(false);
            }
            else
            {
                await Console.Error.WriteLineAsync(
                    $"kept: tables {run.TablePrefix}*, RabbitMQ prefix {run.RabbitMqPrefix} (drop them with --clean {run.Id})").ConfigureAwait(false);
            }
        }
    }

    /// <summary>The init events of <paramref name="count"/> workflows and each one's expected output, by subject.</summary>
    /// <param name="count">How many workflows.</param>
    /// <returns>
    /// Workflow <c>i</c> (from 0) increments by <c>i + 1</c> when <c>i</c> is even and decrements by <c>i + 1</c>
    /// otherwise; its expected output is <c>{"final":i+1}</c> or <c>{"final":-(i+1)}</c>, as JSON text.
    /// </returns>
    public static (ArvoEvent[] Inits, Dictionary<string, string> Expected) CreateWorkflows(int count)
    {
        var inits = new ArvoEvent[count];
        var expected = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var increment = i % 2 == 0;
            var delta = i + 1;
            inits[i] = CounterWorkflows.CreateInit(increment ? "increment" : "decrement", delta, DistributedRun.Initiator);
            expected[inits[i].Subject] = string.Create(CultureInfo.InvariantCulture, $"{{\"final\":{(increment ? delta : -delta)}}}");
        }

        return (inits, expected);
    }

    private static string WorkerName(int index) => string.Create(CultureInfo.InvariantCulture, $"worker{index}");

    private static async Task<NpgsqlDataSource> OpenDatabaseAsync(DistributedOptions options, CancellationToken cancellationToken)
    {
        var dataSource = NpgsqlDataSource.Create(options.PostgreSql);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return dataSource;
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            var target = new NpgsqlConnectionStringBuilder(options.PostgreSql);
            throw new DistributedInfrastructureException(
                $"PostgreSQL is not reachable at {target.Host}:{target.Port} (database '{target.Database}', user '{target.Username}'): {error.Message} " +
                $"Start it with `. .ci/services.sh` (as root) or set {DistributedOptions.PostgreSqlVariable}.",
                error);
        }
    }

    /// <summary>The driver's own Arvo host: the RabbitMQ transport only (no handlers, no worker), to publish the inits.</summary>
    private static async Task<IHost> StartPublisherAsync(DistributedOptions options, DistributedRun run, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddArvo(arvo => arvo
            .UseRabbitMqTransport(rabbit =>
            {
                rabbit.Uri = options.RabbitMq;
                rabbit.Partitions = DistributedWorker.Partitions;
                rabbit.Prefix = run.RabbitMqPrefix;
                rabbit.Prefetch = DistributedWorker.Prefetch;
            })
            .Configure(host => host.RunWorker = false));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await ((IAsyncDisposable)host).DisposeAsync().ConfigureAwait(false);
            throw new DistributedInfrastructureException($"The driver's Arvo host did not start: {error.Message}", error);
        }
    }

    private static Task Publish(IArvoTransport transport, ArvoEvent[] inits, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            inits,
            new ParallelOptions { MaxDegreeOfParallelism = PublishConcurrency, CancellationToken = cancellationToken },
            (init, token) => transport.PublishAsync(init, token));

    private static async Task ObservePublishingAsync(Task publishing, bool timedOut)
    {
        try
        {
            await publishing.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timedOut)
        {
            // Stopped by the time-out; the report counts what did not complete.
        }
    }

    private static async Task<DistributedReport> VerifyAsync(
        RunDatabase database,
        CompletionInbox completions,
        Dictionary<string, string> expected,
        WatchResult watch,
        CancellationToken cancellationToken)
    {
        var records = await database.ReadWorkflowsAsync(cancellationToken).ConfigureAwait(false);
        var steps = await database.ReadStepsAsync(cancellationToken).ConfigureAwait(false);
        var notified = new HashSet<string>(
            steps.Where(step => step.Type == CounterContracts.NotificationType).Select(step => step.Subject), StringComparer.Ordinal);

        int completed = 0, wrongOutput = 0, reapplied = 0;
        foreach (var (subject, output) in expected)
        {
            if (!records.TryGetValue(subject, out var record))
            {
                continue;
            }

            if (record.Version > 2)
            {
                reapplied++;
            }

            if (record.Status != "done")
            {
                continue;
            }

            if (record.Output != output)
            {
                wrongOutput++;
                continue;
            }

            if (notified.Contains(subject) && completions.TryGet(subject, out var received) && received == output)
            {
                completed++;
            }
        }

        return new DistributedReport
        {
            Workflows = expected.Count,
            Completed = completed,
            Duplicated = steps.Sum(step => step.DistinctIds - 1),
            Redelivered = steps.Sum(step => step.Executions - step.DistinctIds),
            WrongOutput = wrongOutput,
            Reapplied = reapplied,
            Elapsed = watch.Elapsed,
            Workers = watch.Workers,
            DeadLetters = watch.DeadLetters,
            Warmup = watch.Warmup,
            Killed = watch.Killed,
            TimedOut = watch.TimedOut,
        };
    }

    /// <summary>Drops the tables and deletes the queues and exchanges of a run kept with <c>--keep</c>.</summary>
    /// <param name="options">The options (connections).</param>
    /// <param name="run">The kept run.</param>
    /// <param name="cancellationToken">Cancels the clean-up.</param>
    /// <returns>A task.</returns>
    /// <exception cref="DistributedInfrastructureException">PostgreSQL or RabbitMQ is unreachable.</exception>
    public static async Task CleanAsync(DistributedOptions options, DistributedRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var dataSource = await OpenDatabaseAsync(options, cancellationToken).ConfigureAwait(false);
        await RunBroker.CheckReachableAsync(options.RabbitMq, cancellationToken).ConfigureAwait(false);
        await CleanUpAsync(new RunDatabase(dataSource, run), options, run).ConfigureAwait(false);
    }

    private static async Task CleanUpAsync(RunDatabase database, DistributedOptions options, DistributedRun run)
    {
        try
        {
            await database.DropAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"clean-up: could not drop the tables {run.TablePrefix}*: {error.Message}").ConfigureAwait(false);
        }

        try
        {
            await RunBroker.DeleteAsync(options.RabbitMq, run, DistributedWorker.Partitions).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"clean-up: could not delete the RabbitMQ entities of {run.RabbitMqPrefix}: {error.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls PostgreSQL and the completion inbox until a number of workflows completed, kills and restarts worker 1 once
    /// when asked, and fails loudly on a worker that exited, a failed publish, a stall or the time limit.
    /// </summary>
    private sealed class Watcher(DistributedOptions options, DistributedRun run, RunDatabase database, CompletionInbox completions, List<WorkerProcess> processes)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private string? _killed;
        private Task _restarted = Task.CompletedTask;

        public async Task<WatchResult> WaitAsync(int target, int? killAt, Task publishing, CancellationToken cancellationToken)
        {
            var lastCompleted = -1;
            var lastProgressAt = _clock.Elapsed;
            using var timer = new PeriodicTimer(PollInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (publishing.IsFaulted)
                {
                    await publishing.ConfigureAwait(false); // throws the publish failure
                }

                if (_restarted.IsFaulted)
                {
                    await _restarted.ConfigureAwait(false); // throws why the restarted worker never became ready
                }

                foreach (var worker in processes)
                {
                    if (worker.HasExited)
                    {
                        throw new DistributedInfrastructureException($"{worker.Name} exited unexpectedly. Its last output:{Environment.NewLine}{worker.RecentOutput}");
                    }
                }

                var (finished, notified) = await database.ProgressAsync(cancellationToken).ConfigureAwait(false);
                var completed = Math.Min(Math.Min(finished, notified), completions.Count);
                if (killAt is { } threshold && _killed is null && finished >= threshold)
                {
                    KillAndRestart(finished);
                }

                if (completed >= target)
                {
                    return new WatchResult(_killed, TimedOut: false);
                }

                if (completed != lastCompleted)
                {
                    lastCompleted = completed;
                    lastProgressAt = _clock.Elapsed;
                }
                else if (_clock.Elapsed - lastProgressAt > options.StallTimeout)
                {
                    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"stalled: no workflow completed for {options.StallTimeout.TotalSeconds:0} s ({completed}/{target} completed)")).ConfigureAwait(false);
                    return new WatchResult(_killed, TimedOut: true);
                }

                if (_clock.Elapsed > options.EffectiveTimeout)
                {
                    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"timed out after {options.EffectiveTimeout.TotalSeconds:0} s ({completed}/{target} completed)")).ConfigureAwait(false);
                    return new WatchResult(_killed, TimedOut: true);
                }
            }

            throw new OperationCanceledException(cancellationToken);
        }

        /// <summary>
        /// SIGKILL mid-flight: the broker puts the worker's unacknowledged deliveries back in their queues and a
        /// survivor takes over its partitions; events it persisted but never published wait in the outbox for a relay.
        /// Then the same worker starts again.
        /// </summary>
        private void KillAndRestart(int finished)
        {
            var victim = processes[0];
            victim.Kill();
            _killed = string.Create(CultureInfo.InvariantCulture, $"{victim.Name}@{finished}");
            victim.Dispose();
            var replacement = WorkerProcess.Start(victim.Name, run, options);
            processes[0] = replacement;
            _restarted = replacement.WaitReadyAsync(ReadyTimeout);
        }
    }

    private sealed record WatchResult(string? Killed, bool TimedOut)
    {
        public TimeSpan Elapsed { get; init; }

        public int Workers { get; init; }

        public uint DeadLetters { get; init; }

        public int Warmup { get; init; }
    }
}
