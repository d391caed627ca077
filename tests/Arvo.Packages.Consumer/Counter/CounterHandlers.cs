using Arvo.Handlers;

namespace Arvo.Packages.Consumer.Counter;

/// <summary>The counter services: newValue = 0 ± delta; beyond 2^53 - 1 they throw (a sys.*.error event).</summary>
internal static class CounterHandlers
{
    private const double MaxSafeInteger = 9007199254740991;

    public static IReadOnlyList<ArvoEventHandler> CreateAll() =>
    [
        Create(CounterContracts.Increment, CounterContracts.IncrementSuccessType, +1),
        Create(CounterContracts.Decrement, CounterContracts.DecrementSuccessType, -1),
        ArvoEventHandler.CreateBuilder(CounterContracts.Notification)
            .ExecutionUnits(1)
            .Version(CounterContracts.Version, _ => ArvoHandlerResult.None)
            .Build(),
    ];

    private static ArvoEventHandler Create(ArvoContract contract, string successType, int sign) =>
        ArvoEventHandler.CreateBuilder(contract)
            .ExecutionUnits(1)
            .Version(CounterContracts.Version, context =>
            {
                var newValue = sign * context.Data.GetProperty("delta").GetDouble();
                return Math.Abs(newValue) > MaxSafeInteger
                    ? throw new OverflowException($"Counter overflow: |{newValue}| exceeds 2^53 - 1")
                    : ArvoHandlerOutput.Emit(successType, new { newValue });
            })
            .Build();
}
