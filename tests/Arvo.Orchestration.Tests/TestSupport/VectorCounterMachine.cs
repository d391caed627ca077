using Arvo.Contracts;

namespace Arvo.Tests.TestSupport;

/// <summary>The context of the vectors' counter machine: <c>{delta, type, final, errors}</c>.</summary>
public sealed record VectorCounterContext
{
    public double Delta { get; init; }

    public string Type { get; init; } = string.Empty;

    public double Final { get; init; }

    public IReadOnlyList<ArvoSystemErrorData> Errors { get; init; } = [];
}

/// <summary>
/// The machine that produced <c>memory-records.json</c> and <c>events.json</c>: <c>arvo.orc.counter</c> v0.0.1 (uri
/// <c>#/test/machine</c>), as its stored <c>machineDefinition</c> describes it (<c>assignNewValue</c> sets
/// <c>final = newValue</c>, the notification is enqueued, output <c>{final}</c>).
/// </summary>
internal static class VectorCounterMachine
{
    public static readonly ArvoOrchestratorContract Contract = ArvoContract.CreateOrchestrator("#/test/machine", "counter", c => c
        .Version("0.0.1", v => v.Init(CounterContracts.InitSchema).Complete(CounterContracts.CompleteSchema)));

    /// <summary>The machine; <paramref name="faulty"/> makes the first state's entry throw (the vectors' error variant).</summary>
    public static ArvoMachine<VectorCounterContext> Create(bool faulty = false) =>
        ArvoMachine.Setup<VectorCounterContext>(Contract.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .Service("notification", CounterContracts.Notification.Version("0.0.1"))
            .Action("assignNewValue", a => a.Assign((ctx, evt) => ctx with { Final = evt.Data.GetProperty("newValue").GetDouble() }))
            .Action("assignEventError", a => a.Assign((ctx, evt) => ctx with { Errors = [.. ctx.Errors, evt.GetSystemErrorData()!] }))
            .Guard("isIncrement", ctx => ctx.Type == "increment")
            .Guard("isDecrement", ctx => ctx.Type == "decrement")
            .CreateMachine("counter", m => m
                .Context(input => input.GetData<VectorCounterContext>()! with { Final = 0, Errors = [] })
                .Initial("route")
                .State("route", s =>
                {
                    if (faulty)
                    {
                        s.Entry(a => a.Run((_, _) => throw new InvalidOperationException("Deliberate failure inside the machine (faulty variant used for the error vector)")));
                    }

                    s.Always("increment", t => t.Guard("isIncrement"))
                        .Always("decrement", t => t.Guard("isDecrement"))
                        .Always("error");
                })
                .State("increment", s => s
                    .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }))
                    .On("evt.number.increment.success", "notification", t => t.Action("assignNewValue"))
                    .On("sys.com.number.increment.error", "error", t => t.Action("assignEventError")))
                .State("decrement", s => s
                    .Entry(a => a.Emit("com.number.decrement", ctx => new { delta = ctx.Delta }))
                    .On("evt.number.decrement.success", "notification", t => t.Action("assignNewValue"))
                    .On("sys.com.number.decrement.error", "error", t => t.Action("assignEventError")))
                .State("notification", s => s
                    .Entry(a => a.EnqueueArvoEvent("notif.number.update", ctx => new { delta = ctx.Delta, type = ctx.Type }))
                    .Always("done"))
                .Final("done")
                .Final("error")
                .Output(ctx => new { final = ctx.Final }));
}
