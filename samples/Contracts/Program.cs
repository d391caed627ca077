// The Arvo.Core quick start (README.md shows this file; a test keeps the two in sync).
using Arvo;
using Arvo.Events;
using Arvo.Factories;

// 1. A versioned service contract: the event it accepts and the events it emits, as JSON Schemas.
var increment = ArvoContract.Create("#/test/service/increment", "com.number.increment", contract => contract
    .Description("Adds delta to a counter")
    .Version("0.0.1", version => version
        .Accepts("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
        .Emits("evt.number.increment.success", ArvoSchema.FromType<IncrementResult>())));

// 2. A factory creates validated events for one contract version.
var factory = new ArvoEventFactory(increment.Version("latest"));
var command = factory.Accepts(new ArvoEventEnvelope { Source = "com.test.client" }, new { delta = 2 });
Console.WriteLine("Command event (CloudEvents structured JSON):");
Console.WriteLine(command.ToJson(indented: true));

// 3. The subject was generated: a zlib+base64 orchestration subject naming the process.
var subject = ArvoOrchestrationSubject.Parse(command.Subject);
Console.WriteLine($"Decoded subject: {subject.ToJsonString()}");

// 4. Emitted data is validated and cleaned (undeclared keys removed); bad data is a ContractViolation.
var answer = factory.Emits(
    new ArvoEventEnvelope { Source = increment.Type, Subject = command.Subject, ParentId = command.Id, To = command.Source },
    "evt.number.increment.success",
    new { newValue = 2, debug = "dropped" });
Console.WriteLine($"Answer data: {answer.Data.GetRawText()}");
try
{
    factory.Accepts(new ArvoEventEnvelope { Source = "com.test.client" }, new { delta = "two" });
}
catch (ContractViolation violation)
{
    Console.WriteLine($"Rejected: {violation.Message}");
}

// 5. Events parse back from JSON exactly, e.g. when they arrive from the TypeScript packages.
var roundTripped = ArvoEventJson.Parse(command.ToJson());
Console.WriteLine($"Round trip equal: {roundTripped.Equals(command)}");

/// <summary>The success payload, as a C# type; its JSON Schema is generated.</summary>
internal sealed record IncrementResult(double NewValue);
