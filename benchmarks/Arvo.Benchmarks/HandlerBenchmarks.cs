using Arvo.Factories;
using Arvo.Handlers;
using BenchmarkDotNet.Attributes;

namespace Arvo.Benchmarks;

/// <summary>
/// One <see cref="ArvoEventHandler.ExecuteAsync"/> of the spec's HelloHandler (scenarios.md fixtures) on a pre-built
/// event, without an ActivityListener: contract resolution, input validation, the user function (typed input,
/// anonymous output), output validation and event creation. Reference (arvo-event-handler 3.0.25): ~107 µs.
/// Run: dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*HandlerBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private ArvoEventHandler _handler = null!;
    private ArvoEvent _event = null!;

    [GlobalSetup]
    public void Setup()
    {
        var contract = ArvoContract.Create("#/test/ArvoEventHandler", "com.hello.world", c => c
            .Version("0.0.1", v => v
                .Accepts("""{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"number"}},"required":["name","age"]}""")
                .Emits("evt.hello.world.success", """{"type":"object","properties":{"result":{"type":"string"}},"required":["result"]}""")));
        _handler = ArvoEventHandler.CreateBuilder(contract)
            .ExecutionUnits(100)
            .Version("0.0.1", ctx =>
            {
                var input = ctx.GetData<HelloInput>()!;
                return ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = $"My name is {input.Name}. I am {input.Age} years old" });
            })
            .Build();
        _event = new ArvoEventFactory(contract.Version("0.0.1")).Accepts(
            new ArvoEventEnvelope { Source = "com.test.env", Subject = "test-subject", To = "com.hello.world" },
            new { name = "Saad Ahmad", age = 26 });
    }

    /// <summary>One execution producing one event.</summary>
    [Benchmark]
    public async ValueTask<ArvoExecutionResult> Execute() => await _handler.ExecuteAsync(_event).ConfigureAwait(false);

    /// <summary>The user function's typed input.</summary>
    public sealed record HelloInput(string Name, double Age);
}
