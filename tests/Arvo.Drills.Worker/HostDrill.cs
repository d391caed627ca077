using System.Collections.Concurrent;
using System.Diagnostics;
using Arvo.Dispatch;
using Arvo.Events;
using Arvo.Handlers;
using Arvo.Hosting;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Arvo.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Arvo.Drills.Worker;

/// <summary>
/// The <c>host</c> command: the counter system in a real generic host (<c>Host.CreateApplicationBuilder</c> +
/// <c>AddArvo</c> on a SQLite file, the default in-process <see cref="ChannelArvoTransport"/>), fed by dispatching
/// the init file through <see cref="IArvoDispatcher"/>.
/// </summary>
/// <remarks>
/// <para>Inits are dispatched by four clients at once, faster than the worker consumes, so the channel holds a
/// backlog. <c>--kill-at-init D --kill-after-done K</c>: after D inits, wait until a listener on the initiator's
/// destination has seen K <c>arvo.orc.counter.done</c> completions, start four more dispatches and SIGKILL the process
/// as soon as the first of them returns: three inits are then in the middle of their dispatch, the rest never
/// dispatched, and commands, answers, notifications and completions of other workflows are queued in the channel or
/// executing (persisted as pending, not yet consumed or not yet settled).</para>
/// <para><c>--resume</c> is the restart: the start-up relay publishes what the kill left pending; the first
/// <c>--replay N</c> inits are dispatched again and must be answered from the inbox (outcome Replayed); the inits
/// the dispatched log does not confirm are dispatched. Every run then waits until every workflow of the file is done
/// and nothing is pending or queued, stops the host and prints its counts (exit 0); 5 when the deadline passes, 4
/// when a dispatch fails or a replay was executed again.</para>
/// </remarks>
internal static class HostDrill
{
    public static async Task<int> RunAsync(DrillOptions options)
    {
        var clock = Stopwatch.StartNew();
        var inits = (await File.ReadAllLinesAsync(options.InitsPath!)).Where(line => line.Length > 0).Select(ArvoEventJson.Parse).ToList();
        var confirmed = options.Resume ? AppendOnlyLog.ReadLines(options.DispatchedLog!).ToHashSet(StringComparer.Ordinal) : [];
        using var commands = new AppendOnlyLog(options.CommandsLog!);
        using var dispatchedLog = new AppendOnlyLog(options.DispatchedLog!);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddArvo(arvo =>
        {
            arvo.UseSqliteMemory(options.Database).AddOrchestrator(orchestrator => orchestrator.Machines(CounterMachine.Create()));
            foreach (var handler in CounterHandlers.CreateAll())
            {
                arvo.AddHandler(new LoggedHandler(handler, commands));
            }

            arvo.Configure(settings =>
            {
                settings.MaxConcurrency = 4;
                settings.OutboxRelayMinimumAge = TimeSpan.FromMilliseconds(200);
                settings.OutboxRelayInterval = TimeSpan.FromMilliseconds(100);
            });
        });
        using var host = builder.Build();
        var channel = (ChannelArvoTransport)host.Services.GetRequiredService<IArvoTransport>();
        var dispatched = 0;

        // The initiator outside the workflows: subscribed before the host starts, so it also gets relayed completions.
        var done = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        await using var listener = await channel.SubscribeAsync(new ArvoSubscription([CounterWorkflows.DefaultInitiator], async (message, token) =>
        {
            if (message.Event.Type == CounterContracts.CompleteType)
            {
                done.TryAdd(message.Event.Subject, 0);
            }

            await message.AckAsync(token);
        }) { MaxConcurrency = 4 });

        await host.StartAsync(); // the start-up relay publishes what a previous run left pending
        var dispatcher = host.Services.GetRequiredService<IArvoDispatcher>();
        var outcomes = new ConcurrentDictionary<ArvoExecutionOutcome, int>();
        var failed = 0;

        foreach (var init in options.Resume ? inits.Take(options.Replay) : [])
        {
            var result = await dispatcher.DispatchAsync(init);
            if (!confirmed.Contains(init.Id) || result.Execution?.Outcome != ArvoExecutionOutcome.Replayed)
            {
                Console.Error.WriteLine($"drill invariant broken: init {init.Id} dispatched again was not answered from the inbox " +
                                        $"(confirmed by the first run: {confirmed.Contains(init.Id)}; outcome {result.Execution?.Outcome.ToString() ?? result.Failure?.Reason.ToString()})");
                return 4;
            }
        }

        // Four clients at once: dispatching outpaces the consumers, so the channel holds a backlog.
        var toDispatch = inits.Where(init => !confirmed.Contains(init.Id)).ToList();
        var beforeKill = options.KillAtInit is { } killAt ? toDispatch.Take(killAt) : toDispatch;
        await Parallel.ForEachAsync(beforeKill, new ParallelOptions { MaxDegreeOfParallelism = 4 }, (init, cancellationToken) => DispatchAsync(init, cancellationToken));
        if (options.KillAtInit is { } dispatchedBeforeKill)
        {
            // Once K workflows are done, four more clients start; the process dies as soon as the first of them has
            // its answer, the other three in the middle of their dispatch, the rest never dispatched.
            while (done.Count < options.KillAfterDone && clock.Elapsed < options.Deadline)
            {
                await Task.Delay(10);
            }

            var last = toDispatch.Skip(dispatchedBeforeKill).Take(4).Select(init => Task.Run(() => DispatchAsync(init, CancellationToken.None).AsTask())).ToList();
            await Task.WhenAny(last);
            Console.WriteLine(
                $"killing after {done.Count} workflows done: {Volatile.Read(ref dispatched)} of {inits.Count} inits dispatched and {last.Count(t => !t.IsCompleted)} in progress, " +
                $"{channel.QueuedCount} events queued in the channel, {AppendOnlyLog.ReadLines(options.CommandsLog!).Count} service executions logged");
            Console.Out.Flush();
            Process.GetCurrentProcess().Kill();
        }

        if (failed > 0)
        {
            return 4;
        }

        var memory = host.Services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>();
        var remaining = inits.Select(init => init.Subject).ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            foreach (var subject in remaining.ToList())
            {
                if ((await memory.ReadAsync(subject))?.Record is MachineMemoryStateRecord { Status: "done" })
                {
                    remaining.Remove(subject);
                }
            }

            var pending = (await memory.ReadPendingOutboxAsync(1000)).Count;
            if (remaining.Count == 0 && pending == 0 && channel.QueuedCount == 0)
            {
                break;
            }

            if (clock.Elapsed > options.Deadline)
            {
                Console.Error.WriteLine($"deadline: {remaining.Count} workflows not done, {pending} events pending, {channel.QueuedCount} queued after {clock.Elapsed}");
                return 5;
            }

            await Task.Delay(50);
        }

        await host.StopAsync();
        Console.WriteLine(
            $"{{\"inits_executed\":{outcomes.GetValueOrDefault(ArvoExecutionOutcome.Executed)},\"inits_replayed\":{outcomes.GetValueOrDefault(ArvoExecutionOutcome.Replayed) + (options.Resume ? options.Replay : 0)}," +
            $"\"completions_received\":{done.Count},\"elapsed_ms\":{clock.ElapsedMilliseconds}}}");
        return 0;

        async ValueTask DispatchAsync(ArvoEvent init, CancellationToken cancellationToken)
        {
            var result = await dispatcher.DispatchAsync(init, cancellationToken: cancellationToken);
            if (result.Execution is not { } execution)
            {
                Console.Error.WriteLine($"drill invariant broken: init {init.Id} failed: {result.Failure}");
                Interlocked.Increment(ref failed);
                return;
            }

            dispatchedLog.Append(init.Id);
            Interlocked.Increment(ref dispatched);
            outcomes.AddOrUpdate(execution.Outcome, 1, (_, count) => count + 1);
        }
    }
}
