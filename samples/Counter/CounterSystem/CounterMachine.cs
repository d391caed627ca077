namespace Arvo.Samples.Counter;

/// <summary>
/// The seed's counter machine (arvo-xstate README, section 4) for <c>arvo.orc.counter</c>, with the seed's typo
/// fixed (the <c>decrement</c> state listens for <c>sys.com.number.decrement.error</c>) and the completion of the
/// vectors: <c>final = newValue</c>, or 0 when the workflow ended in its <c>error</c> state.
/// </summary>
public static class CounterMachine
{
    /// <summary>The machine id.</summary>
    public const string Id = "counter";

    /// <summary>Builds the machine (immutable and thread-safe; build it once).</summary>
    public static ArvoMachine<CounterContext> Create() =>
        ArvoMachine.Setup<CounterContext>(CounterContracts.Orchestrator.Version(CounterContracts.Version))
            .Service("increment", CounterContracts.Increment.Version(CounterContracts.Version))
            .Service("decrement", CounterContracts.Decrement.Version(CounterContracts.Version))
            .Service("notification", CounterContracts.Notification.Version(CounterContracts.Version))
            .Action("assignEventError", a => a.Assign((ctx, evt) => ctx with { Errors = [.. ctx.Errors, evt.GetData<CounterError>()!] }))
            .Action("assignNewValue", a => a.Assign((ctx, evt) => ctx with { NewValue = evt.Data.GetProperty("newValue").GetDouble() }))
            .Guard("isIncrement", ctx => ctx.Type == "increment")
            .Guard("isDecrement", ctx => ctx.Type == "decrement")
            .CreateMachine(Id, m => m
                .Version(CounterContracts.Version)
                .Context(input => input.GetData<CounterContext>()! with { NewValue = null, Errors = [] })
                .Initial("route")
                .State("route", s => s
                    .Always("increment", t => t.Guard("isIncrement"))
                    .Always("decrement", t => t.Guard("isDecrement"))
                    .Always("error", t => t.Assign(ctx => ctx with
                    {
                        Errors = [.. ctx.Errors, new CounterError("Invalid type", $"Invalid operation type => {ctx.Type}", null)],
                    })))
                .State("increment", s => s
                    .Entry(a => a.Emit(CounterContracts.IncrementType, ctx => new DeltaData(ctx.Delta)))
                    .On(CounterContracts.IncrementSuccessType, "notification", t => t.Action("assignNewValue"))
                    .On(CounterContracts.IncrementErrorType, "error", t => t.Action("assignEventError")))
                .State("decrement", s => s
                    .Entry(a => a.Emit(CounterContracts.DecrementType, ctx => new DeltaData(ctx.Delta)))
                    .On(CounterContracts.DecrementSuccessType, "notification", t => t.Action("assignNewValue"))
                    .On(CounterContracts.DecrementErrorType, "error", t => t.Action("assignEventError")))
                .State("notification", s => s
                    .Entry(a => a.EnqueueArvoEvent(CounterContracts.NotificationType, ctx => new NotificationData(ctx.Delta, ctx.Type)))
                    .Always("done"))
                .Final("done")
                .Final("error")
                .Output(ctx => new CompleteData(ctx.NewValue ?? 0))
                .ContextSerializerOptions(CounterJsonContext.Default.Options));

    private sealed record DeltaData(double Delta);

    private sealed record NotificationData(double Delta, string Type);

    /// <summary>The completion's data.</summary>
    /// <param name="Final">The counter's new value, or 0 after an error.</param>
    internal sealed record CompleteData(double Final);
}
