using System.Text.Json;
using Arvo;

// A service contract: one accepted event type, emitted event types, per version.
var increment = ArvoContract.Create("#/test/service/increment", "com.number.increment", c => c
    .Description("Adds delta to a counter")
    .Version("0.0.1", v => v
        .Accepts("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
        .Emits("evt.number.increment.success", ArvoSchema.FromType<IncrementResult>())));

// An orchestrator contract: init (plus the required parentSubject$$) and completion schemas.
var counter = ArvoContract.CreateOrchestrator("#/test/machine", "counter", c => c
    .Version("0.0.1", v => v
        .Init("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
        .Complete("""{"type":"object","properties":{"final":{"type":"number"}},"required":["final"]}""")));

var version = increment.Version("latest");
Console.WriteLine($"{version.Accepts.Type} -> {string.Join(", ", version.Emits.Keys)} ({version.Dataschema})");

// Emitted data is parsed like zod: undeclared properties are removed.
using var output = JsonDocument.Parse("""{"newValue":5,"debug":true}""");
Console.WriteLine(version.Emits["evt.number.increment.success"].Parse(output.RootElement).GetRawText());

// Incoming events are matched to a contract version and validated (contracts.md 6.2).
using var init = JsonDocument.Parse("""{"parentSubject$$":null,"delta":5}""");
var result = ArvoContractResolver.ValidateInput("id-1", counter.Type, "#/test/machine/0.0.1", init.RootElement, counter.Version("0.0.1"), [version]);
Console.WriteLine(result);

internal sealed record IncrementResult(double NewValue);
