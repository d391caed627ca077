using Arvo.Factories;

namespace Arvo.Packages.Consumer.Readme;

/// <summary>src/Arvo.Core/README.md's example: the region between the markers is the README's code block.</summary>
internal static class CoreExample
{
    public static (ArvoContract Increment, ArvoEvent Command, string Json) Run()
    {
        // README:Arvo.Core:start
        // A versioned contract: the event it accepts and the events it emits, as JSON Schemas.
        var increment = ArvoContract.Create("#/demo/increment", "com.demo.increment", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
                .Emits("evt.demo.increment.success", """{"type":"object","properties":{"value":{"type":"number"}},"required":["value"]}""")));

        // A factory creates events validated against one version; data that breaks the schema is a ContractViolation.
        var command = new ArvoEventFactory(increment.Version("1.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { delta = 2 });
        string json = command.ToJson(); // CloudEvents structured JSON, as arvo-core writes it
        // README:Arvo.Core:end
        return (increment, command, json);
    }
}
