using Arvo.Machines;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// C# ports of the machines of <c>statecharts.json</c> (spec/statecharts.md), one factory per scenario key, written
/// from each scenario's <c>machine.config</c> the way a TypeScript machine would be ported: the same states, the
/// same named guards and actions, the same trace and command actions (all <c>EnqueueArvoEvent</c>, except in the
/// emit-order machine).
/// </summary>
internal static class StatechartVectorMachines
{
    public const string Trace = "notif.step.trace";

    private const string N = """{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}""";

    public static readonly ArvoContract StepA = StepContract("a");
    public static readonly ArvoContract StepB = StepContract("b");
    public static readonly ArvoContract StepC = StepContract("c");

    public static readonly ArvoContract TraceContract = ArvoContract.Create("#/statecharts/notif/trace", Trace, c => c
        .Version("0.0.1", v => v.Accepts("""{"type":"object","properties":{"step":{"type":"string"}},"required":["step"]}""")));

    private const string LoopOutput = """{"type":"object","properties":{"n":{"type":"number"},"entries":{"type":"number"}},"required":["n","entries"]}""";

    /// <summary>The scenario keys this class ports.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "self_target", "self_target_reenter", "targetless",
        "compound_self_target", "compound_self_target_reenter", "compound_targetless",
        "nested", "parallel_in_compound", "emit_vs_enqueue_order",
    ];

    /// <summary>The self contract of a scenario, by the orchestrator name in its type (<c>arvo.orc.sc.&lt;name&gt;</c>).</summary>
    public static VersionedArvoContract Self(string key) => key switch
    {
        "self_target" => Orchestrator("selftarget", LoopOutput),
        "self_target_reenter" => Orchestrator("selfreenter", LoopOutput),
        "targetless" => Orchestrator("targetless", LoopOutput),
        "compound_self_target" => Orchestrator("compoundself", LoopOutput),
        "compound_self_target_reenter" => Orchestrator("compoundreenter", LoopOutput),
        "compound_targetless" => Orchestrator("compoundtargetless", LoopOutput),
        "nested" => Orchestrator("nested", """{"type":"object","properties":{"outcome":{"type":"string","enum":["completed","cancelled"]},"validated":{"type":["number","null"]},"charged":{"type":["number","null"]},"retries":{"type":"number"}},"required":["outcome","validated","charged","retries"]}"""),
        "parallel_in_compound" => Orchestrator("parallel", """{"type":"object","properties":{"outcome":{"type":"string","enum":["done","cancelled"]},"left":{"type":["number","null"]},"right":{"type":["number","null"]},"joined":{"type":["number","null"]}},"required":["outcome","left","right","joined"]}"""),
        "emit_vs_enqueue_order" => Orchestrator("emitorder", """{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "No port of this scenario"),
    };

    /// <summary>The machine of a scenario, built against a fresh self contract.</summary>
    public static ArvoMachine Create(string key) => key switch
    {
        "self_target" => Loop(key, LoopKind.SelfTarget),
        "self_target_reenter" => Loop(key, LoopKind.SelfTargetReenter),
        "targetless" => Loop(key, LoopKind.Targetless),
        "compound_self_target" => CompoundLoop(key, LoopKind.SelfTarget),
        "compound_self_target_reenter" => CompoundLoop(key, LoopKind.SelfTargetReenter),
        "compound_targetless" => CompoundLoop(key, LoopKind.Targetless),
        "nested" => Nested(),
        "parallel_in_compound" => Parallel(),
        "emit_vs_enqueue_order" => EmitOrder(),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "No port of this scenario"),
    };

    /// <summary>The trace event of an action (<c>{type: 'enqueueArvoEvent', params: {type: 'notif.step.trace', data: {step}}}</c>).</summary>
    private static ArvoMachineEmit T(string step) => ArvoMachineEmit.Create(Trace, new { step });

    private static double EventN(ArvoEvent evt) => evt.Data.GetProperty("n").GetDouble();

    private enum LoopKind
    {
        SelfTarget,
        SelfTargetReenter,
        Targetless,
    }

    internal sealed record LoopContext(double N, int Entries);

    private static ArvoMachineSetup<LoopContext> LoopSetup(string key, bool withB) =>
        ArvoMachine.Setup<LoopContext>(Self(key))
            .Service("a", StepA.Version("0.0.1"))
            .Service("b", StepB.Version("0.0.1"), withB)
            .Service("trace", TraceContract.Version("0.0.1"))
            .Guard("nBelow3", (_, evt) => EventN(evt) < 3)
            .Action("countEntry", a => a.Assign(ctx => ctx with { Entries = ctx.Entries + 1 }))
            .Action("takeNext", a => a.Assign((ctx, evt) => ctx with { N = EventN(evt) + 1 }))
            .Action("takeN", a => a.Assign((ctx, evt) => ctx with { N = EventN(evt) }));

    /// <summary>Registers a service unless <paramref name="include"/> is false (the atomic loops have no service b).</summary>
    private static ArvoMachineSetup<TContext> Service<TContext>(this ArvoMachineSetup<TContext> setup, string name, VersionedArvoContract contract, bool include)
        where TContext : notnull => include ? setup.Service(name, contract) : setup;

    /// <summary>self_target, self_target_reenter, targetless: one atomic state <c>working</c> looping on evt.step.a.success.</summary>
    private static ArvoMachine<LoopContext> Loop(string key, LoopKind kind) =>
        LoopSetup(key, withB: false).CreateMachine(key, m => m
            .Context(input => new LoopContext(EventN(input), 0))
            .Initial("working")
            .State("working", s =>
            {
                s.Entry(a => a.Action("countEntry").EnqueueArvoEvent(T("entry:working")).EnqueueArvoEvent("com.step.a", ctx => new { n = ctx.N }))
                    .Exit(a => a.EnqueueArvoEvent(T("exit:working")));
                Action<ArvoTransitionBuilder<LoopContext>> loop = t => t
                    .Guard("nBelow3")
                    .Action("takeNext")
                    .EnqueueArvoEvent(T("action:loop"))
                    .EnqueueArvoEvent("com.step.a", ctx => new { n = ctx.N });
                switch (kind)
                {
                    case LoopKind.SelfTarget:
                        s.On("evt.step.a.success", "working", loop);
                        break;
                    case LoopKind.SelfTargetReenter:
                        s.On("evt.step.a.success", "working", t => loop(t.Reenter()));
                        break;
                    default:
                        s.On("evt.step.a.success", loop);
                        break;
                }

                s.On("evt.step.a.success", "finished", t => t.Action("takeN").EnqueueArvoEvent(T("action:finish")));
            })
            .Final("finished", s => s.Entry(a => a.EnqueueArvoEvent(T("entry:finished"))))
            .Output(ctx => new { n = ctx.N, entries = ctx.Entries }));

    /// <summary>compound_self_target, compound_self_target_reenter, compound_targetless: compound <c>working</c> restarting on evt.step.b.success.</summary>
    private static ArvoMachine<LoopContext> CompoundLoop(string key, LoopKind kind) =>
        LoopSetup(key, withB: true).CreateMachine(key, m => m
            .Context(input => new LoopContext(EventN(input), 0))
            .Initial("working")
            .State("working", s =>
            {
                s.Initial("first")
                    .Entry(a => a.Action("countEntry").EnqueueArvoEvent(T("entry:working")))
                    .Exit(a => a.EnqueueArvoEvent(T("exit:working")))
                    .State("first", c => c
                        .Entry(a => a.EnqueueArvoEvent(T("entry:working.first")).EnqueueArvoEvent("com.step.a", ctx => new { n = ctx.N }))
                        .Exit(a => a.EnqueueArvoEvent(T("exit:working.first")))
                        .On("evt.step.a.success", "second", t => t.Action("takeN").EnqueueArvoEvent(T("action:first->second"))))
                    .State("second", c => c
                        .Entry(a => a.EnqueueArvoEvent(T("entry:working.second")).EnqueueArvoEvent("com.step.b", ctx => new { n = ctx.N }))
                        .Exit(a => a.EnqueueArvoEvent(T("exit:working.second"))));
                Action<ArvoTransitionBuilder<LoopContext>> restart = t => t
                    .Guard("nBelow3")
                    .Action("takeN")
                    .EnqueueArvoEvent(T("action:working.restart"));
                switch (kind)
                {
                    case LoopKind.SelfTarget:
                        s.On("evt.step.b.success", "working", restart);
                        break;
                    case LoopKind.SelfTargetReenter:
                        s.On("evt.step.b.success", "working", t => restart(t.Reenter()));
                        break;
                    default:
                        s.On("evt.step.b.success", restart);
                        break;
                }

                s.On("evt.step.b.success", "finished", t => t.Action("takeN").EnqueueArvoEvent(T("action:working.finish")));
            })
            .Final("finished", s => s.Entry(a => a.EnqueueArvoEvent(T("entry:finished"))))
            .Output(ctx => new { n = ctx.N, entries = ctx.Entries }));

    internal sealed record NestedContext(double N, double? Validated, double? Charged, int Retries, string? Outcome);

    /// <summary>nested: <c>processing</c> (validate → charge → final paid; a re-entering retry on validate; a parent-level cancel).</summary>
    private static ArvoMachine<NestedContext> Nested() =>
        ArvoMachine.Setup<NestedContext>(Self("nested"))
            .Service("a", StepA.Version("0.0.1"))
            .Service("b", StepB.Version("0.0.1"))
            .Service("trace", TraceContract.Version("0.0.1"))
            .Guard("canRetry", ctx => ctx.Retries < 1)
            .Action("takeValidated", a => a.Assign((ctx, evt) => ctx with { Validated = EventN(evt) }))
            .Action("takeCharged", a => a.Assign((ctx, evt) => ctx with { Charged = EventN(evt) }))
            .Action("countRetry", a => a.Assign(ctx => ctx with { Retries = ctx.Retries + 1 }))
            .Action("markCompleted", a => a.Assign(ctx => ctx with { Outcome = "completed" }))
            .Action("markCancelled", a => a.Assign(ctx => ctx with { Outcome = "cancelled" }))
            .CreateMachine("nested", m => m
                .Context(input => new NestedContext(EventN(input), null, null, 0, null))
                .Initial("processing")
                .State("processing", s => s
                    .Initial("validate")
                    .Entry(a => a.EnqueueArvoEvent(T("entry:processing")))
                    .Exit(a => a.EnqueueArvoEvent(T("exit:processing")))
                    .On("sys.com.step.a.error", "cancelled", t => t.EnqueueArvoEvent(T("action:processing.cancel")))
                    .On("sys.com.step.b.error", "cancelled", t => t.EnqueueArvoEvent(T("action:processing.cancel")))
                    .OnDone("completed", t => t.EnqueueArvoEvent(T("action:processing.onDone")))
                    .State("validate", c => c
                        .Entry(a => a.EnqueueArvoEvent(T("entry:processing.validate")).EnqueueArvoEvent("com.step.a", ctx => new { n = ctx.N }))
                        .Exit(a => a.EnqueueArvoEvent(T("exit:processing.validate")))
                        .On("evt.step.a.success", "charge", t => t.Action("takeValidated").EnqueueArvoEvent(T("action:validate->charge")))
                        .On("sys.com.step.a.error", "validate", t => t
                            .Guard("canRetry")
                            .Reenter()
                            .Action("countRetry")
                            .EnqueueArvoEvent(T("action:validate.retry"))))
                    .State("charge", c => c
                        .Entry(a => a.EnqueueArvoEvent(T("entry:processing.charge")).EnqueueArvoEvent("com.step.b", ctx => new { n = ctx.Validated }))
                        .Exit(a => a.EnqueueArvoEvent(T("exit:processing.charge")))
                        .On("evt.step.b.success", "paid", t => t.Action("takeCharged").EnqueueArvoEvent(T("action:charge->paid"))))
                    .Final("paid", c => c
                        .Entry(a => a.EnqueueArvoEvent(T("entry:processing.paid")))
                        .Exit(a => a.EnqueueArvoEvent(T("exit:processing.paid")))))
                .Final("completed", s => s.Entry(a => a.Action("markCompleted").EnqueueArvoEvent(T("entry:completed"))))
                .Final("cancelled", s => s.Entry(a => a.Action("markCancelled").EnqueueArvoEvent(T("entry:cancelled"))))
                .Output(ctx => new { outcome = ctx.Outcome, validated = ctx.Validated, charged = ctx.Charged, retries = ctx.Retries }));

    internal sealed record ParallelContext(double N, double? Left, double? Right, double? Joined, string? Outcome);

    /// <summary>parallel_in_compound: <c>fulfil</c> holding the parallel <c>both</c> (regions left and right), then settle → joined.</summary>
    private static ArvoMachine<ParallelContext> Parallel() =>
        ArvoMachine.Setup<ParallelContext>(Self("parallel_in_compound"))
            .Service("a", StepA.Version("0.0.1"))
            .Service("b", StepB.Version("0.0.1"))
            .Service("c", StepC.Version("0.0.1"))
            .Service("trace", TraceContract.Version("0.0.1"))
            .Action("takeLeft", a => a.Assign((ctx, evt) => ctx with { Left = EventN(evt) }))
            .Action("takeRight", a => a.Assign((ctx, evt) => ctx with { Right = EventN(evt) }))
            .Action("takeJoined", a => a.Assign((ctx, evt) => ctx with { Joined = EventN(evt) }))
            .Action("markDone", a => a.Assign(ctx => ctx with { Outcome = "done" }))
            .Action("markCancelled", a => a.Assign(ctx => ctx with { Outcome = "cancelled" }))
            .CreateMachine("parallel", m => m
                .Context(input => new ParallelContext(EventN(input), null, null, null, null))
                .Initial("fulfil")
                .State("fulfil", f => f
                    .Initial("both")
                    .Entry(a => a.EnqueueArvoEvent(T("entry:fulfil")))
                    .Exit(a => a.EnqueueArvoEvent(T("exit:fulfil")))
                    .On("sys.com.step.a.error", "cancelled", t => t.EnqueueArvoEvent(T("action:fulfil.cancel")))
                    .On("sys.com.step.b.error", "cancelled", t => t.EnqueueArvoEvent(T("action:fulfil.cancel")))
                    .OnDone("done", t => t.EnqueueArvoEvent(T("action:fulfil.onDone")))
                    .Parallel("both", p => p
                        .Entry(a => a.EnqueueArvoEvent(T("entry:fulfil.both")))
                        .Exit(a => a.EnqueueArvoEvent(T("exit:fulfil.both")))
                        .OnDone("settle", t => t.EnqueueArvoEvent(T("action:fulfil.both.onDone")))
                        .Region("left", r => Side(r, "left", "com.step.a", "evt.step.a.success", "takeLeft"))
                        .Region("right", r => Side(r, "right", "com.step.b", "evt.step.b.success", "takeRight")))
                    .State("settle", s => s
                        .Entry(a => a.EnqueueArvoEvent(T("entry:fulfil.settle")).EnqueueArvoEvent("com.step.c", ctx => new { n = ctx.Left + ctx.Right }))
                        .Exit(a => a.EnqueueArvoEvent(T("exit:fulfil.settle")))
                        .On("evt.step.c.success", "joined", t => t.Action("takeJoined").EnqueueArvoEvent(T("action:settle->joined"))))
                    .Final("joined", s => s
                        .Entry(a => a.EnqueueArvoEvent(T("entry:fulfil.joined")))
                        .Exit(a => a.EnqueueArvoEvent(T("exit:fulfil.joined")))))
                .Final("done", s => s.Entry(a => a.Action("markDone").EnqueueArvoEvent(T("entry:done"))))
                .Final("cancelled", s => s.Entry(a => a.Action("markCancelled").EnqueueArvoEvent(T("entry:cancelled"))))
                .Output(ctx => new { outcome = ctx.Outcome, left = ctx.Left, right = ctx.Right, joined = ctx.Joined }));

    private static void Side(ArvoRegionBuilder<ParallelContext> region, string name, string command, string success, string take) => region
        .Initial("running")
        .Entry(a => a.EnqueueArvoEvent(T($"entry:fulfil.both.{name}")))
        .Exit(a => a.EnqueueArvoEvent(T($"exit:fulfil.both.{name}")))
        .State("running", s => s
            .Entry(a => a.EnqueueArvoEvent(T($"entry:fulfil.both.{name}.running")).EnqueueArvoEvent(command, ctx => new { n = ctx.N }))
            .Exit(a => a.EnqueueArvoEvent(T($"exit:fulfil.both.{name}.running")))
            .On(success, "finished", t => t.Action(take).EnqueueArvoEvent(T($"action:{name}.running->finished"))))
        .Final("finished", s => s
            .Entry(a => a.EnqueueArvoEvent(T($"entry:fulfil.both.{name}.finished")))
            .Exit(a => a.EnqueueArvoEvent(T($"exit:fulfil.both.{name}.finished"))));

    internal sealed record EmitContext(double N);

    /// <summary>emit_vs_enqueue_order: actions alternating XState <c>emit()</c> (here <c>Emit</c>) and <c>enqueueArvoEvent</c>.</summary>
    private static ArvoMachine<EmitContext> EmitOrder() =>
        ArvoMachine.Setup<EmitContext>(Self("emit_vs_enqueue_order"))
            .Service("a", StepA.Version("0.0.1"))
            .Service("trace", TraceContract.Version("0.0.1"))
            .CreateMachine("emit_order", m => m
                .Context(input => new EmitContext(EventN(input)))
                .Initial("first")
                .State("first", s => s
                    .Entry(a => a
                        .EnqueueArvoEvent(T("entry:first#1 (enqueueArvoEvent)"))
                        .Emit("com.step.a", ctx => new { n = ctx.N })
                        .EnqueueArvoEvent(T("entry:first#2 (enqueueArvoEvent)"))
                        .Emit(T("entry:first#3 (emit)")))
                    .Exit(a => a.Emit(T("exit:first (emit)")).EnqueueArvoEvent(T("exit:first (enqueueArvoEvent)")))
                    .On("evt.step.a.success", "second", t => t
                        .EnqueueArvoEvent(T("action:first->second (enqueueArvoEvent)"))
                        .Emit(T("action:first->second (emit)"))))
                .Final("second", s => s.Entry(a => a.EnqueueArvoEvent(T("entry:second (enqueueArvoEvent)")).Emit(T("entry:second (emit)"))))
                .Output(ctx => new { n = ctx.N }));

    private static ArvoContract StepContract(string letter) => ArvoContract.Create($"#/statecharts/service/step/{letter}", $"com.step.{letter}", c => c
        .Version("0.0.1", v => v.Accepts(N).Emits($"evt.step.{letter}.success", N)));

    private static VersionedArvoContract Orchestrator(string name, string output) =>
        ArvoContract.CreateOrchestrator($"#/statecharts/machine/sc/{name}", $"sc.{name}", c => c
            .Version("0.0.1", v => v.Init(N).Complete(output))).Version("0.0.1");
}
