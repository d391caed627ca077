using Arvo.Factories;
using Arvo.Handlers;

namespace Arvo.Packages.Consumer.Readme;

/// <summary>What src/Arvo.Testing/README.md's example tests: the handler of the Arvo.Orchestration example, and its commands.</summary>
internal static class IncrementService
{
    private static readonly ArvoContract Contract = CoreExample.Run().Increment;

    public static ArvoEventHandler Handler { get; } = ArvoEventHandler.CreateBuilder(Contract)
        .ExecutionUnits(1)
        .Version("1.0.0", context => ArvoHandlerOutput.Emit(
            "evt.demo.increment.success", new { value = context.Data.GetProperty("delta").GetDouble() }))
        .Build();

    public static ArvoEvent Command(double delta) =>
        new ArvoEventFactory(Contract.Version("1.0.0")).Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { delta });
}
