using Arvo.Handlers;

namespace Arvo.Samples.Counter;

/// <summary>
/// The counter services of <c>vectors/events.json</c> (<c>notes.counter_semantics</c>): stateless, increment answers
/// <c>newValue = 0 + delta</c>, decrement <c>newValue = 0 - delta</c>; a <c>|newValue|</c> above
/// <see cref="MaxSafeInteger"/> throws, which the handler turns into a <c>sys.&lt;type&gt;.error</c> event. The
/// notification handler consumes <c>notif.number.update</c> and answers nothing.
/// </summary>
public static class CounterHandlers
{
    /// <summary>JavaScript's <c>Number.MAX_SAFE_INTEGER</c>, 2^53 - 1.</summary>
    public const double MaxSafeInteger = 9007199254740991;

    /// <summary>The <c>com.number.increment</c> handler.</summary>
    /// <param name="executionUnits">The cost written on its events (the vectors use 1).</param>
    public static ArvoEventHandler CreateIncrement(double executionUnits = 1) =>
        ArvoEventHandler.CreateBuilder(CounterContracts.Increment)
            .ExecutionUnits(executionUnits)
            .Version(CounterContracts.Version, ctx => Answer(ctx, "increment", CounterContracts.IncrementSuccessType, +1))
            .Build();

    /// <summary>The <c>com.number.decrement</c> handler.</summary>
    /// <param name="executionUnits">The cost written on its events (the vectors use 1).</param>
    public static ArvoEventHandler CreateDecrement(double executionUnits = 1) =>
        ArvoEventHandler.CreateBuilder(CounterContracts.Decrement)
            .ExecutionUnits(executionUnits)
            .Version(CounterContracts.Version, ctx => Answer(ctx, "decrement", CounterContracts.DecrementSuccessType, -1))
            .Build();

    /// <summary>The <c>notif.number.update</c> handler: a sink that accepts the notification and emits nothing.</summary>
    /// <param name="executionUnits">The handler's cost.</param>
    public static ArvoEventHandler CreateNotification(double executionUnits = 1) =>
        ArvoEventHandler.CreateBuilder(CounterContracts.Notification)
            .ExecutionUnits(executionUnits)
            .Version(CounterContracts.Version, _ => ArvoHandlerResult.None)
            .Build();

    /// <summary>The three counter handlers: increment, decrement, notification.</summary>
    /// <param name="executionUnits">The cost written on their events.</param>
    public static IReadOnlyList<ArvoEventHandler> CreateAll(double executionUnits = 1) =>
        [CreateIncrement(executionUnits), CreateDecrement(executionUnits), CreateNotification(executionUnits)];

    private static ArvoHandlerResult Answer(ArvoHandlerContext context, string operation, string successType, int sign)
    {
        var delta = context.Data.GetProperty("delta").GetDouble();
        var newValue = 0 + (sign * delta);
        if (Math.Abs(newValue) > MaxSafeInteger)
        {
            throw new OverflowException(
                $"Counter overflow: |{operation} {JsNumber.Format(delta)}| exceeds {JsNumber.Format(MaxSafeInteger)}");
        }

        return ArvoHandlerOutput.Emit(successType, new NewValueData(newValue));
    }

    private sealed record NewValueData(double NewValue);
}
