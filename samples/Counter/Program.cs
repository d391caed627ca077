// The counter system of the Arvo seed, end to end through the in-process broker:
//   client --arvo.orc.counter--> orchestrator --com.number.increment|decrement--> service
//   service --evt.number.*.success | sys.com.number.*.error--> orchestrator
//   orchestrator --notif.number.update--> notification, --arvo.orc.counter.done--> client
// The workflow runs twice: as a state machine (ArvoOrchestrator) and as a function (ArvoResumable).
// Run: dotnet run --project samples/Counter                                  (in memory)
//      dotnet run --project samples/Counter -- --memory sqlite [--db counter.db]   (durable: a second run shows the first's workflows)
using Arvo;
using Arvo.Broker;
using Arvo.Memory;
using Arvo.Memory.Sqlite;
using Arvo.Resumable;
using Arvo.Samples.Counter;

var durable = args.Length >= 2 && args[0] == "--memory" && args[1] == "sqlite";
if (args.Length >= 2 && args[0] == "--memory" && args[1] is not ("sqlite" or "simple"))
{
    Console.Error.WriteLine($"unknown --memory '{args[1]}': expected simple or sqlite");
    return 2;
}

var databasePath = args.Length >= 4 && args[2] == "--db" ? args[3] : "counter.db";
await using var machineStore = durable ? new SqliteMachineMemory<MachineMemoryRecord>(SqliteMachineMemoryOptions.ForFile(databasePath) with { TablePrefix = "machine_" }) : null;
await using var resumableStore = durable ? new SqliteMachineMemory<ArvoResumableState>(SqliteMachineMemoryOptions.ForFile(databasePath) with { TablePrefix = "resumable_" }) : null;
IMachineMemory<MachineMemoryRecord> machineMemory = machineStore ?? (IMachineMemory<MachineMemoryRecord>)new SimpleMachineMemory<MachineMemoryRecord>();
IMachineMemory<ArvoResumableState> resumableMemory = resumableStore ?? (IMachineMemory<ArvoResumableState>)new SimpleMachineMemory<ArvoResumableState>();
if (machineStore is not null && resumableStore is not null)
{
    Console.WriteLine($"#### Stored in {databasePath} before this run");
    Console.WriteLine();
    await PrintStoredAsync(machineStore, "machine", entry => entry is MachineMemoryStateRecord state ? state.Status : "failure");
    await PrintStoredAsync(resumableStore, "resumable", entry => entry.IsFailure ? "failure" : entry.Status ?? "?");
    Console.WriteLine();
}

var errors = new List<string>();
var options = new SimpleEventBrokerOptions { RecordCapacity = 100, OnError = (error, evt) => errors.Add($"{evt.Type}: {error.Message}") };
var workflows = new (string Title, string Type, double Delta)[]
{
    ("increment 5", "increment", 5),
    ("decrement 3", "decrement", 3),
    ("increment 1e300 (the service overflows and fails)", "increment", 1e300),
};

// The same workflow in two styles, side by side: a state machine (ArvoOrchestrator) and a function (ArvoResumable).
var exitCode = 0;
Console.WriteLine("#### Machine (ArvoOrchestrator)");
Console.WriteLine();
exitCode |= await RunAsync(SimpleEventBroker.Create(
    [CounterOrchestrator.Create(machineMemory), .. CounterHandlers.CreateAll()], options), machineMemory);
Console.WriteLine("#### Resumable (ArvoResumable)");
Console.WriteLine();
exitCode |= await RunAsync(SimpleEventBroker.Create(
    [CounterResumable.Create(resumableMemory), .. CounterHandlers.CreateAll()], options), resumableMemory);

foreach (var error in errors)
{
    Console.WriteLine($"broker error: {error}");
    exitCode = 1;
}

return exitCode;

async Task<int> RunAsync(SimpleEventBroker broker, IMachineMemoryOutbox outbox)
{
    // Events a crashed earlier run persisted but never published are published first (none after a clean run);
    // the answers of those workflows reach the client here.
    var recovered = new List<ArvoEvent>();
    int republished;
    using (broker.Subscribe(CounterWorkflows.DefaultInitiator, (evt, _) =>
    {
        recovered.Add(evt);
        return ValueTask.CompletedTask;
    }))
    {
        republished = await new ArvoOutboxRelay(outbox, broker.PublishAsync).RelayPendingAsync();
    }

    if (republished > 0)
    {
        Console.WriteLine($"== republished {republished} pending events left by an earlier run");
        foreach (var answer in recovered)
        {
            Console.WriteLine($"  recovered [{CounterWorkflows.ShortSubject(answer.Subject)}]: {answer.Type} {answer.Data.GetRawText()}");
        }

        Console.WriteLine();
    }

    var failed = 0;
    foreach (var (title, type, delta) in workflows)
    {
        Console.WriteLine($"== {title}");
        var before = broker.RecordedEvents.Count;
        var init = CounterWorkflows.CreateInit(type, delta);
        var answer = await broker.ResolveAsync(init);
        foreach (var evt in broker.RecordedEvents.Skip(before))
        {
            var route = $"{evt.Source} → {evt.To}";
            var data = evt.GetSystemErrorData() is { } error ? $"{error.ErrorName}: {error.ErrorMessage}" : evt.Data.GetRawText();
            Console.WriteLine($"  {evt.Type,-31} {route,-45} [{CounterWorkflows.ShortSubject(evt.Subject)}] {data}");
        }

        if (answer is null)
        {
            Console.WriteLine("  result: no answer reached the initiator");
            failed = 1;
        }
        else if (answer.Type == CounterContracts.CompleteType)
        {
            Console.WriteLine($"  result: {answer.Type} final = {CounterWorkflows.GetFinal(answer)}");
        }
        else
        {
            Console.WriteLine($"  result: {answer.Type} {answer.Data.GetRawText()}");
        }

        Console.WriteLine();
    }

    return failed;
}

static async Task PrintStoredAsync<T>(SqliteMachineMemory<T> store, string style, Func<T, string> status)
    where T : class
{
    var ids = await store.ListIdsAsync(1000);
    Console.WriteLine($"  {style} workflows: {ids.Count}");
    foreach (var id in ids)
    {
        var entry = await store.ReadAsync(id);
        Console.WriteLine($"    [{CounterWorkflows.ShortSubject(id)}] {status(entry!.Record)} (version {entry.Version})");
    }
}
