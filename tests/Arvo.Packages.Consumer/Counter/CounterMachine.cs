namespace Arvo.Packages.Consumer.Counter;

/// <summary>The counter machine of samples/Counter: route on the type, call the service, notify, complete.</summary>
internal static class CounterMachine
{
    public static ArvoMachine<CounterContext> Create() =>
        ArvoMachine.Setup<CounterContext>(CounterContracts.Orchestrator.Version(CounterContracts.Version))
            .Service("increment", CounterContracts.Increment.Version(CounterContracts.Version))
            .Service("decrement", CounterContracts.Decrement.Version(CounterContracts.Version))
            .Service("notification", CounterContracts.Notification.Version(CounterContracts.Version))
            .Action("assignNewValue", a => a.Assign((ctx, evt) => ctx with { NewValue = evt.Data.GetProperty("newValue").GetDouble() }))
            .Action("assignError", a => a.Assign((ctx, evt) => ctx with { Error = evt.Data.GetProperty("errorMessage").GetString() }))
            .Guard("isIncrement", ctx => ctx.Type == "increment")
            .CreateMachine("counter", m => m
                .Version(CounterContracts.Version)
                .Context(input => input.GetData<CounterContext>()! with { NewValue = null, Error = null })
                .Initial("route")
                .State("route", s => s
                    .Always("increment", t => t.Guard("isIncrement"))
                    .Always("decrement"))
                .State("increment", s => s
                    .Entry(a => a.Emit(CounterContracts.IncrementType, ctx => new { delta = ctx.Delta }))
                    .On(CounterContracts.IncrementSuccessType, "notification", t => t.Action("assignNewValue"))
                    .On(CounterContracts.IncrementErrorType, "error", t => t.Action("assignError")))
                .State("decrement", s => s
                    .Entry(a => a.Emit(CounterContracts.DecrementType, ctx => new { delta = ctx.Delta }))
                    .On(CounterContracts.DecrementSuccessType, "notification", t => t.Action("assignNewValue"))
                    .On(CounterContracts.DecrementErrorType, "error", t => t.Action("assignError")))
                .State("notification", s => s
                    .Entry(a => a.EnqueueArvoEvent(CounterContracts.NotificationType, ctx => new { delta = ctx.Delta, type = ctx.Type }))
                    .Always("done"))
                .Final("done")
                .Final("error")
                .Output(ctx => new { final = ctx.NewValue ?? 0 }));
}

/// <summary>The machine's context: the init data, the service's answer and the error message of a failed call.</summary>
internal sealed record CounterContext
{
    public double Delta { get; init; }

    public string Type { get; init; } = string.Empty;

    public double? NewValue { get; init; }

    public string? Error { get; init; }
}
