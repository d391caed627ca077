using System.Text.Json.Nodes;
using Arvo;
using BenchmarkDotNet.Attributes;

namespace Arvo.Benchmarks;

/// <summary>
/// One execution of the seed counter machine (docs/counter-machine.md) through <see cref="MachineExecutionEngine"/>,
/// without an ActivityListener. <see cref="ResumeFromSnapshot"/> is the per-event cost of a running workflow: parse
/// the stored snapshot JSON, build the per-execution Stateless machine from the cached configuration, deliver
/// <c>evt.number.increment.success</c>, settle (<c>notification</c> → <c>done</c>, one enqueued event validated against
/// its contract, output computed) and serialize the new snapshot. <see cref="Start"/> runs the init event (context
/// factory, <c>route</c> guards, one emitted event validated) for comparison.
/// Run: dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*MachineBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class MachineBenchmarks
{
    private const string DeltaSchema = """{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""";
    private const string NewValueSchema = """{"type":"object","properties":{"newValue":{"type":"number"}},"required":["newValue"]}""";

    private ArvoMachine<CounterContext> _machine = null!;
    private ArvoEvent _init = null!;
    private ArvoEvent _success = null!;
    private string _snapshot = null!;

    [GlobalSetup]
    public void Setup()
    {
        var self = ArvoContract.CreateOrchestrator("#/test/machine", "test", c => c.Version("0.0.1", v => v
            .Init("""{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""")
            .Complete("""{"type":"object","properties":{"final":{"type":"number"}},"required":["final"]}""")));
        var increment = ArvoContract.Create("#/test/service/increment", "com.number.increment", c => c
            .Version("0.0.1", v => v.Accepts(DeltaSchema).Emits("evt.number.increment.success", NewValueSchema)));
        var decrement = ArvoContract.Create("#/test/service/decrement", "com.number.decrement", c => c
            .Version("0.0.1", v => v.Accepts(DeltaSchema).Emits("evt.number.decrement.success", NewValueSchema)));
        var notification = ArvoContract.Create("#/test/notification/decrement", "notif.number.update", c => c
            .Version("0.0.1", v => v.Accepts("""{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""")));

        _machine = ArvoMachine.Setup<CounterContext>(self.Version("0.0.1"))
            .Service("increment", increment.Version("0.0.1"))
            .Service("decrement", decrement.Version("0.0.1"))
            .Service("notification", notification.Version("0.0.1"))
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

        _init = new ArvoOrchestratorEventFactory(self.Version("0.0.1")).Init(
            new ArvoEventEnvelope { Source = "com.test.service" },
            new JsonObject { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "increment" });
        _success = new ArvoEventFactory(increment.Version("0.0.1")).Emits(
            new ArvoEventEnvelope { Source = "com.number.increment", Subject = _init.Subject },
            "evt.number.increment.success",
            new { newValue = 10 });
        _snapshot = MachineExecutionEngine.Instance.Execute(_machine, null, _init).Snapshot.ToJson();
    }

    /// <summary>Restore the stored snapshot, deliver the success event, settle to <c>done</c>, serialize the new snapshot.</summary>
    /// <returns>The new snapshot JSON.</returns>
    [Benchmark(Baseline = true)]
    public string ResumeFromSnapshot()
    {
        var result = MachineExecutionEngine.Instance.Execute(_machine, ArvoMachineSnapshot.Parse(_snapshot), _success);
        return result.Snapshot.ToJson();
    }

    /// <summary>Start from the init event and serialize the first snapshot.</summary>
    /// <returns>The new snapshot JSON.</returns>
    [Benchmark]
    public string Start() => MachineExecutionEngine.Instance.Execute(_machine, null, _init).Snapshot.ToJson();

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
