using Arvo.Machines;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// The seed's counter machine (arvo-xstate README, section 4) written with the C# builder, the typo fixed: the
/// <c>decrement</c> state listens for <c>sys.com.number.decrement.error</c>. This exact code is quoted in the README
/// and in docs/counter-machine.md.
/// </summary>
internal static class CounterMachine
{
    public static ArvoMachine<CounterContext> Create() =>
        // README:counter-machine:begin
        ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .Service("notification", CounterContracts.Notification.Version("0.0.1"))
            .Action("assignEventError", a => a.Assign((ctx, evt) => ctx with { Errors = [.. ctx.Errors, evt.GetData<CounterError>()!] }))
            .Guard("isIncrement", ctx => ctx.Type == "increment")
            .Guard("isDecrement", ctx => ctx.Type == "decrement")
            .CreateMachine("counter", m => m
                .Version("0.0.1")
                .Context(input => input.GetData<CounterContext>()! with { Errors = [] })
                .Initial("route")
                .State("route", s => s
                    .Always("increment", t => t.Guard("isIncrement"))
                    .Always("decrement", t => t.Guard("isDecrement"))
                    .Always("error", t => t.Assign(ctx => ctx with
                    {
                        Errors = [.. ctx.Errors, new CounterError("Invalid type", $"Invalid operation type => {ctx.Type}", null)],
                    })))
                .State("increment", s => s
                    .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }))
                    .On("evt.number.increment.success", "notification")
                    .On("sys.com.number.increment.error", "error", t => t.Action("assignEventError")))
                .State("decrement", s => s
                    .Entry(a => a.Emit("com.number.decrement", ctx => new { delta = ctx.Delta }))
                    .On("evt.number.decrement.success", "notification")
                    .On("sys.com.number.decrement.error", "error", t => t.Action("assignEventError")))
                .State("notification", s => s
                    .Entry(a => a.EnqueueArvoEvent("notif.number.update", ctx => new { delta = ctx.Delta, type = ctx.Type }))
                    .Always("done"))
                .Final("done")
                .Final("error")
                .Output(ctx => new { final = ctx.Delta }));
        // README:counter-machine:end

    /// <summary>
    /// The TestMachine of scenarios E-1..E-4: the counter machine whose <c>notification</c> entry is
    /// <c>[enqueueArvoEvent {notif, delta: context.delta}, emit {notif, delta: -1}]</c>.
    /// </summary>
    public static ArvoMachine<CounterContext> CreateTestMachine(
        Func<ArvoEvent, CounterContext>? context = null,
        Action<ArvoActionBuilder<CounterContext>>? notificationEntry = null,
        Func<CounterContext, object?>? output = null,
        bool withOutput = true) =>
        ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .Service("notification", CounterContracts.Notification.Version("0.0.1"))
            .Guard("isIncrement", ctx => ctx.Type == "increment")
            .Guard("isDecrement", ctx => ctx.Type == "decrement")
            .CreateMachine("counter", m =>
            {
                m.Context(context ?? (input => input.GetData<CounterContext>()! with { Errors = [] }))
                    .Initial("route")
                    .State("route", s => s
                        .Always("increment", t => t.Guard("isIncrement"))
                        .Always("decrement", t => t.Guard("isDecrement"))
                        .Always("error"))
                    .State("increment", s => s
                        .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }))
                        .On("evt.number.increment.success", "notification")
                        .On("sys.com.number.increment.error", "error"))
                    .State("decrement", s => s
                        .Entry(a => a.Emit("com.number.decrement", ctx => new { delta = ctx.Delta }))
                        .On("evt.number.decrement.success", "notification")
                        .On("sys.com.number.decrement.error", "error"))
                    .State("notification", s => s
                        .Entry(notificationEntry ?? (a => a
                            .EnqueueArvoEvent("notif.number.update", ctx => new { delta = ctx.Delta, type = ctx.Type })
                            .Emit("notif.number.update", ctx => new { delta = -1, type = ctx.Type })))
                        .Always("done"))
                    .Final("done")
                    .Final("error");
                if (withOutput)
                {
                    m.Output(output ?? (ctx => new { final = ctx.Delta }));
                }
            });
}
