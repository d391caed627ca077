// A worker process for the crash drills: it runs counter workflows against a durable store, using the store's outbox
// as its (at-least-once) queue, so that a kill -9 at any point can be followed by a restart that finishes the work.
//
//   dotnet Arvo.Drills.Worker.dll --memory sqlite|postgres --db <file | connection string> [--schema S]
//                                 --inits inits.jsonl [--crash-after N] [--redeliver] [--lease-ttl-ms T]
//   dotnet Arvo.Drills.Worker.dll hold-lease --memory ... --db ... [--schema S] --subject X --lease-ttl-ms T
//   dotnet Arvo.Drills.Worker.dll host --memory sqlite --db <file> --inits inits.jsonl --commands <log> --dispatched <log>
//                                 [--kill-at-init D --kill-after-done K] [--resume] [--replay N] [--deadline-s S]
//
// Work loop: execute every init of the file (a re-run is answered from the inbox), then repeatedly take pending
// outbox events: a command goes to its handler and the handler's answer to the orchestrator (which writes its new
// state and events in one transaction); then the taken event is marked published. --crash-after N kills this
// process with SIGKILL right after the N-th answer was persisted and before its events were marked published.
// --redeliver executes every event twice and checks that the second execution returns the same events.
// The worker exits 0 when it has seen no pending event for a second.
// host runs the hosted worker instead (Arvo.Hosting in a generic host, in-process transport): see HostDrill.
using System.Diagnostics;
using Arvo;
using Arvo.Drills.Worker;
using Arvo.Events;
using Arvo.Memory;
using Arvo.Samples.Counter;

var options = DrillOptions.Parse(args);
if (options.Command == "host")
{
    return options.Memory == "sqlite" ? await HostDrill.RunAsync(options) : throw new ArgumentException("host runs on --memory sqlite");
}

await using var store = await DrillStore.OpenAsync(options);
var memory = store.Memory;

if (options.Command == "hold-lease")
{
    // Takes the lease and dies holding it: the drill's "holder that dies with the lease held".
    var owner = MachineMemoryLockToken.NewToken();
    if (!await memory.LockAsync(options.Subject!, owner))
    {
        Console.Error.WriteLine("lease already held");
        return 2;
    }

    Console.WriteLine("lease held");
    Console.Out.Flush();
    Process.GetCurrentProcess().Kill();
    return 3;
}

var orchestrator = ArvoOrchestrator.CreateBuilder()
    .Memory(memory)
    .ExecutionUnits(1)
    .Machines(CounterMachine.Create())
    .RequiresResourceLocking(options.Locking)
    .Build();
var handlers = CounterHandlers.CreateAll().ToDictionary(h => h.Source, h => (IArvoEventHandler)h, StringComparer.Ordinal);
var persistedAnswers = 0;
var stats = new DrillStats();

foreach (var line in await File.ReadAllLinesAsync(options.InitsPath!))
{
    if (line.Length > 0)
    {
        await ExecuteWithRetryAsync(ArvoEventJson.Parse(line));
    }
}

var idleSince = Stopwatch.StartNew();
while (idleSince.Elapsed < TimeSpan.FromSeconds(1))
{
    var batch = await memory.ReadPendingOutboxAsync(64);
    if (batch.Count == 0)
    {
        await Task.Delay(20);
        continue;
    }

    idleSince.Restart();
    foreach (var entry in batch)
    {
        var evt = entry.Event;
        if (evt.To is { } to && handlers.TryGetValue(to, out var handler))
        {
            stats.HandlerDeliveries++;
            var answers = (await handler.ExecuteAsync(evt)).All;
            if (options.Redeliver)
            {
                var again = (await handler.ExecuteAsync(evt)).All;
                Require(again.Select(e => e.Id).SequenceEqual(answers.Select(e => e.Id)), $"handler answered a redelivered {evt.Type} under other ids");
            }

            foreach (var answer in answers)
            {
                if (answer.To == orchestrator.Source)
                {
                    var emitted = await ExecuteWithRetryAsync(answer);
                    if (options.Redeliver)
                    {
                        var again = await ExecuteWithRetryAsync(answer);
                        Require(again.Select(e => e.Id).SequenceEqual(emitted.Select(e => e.Id)), $"orchestrator answered a redelivered {answer.Type} differently");
                    }

                    if (++persistedAnswers == options.CrashAfter)
                    {
                        // Persisted, not yet marked published: the window the outbox exists for.
                        Console.WriteLine($"crashing after {persistedAnswers} persisted answers");
                        Console.Out.Flush();
                        Process.GetCurrentProcess().Kill();
                    }
                }
            }
        }

        await memory.MarkPublishedAsync(entry.WorkflowId, [evt.Id]);
    }

    // Idle time counts from the end of the last batch: a slow batch is not an idle second.
    idleSince.Restart();
}

Console.WriteLine($"{{\"handler_deliveries\":{stats.HandlerDeliveries},\"lock_retries\":{stats.Retries}}}");
return 0;

async Task<IReadOnlyList<ArvoEvent>> ExecuteWithRetryAsync(ArvoEvent evt)
{
    while (true)
    {
        try
        {
            return (await orchestrator.ExecuteAsync(evt)).All;
        }
        catch (TransactionViolation violation) when (violation.Cause is TransactionViolationCause.LockUnacquired or TransactionViolationCause.WriteMachineMemoryFailure or TransactionViolationCause.ExecutionTimeout)
        {
            // Another worker holds the lease or wrote first: redeliver shortly, as a broker would.
            stats.Retries++;
            await Task.Delay(Random.Shared.Next(1, 10));
        }
    }
}

static void Require(bool condition, string message)
{
    if (!condition)
    {
        Console.Error.WriteLine("drill invariant broken: " + message);
        Environment.Exit(4);
    }
}
