using System.Text.Json.Nodes;
using Arvo;

namespace Arvo.Benchmarks;

/// <summary>
/// The seed counter machine (docs/counter-machine.md) and its events, shared by <see cref="MachineBenchmarks"/> and
/// <see cref="OrchestratorBenchmarks"/>.
/// </summary>
public static class CounterWorkflow
{
    private const string DeltaSchema = """{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""";
    private const string NewValueSchema = """{"type":"object","properties":{"newValue":{"type":"number"}},"required":["newValue"]}""";

    /// <summary>The self contract <c>arvo.orc.test</c> (<c>#/test/machine</c>).</summary>
    public static ArvoOrchestratorContract Self { get; } = ArvoContract.CreateOrchestrator("#/test/machine", "test", c => c.Version("0.0.1", v => v
        .Init("""{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""")
        .Complete("""{"type":"object","properties":{"final":{"type":"number"}},"required":["final"]}""")));

    /// <summary>The increment service contract.</summary>
    public static ArvoContract Increment { get; } = ArvoContract.Create("#/test/service/increment", "com.number.increment", c => c
        .Version("0.0.1", v => v.Accepts(DeltaSchema).Emits("evt.number.increment.success", NewValueSchema)));

    /// <summary>The decrement service contract.</summary>
    public static ArvoContract Decrement { get; } = ArvoContract.Create("#/test/service/decrement", "com.number.decrement", c => c
        .Version("0.0.1", v => v.Accepts(DeltaSchema).Emits("evt.number.decrement.success", NewValueSchema)));

    /// <summary>The notification contract.</summary>
    public static ArvoContract Notification { get; } = ArvoContract.Create("#/test/notification/decrement", "notif.number.update", c => c
        .Version("0.0.1", v => v.Accepts("""{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""")));

    /// <summary>Builds the counter machine.</summary>
    /// <returns>The machine.</returns>
    public static ArvoMachine<CounterContext> CreateMachine() =>
        ArvoMachine.Setup<CounterContext>(Self.Version("0.0.1"))
            .Service("increment", Increment.Version("0.0.1"))
            .Service("decrement", Decrement.Version("0.0.1"))
            .Service("notification", Notification.Version("0.0.1"))
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
                    .Always("error", t => t.Assign(ctx => ctx with { Errors = [.. ctx.Errors, new CounterError("Invalid type", $"Invalid operation type => {ctx.Type}", null)] })))
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

    /// <summary>An init event <c>{delta: 1, type: "increment"}</c> with a new subject.</summary>
    /// <returns>The event.</returns>
    public static ArvoEvent Init() =>
        new ArvoOrchestratorEventFactory(Self.Version("0.0.1")).Init(
            new ArvoEventEnvelope { Source = "com.test.service" },
            new JsonObject { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "increment" });

    /// <summary>The increment service's answer <c>{newValue: 10}</c> on <paramref name="subject"/>.</summary>
    /// <param name="subject">The workflow subject.</param>
    /// <returns>The event.</returns>
    public static ArvoEvent IncrementSuccess(string subject) =>
        new ArvoEventFactory(Increment.Version("0.0.1")).Emits(
            new ArvoEventEnvelope { Source = "com.number.increment", Subject = subject, To = "arvo.orc.test" },
            "evt.number.increment.success",
            new { newValue = 10 });

    /// <summary>The counter machine's context.</summary>
    public sealed record CounterContext
    {
        /// <summary>The delta.</summary>
        public double Delta { get; init; }

        /// <summary>increment or decrement.</summary>
        public string Type { get; init; } = string.Empty;

        /// <summary>Collected errors.</summary>
        public IReadOnlyList<CounterError> Errors { get; init; } = [];
    }

    /// <summary>An Arvo error payload.</summary>
    /// <param name="ErrorName">The error name.</param>
    /// <param name="ErrorMessage">The message.</param>
    /// <param name="ErrorStack">The stack, or null.</param>
    public sealed record CounterError(string ErrorName, string ErrorMessage, string? ErrorStack);
}
