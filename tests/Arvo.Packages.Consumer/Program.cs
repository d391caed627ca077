// A host service built against the Arvo packages only (PackageReference, no project reference): it runs each package's
// README example and the counter workflow of samples/Counter end to end (SimpleEventBroker, a SQLite file store),
// then reopens the file. tests/Arvo.Drills.Tests/Build/PackageConsumerTests.cs packs the solution, builds this
// project against the packages and compares what it prints, line for line.
using Arvo;
using Arvo.Broker;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Memory;
using Arvo.Memory.PostgreSql;
using Arvo.Memory.Sqlite;
using Arvo.Packages.Consumer.Counter;
using Arvo.Packages.Consumer.Readme;
using Npgsql;

// Each package's README example (Arvo.Memory.PostgreSql's and Arvo.Transport.RabbitMQ's need servers: their store and
// host are only created here).
var (increment, command, json) = CoreExample.Run();
Console.WriteLine($"Arvo.Core: {command.Type} {command.Data.GetRawText()}, JSON round trip equal: {ArvoEventJson.Parse(json).Equals(command)}");
var answer = await OrchestrationExample.RunAsync(increment, command);
Console.WriteLine($"Arvo.Orchestration: {answer?.Type} {answer?.Data.GetRawText()}");
foreach (var row in IncrementHandlerTests.Cases)
{
    await new IncrementHandlerTests().Suite_Case_Passes((string)row[0]);
    Console.WriteLine($"Arvo.Testing: case '{row[0]}' passed");
}

var lockTimeToLive = await SqliteExample.RunAsync();
Console.WriteLine($"Arvo.Memory.Sqlite: arvo.db created: {File.Exists("arvo.db")}, lease {lockTimeToLive.TotalSeconds} s");
await using (var dataSource = NpgsqlDataSource.Create("Host=localhost;Database=unused"))
{
    var postgres = new PostgreSqlMachineMemory<MachineMemoryRecord>(dataSource, new PostgreSqlMachineMemoryOptions { Schema = "arvo" });
    Console.WriteLine($"Arvo.Memory.PostgreSql: store over schema {postgres.Options.Schema}, tables {postgres.Options.TablePrefix}*");
}

Console.WriteLine($"Arvo.Hosting: {await HostingExample.RunAsync()}");
Console.WriteLine($"Arvo.Transport.RabbitMQ: {RabbitMqExample.Run()}");

// The counter workflow, end to end: orchestrator, services and a notification sink on the in-process broker.
File.Delete("counter.db");
var errors = new List<string>();
await using (var store = new SqliteMachineMemory<MachineMemoryRecord>(SqliteMachineMemoryOptions.ForFile("counter.db")))
{
    var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(store).ExecutionUnits(1).Machines(CounterMachine.Create()).Build();
    var broker = SimpleEventBroker.Create(
        [orchestrator, .. CounterHandlers.CreateAll()],
        new SimpleEventBrokerOptions { OnError = (error, evt) => errors.Add($"{evt.Type}: {error.Message}") });
    var factory = new ArvoOrchestratorEventFactory(CounterContracts.Orchestrator.Version(CounterContracts.Version));
    foreach (var (type, delta) in new[] { ("increment", 5.0), ("decrement", 3.0), ("increment", 1e300) })
    {
        var init = factory.Init(new ArvoEventEnvelope { Source = "com.demo.host" }, new { delta, type });
        var done = await broker.ResolveAsync(init);
        Console.WriteLine($"counter {type} {delta}: {done?.Type ?? "no answer"} {done?.Data.GetRawText()}");
    }
}

// The workflows outlive the store: a new one over the same file reads them back, with nothing left in the outbox.
await using (var reopened = new SqliteMachineMemory<MachineMemoryRecord>(SqliteMachineMemoryOptions.ForFile("counter.db")))
{
    var statuses = new List<string>();
    foreach (var id in await reopened.ListIdsAsync(100))
    {
        var entry = await reopened.ReadAsync(id);
        statuses.Add(entry?.Record is MachineMemoryStateRecord state ? state.Status : "failure");
    }

    var pending = await reopened.ReadPendingOutboxAsync(100);
    Console.WriteLine($"counter.db reopened: {statuses.Count} workflows ({string.Join(", ", statuses.Order(StringComparer.Ordinal))}), {pending.Count} pending outbox events");
}

foreach (var error in errors)
{
    Console.WriteLine($"broker error: {error}");
}

return errors.Count == 0 ? 0 : 1;
