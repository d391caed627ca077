// The counter system of the Arvo seed, end to end through the in-process broker:
//   client --arvo.orc.counter--> orchestrator --com.number.increment|decrement--> service
//   service --evt.number.*.success | sys.com.number.*.error--> orchestrator
//   orchestrator --notif.number.update--> notification, --arvo.orc.counter.done--> client
// The workflow runs twice: as a state machine (ArvoOrchestrator) and as a function (ArvoResumable).
// Run: dotnet run --project samples/Counter
using Arvo;
using Arvo.Samples.Counter;

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
    [CounterOrchestrator.Create(new SimpleMachineMemory<MachineMemoryRecord>()), .. CounterHandlers.CreateAll()], options));
Console.WriteLine("#### Resumable (ArvoResumable)");
Console.WriteLine();
exitCode |= await RunAsync(SimpleEventBroker.Create(
    [CounterResumable.Create(new SimpleMachineMemory<ArvoResumableState>()), .. CounterHandlers.CreateAll()], options));

foreach (var error in errors)
{
    Console.WriteLine($"broker error: {error}");
    exitCode = 1;
}

return exitCode;

async Task<int> RunAsync(SimpleEventBroker broker)
{
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
            var data = evt.Type.StartsWith("sys.", StringComparison.Ordinal)
                ? $"{evt.Data.GetProperty("errorName").GetString()}: {evt.Data.GetProperty("errorMessage").GetString()}"
                : evt.Data.GetRawText();
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
