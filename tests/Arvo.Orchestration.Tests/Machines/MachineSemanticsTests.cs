using System.Diagnostics;
using System.Text.Json;
using Arvo.Events;
using Arvo.Machines;
using Arvo.Telemetry;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>The statechart semantics of orchestrator.md 3 on small machines (one behaviour per test).</summary>
public sealed class MachineSemanticsTests
{
    private const string Success = "evt.number.increment.success";
    private const string Decremented = "evt.number.decrement.success";

    public sealed record TraceContext
    {
        public double Delta { get; init; }

        public int Count { get; init; }

        public IReadOnlyList<string> Log { get; init; } = [];

        public TraceContext Add(string entry) => this with { Log = [.. Log, entry] };
    }

    private static ArvoMachine<TraceContext> Build(Action<ArvoMachineBuilder<TraceContext>> configure, Action<ArvoMachineSetup<TraceContext>>? setup = null)
    {
        var machineSetup = ArvoMachine.Setup<TraceContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .Service("notification", CounterContracts.Notification.Version("0.0.1"));
        setup?.Invoke(machineSetup);
        return machineSetup.CreateMachine("trace", m =>
        {
            m.Context(input => new TraceContext { Delta = input.Data.GetProperty("delta").GetDouble() });
            configure(m);
        });
    }

    private static readonly ArvoEvent InitEvent = MachineEvents.Init(delta: 2);

    private static ArvoMachineExecutionResult Start(ArvoMachine machine) => MachineExecutionEngine.Instance.Execute(machine, null, InitEvent);

    private static ArvoMachineExecutionResult Send(ArvoMachine machine, ArvoMachineSnapshot snapshot, string type, object? data = null) =>
        MachineExecutionEngine.Instance.Execute(machine, snapshot, MachineEvents.Of(type, InitEvent.Subject, data));

    private static IEnumerable<string> Log(ArvoMachineSnapshot snapshot) =>
        snapshot.Context.GetProperty("log").EnumerateArray().Select(e => e.GetString()!);

    // Raw events carry the data as the action returned it; the orchestrator serializes it (web defaults unless configured).
    private static string Json(object data) => data is JsonElement element ? element.GetRawText() : JsonSerializer.Serialize(data, JsonSerializerOptions.Web);

    // ---- Event delivery ----

    [Fact]
    public void Deliver_TwoPassingGuards_FirstDeclaredWins()
    {
        var machine = Build(m => m
            .Initial("idle")
            .State("idle", s => s
                .On(Success, "a", t => t.Guard(ctx => ctx.Delta > 0))
                .On(Success, "b", t => t.Guard(ctx => ctx.Delta > 1)))
            .State("a")
            .State("b"));

        Send(machine, Start(machine).Snapshot, Success).Snapshot.Value.Should().Be("a");
    }

    [Fact]
    public void Deliver_FirstGuardFails_NextAlternativeIsTaken()
    {
        var machine = Build(m => m
            .Initial("idle")
            .State("idle", s => s
                .On(Success, "a", t => t.Guard(ctx => ctx.Delta > 5))
                .On(Success, "b", t => t.Guard((_, evt) => evt.Data.GetProperty("ok").GetBoolean()))
                .On(Success, "c"))
            .State("a")
            .State("b")
            .State("c"));

        Send(machine, Start(machine).Snapshot, Success, new { ok = true }).Snapshot.Value.Should().Be("b");
    }

    [Fact]
    public void Deliver_NoGuardPasses_EventIsIgnored()
    {
        var machine = Build(m => m
            .Initial("idle")
            .State("idle", s => s.On(Success, "a", t => t.Guard(_ => false)))
            .State("a"));
        var started = Start(machine);

        var result = Send(machine, started.Snapshot, Success);

        result.Snapshot.Value.Should().Be("idle");
        result.Snapshot.ToJson().Should().Be(started.Snapshot.ToJson());
        result.Events.Should().BeEmpty();
    }

    [Fact]
    public void Deliver_UnhandledType_IsIgnoredSilently()
    {
        var machine = Build(m => m.Initial("idle").State("idle", s => s.On(Success, "a")).State("a"));
        var started = Start(machine);

        var result = Send(machine, started.Snapshot, "com.some.other.event");

        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Active);
        result.Snapshot.ToJson().Should().Be(started.Snapshot.ToJson());
        result.FinalOutput.Should().BeNull();
    }

    [Fact]
    public void Deliver_WildcardOnly_MatchesAnyType()
    {
        var machine = Build(m => m.Initial("idle").State("idle", s => s.On("*", "a")).State("a"));

        Send(machine, Start(machine).Snapshot, "com.anything.else").Snapshot.Value.Should().Be("a");
    }

    [Fact]
    public void Deliver_ExactTypeDeclared_WildcardIsNotTried()
    {
        var machine = Build(m => m
            .Initial("idle")
            .State("idle", s => s
                .On("*", "wild")
                .On(Success, "exact", t => t.Guard(_ => false)))
            .State("wild")
            .State("exact"));

        Send(machine, Start(machine).Snapshot, Success).Snapshot.Value.Should().Be("idle");
    }

    // ---- Action order ----

    [Fact]
    public void Deliver_Transition_RunsExitThenTransitionThenEntryActions()
    {
        var machine = Build(m => m
            .Initial("a")
            .State("a", s => s
                .Entry(x => x.Assign(ctx => ctx.Add("enter a")))
                .Exit(x => x.Assign(ctx => ctx.Add("exit a")))
                .On(Success, "b", t => t.Assign(ctx => ctx.Add("transition a->b")).Assign(ctx => ctx.Add("second assign"))))
            .State("b", s => s.Entry(x => x.Assign(ctx => ctx.Add("enter b")))));

        var result = Send(machine, Start(machine).Snapshot, Success);

        Log(result.Snapshot).Should().Equal("enter a", "exit a", "transition a->b", "second assign", "enter b");
    }

    // XState v5: a transition whose target is its own state runs only its actions unless reenter: true (issue 16; this
    // test expected a re-entry before).
    [Fact]
    public void Deliver_SelfTarget_RunsOnlyTheTransitionActions()
    {
        var machine = Build(m => m
            .Initial("a")
            .State("a", s => s
                .Entry(x => x.Assign(ctx => ctx.Add("enter")))
                .Exit(x => x.Assign(ctx => ctx.Add("exit")))
                .On(Success, "a", t => t.Assign(ctx => ctx.Add("transition")))));

        Log(Send(machine, Start(machine).Snapshot, Success).Snapshot).Should().Equal("enter", "transition");
    }

    [Fact]
    public void Deliver_TargetlessTransition_RunsActionsWithoutExitOrEntry()
    {
        var machine = Build(m => m
            .Initial("a")
            .State("a", s => s
                .Entry(x => x.Assign(ctx => ctx.Add("enter")))
                .Exit(x => x.Assign(ctx => ctx.Add("exit")))
                .On(Success, t => t.Assign(ctx => ctx with { Count = ctx.Count + 1 }).Assign(ctx => ctx.Add("internal")))));

        var result = Send(machine, Start(machine).Snapshot, Success);

        Log(result.Snapshot).Should().Equal("enter", "internal");
        result.Snapshot.Value.Should().Be("a");
        result.Snapshot.Context.GetProperty("count").GetInt32().Should().Be(1);
    }

    // ---- Emit and enqueue ordering ----

    [Fact]
    public void Execute_EnqueueThenEmit_EmittedEventsComeFirst()
    {
        var machine = Build(m => m
            .Initial("a")
            .State("a", s => s.Entry(x => x
                .EnqueueArvoEvent("notif.number.update", _ => new { delta = 1, type = "increment" })
                .Emit("com.number.increment", _ => new { delta = 2 }))));

        var events = Start(machine).Events;

        events.Select(e => e.Type).Should().Equal("com.number.increment", "notif.number.update");
    }

    [Fact]
    public void Execute_ActionsAcrossStates_EmitsInRunOrderThenEnqueuesInRunOrder()
    {
        var machine = Build(m => m
            .Initial("a")
            .State("a", s => s
                .Entry(x => x.EnqueueArvoEvent("notif.number.update", _ => new { delta = 1, type = "increment" }).Emit("com.number.increment", _ => new { delta = 1 }))
                .Always("b", t => t.Emit("com.number.decrement", _ => new { delta = 2 }).EnqueueArvoEvent("notif.number.update", _ => new { delta = 2, type = "increment" })))
            .State("b", s => s.Entry(x => x.Emit("com.number.increment", _ => new { delta = 3 }).EnqueueArvoEvent("notif.number.update", _ => new { delta = 3, type = "decrement" }))));

        var events = Start(machine).Events;

        events.Select(e => $"{e.Type} {Json(e.Data)}").Should().Equal(
            """com.number.increment {"delta":1}""",
            """com.number.decrement {"delta":2}""",
            """com.number.increment {"delta":3}""",
            """notif.number.update {"delta":1,"type":"increment"}""",
            """notif.number.update {"delta":2,"type":"increment"}""",
            """notif.number.update {"delta":3,"type":"decrement"}""");
    }

    [Fact]
    public void Execute_InvalidServiceData_ReturnsTheRawEventAsWritten()
    {
        // The machine neither serializes nor validates: the orchestrator's one emission stage does (a ContractViolation
        // there, ArvoOrchestratorViolationTests.ExecuteAsync_EmittedServiceDataInvalid_ThrowsContractViolation).
        var data = new { delta = "one" };
        var machine = Build(m => m.Initial("a").State("a", s => s.Entry(x => x.Emit("com.number.increment", _ => data))));

        var emitted = Start(machine).Events.Should().ContainSingle().Subject;

        emitted.Type.Should().Be("com.number.increment");
        emitted.Data.Should().BeSameAs(data);
    }

    [Fact]
    public void Execute_UndeclaredRawEvent_PassesThroughWithItsFields()
    {
        var machine = Build(m => m.Initial("a").State("a", s => s.Entry(x => x.EnqueueArvoEvent(ctx =>
            ArvoMachineEmit.Create("com.notif.test", new { anything = ctx.Delta }) with
            {
                Domain = ["audit", null],
                Id = ArvoEventId.DeveloperManaged("fixed-1"),
                To = "com.elsewhere",
                ExecutionUnits = 3,
            }))));

        var emitted = Start(machine).Events.Should().ContainSingle().Subject;

        emitted.Type.Should().Be("com.notif.test");
        Json(emitted.Data).Should().Be("""{"anything":2}""");
        emitted.Domain.Should().Equal("audit", null);
        emitted.Id.Should().Be(ArvoEventId.DeveloperManaged("fixed-1"));
        emitted.To.Should().Be("com.elsewhere");
        emitted.ExecutionUnits.Should().Be(3);
    }

    [Fact]
    public void Execute_NamedActionWithParameters_UsesTheConsumedEvent()
    {
        var machine = Build(
            m => m
                .Initial("a")
                .State("a", s => s.On(Success, "b", t => t.Action("remember")))
                .State("b"),
            setup => setup.Action("remember", x => x.Assign((ctx, evt) => ctx with { Delta = evt.Data.GetProperty("newValue").GetDouble() })));

        var result = Send(machine, Start(machine).Snapshot, Success, new { newValue = 42 });

        result.Snapshot.Context.GetProperty("delta").GetDouble().Should().Be(42);
    }

    // ---- Settling ----

    [Fact]
    public void Settle_CountingAlwaysLoop_SettlesWhenGuardFails()
    {
        var machine = Build(m => m
            .Initial("count")
            .State("count", s => s.Always(t => t.Guard(ctx => ctx.Count < 5).Assign(ctx => ctx with { Count = ctx.Count + 1 }))));

        Start(machine).Snapshot.Context.GetProperty("count").GetInt32().Should().Be(5);
    }

    [Fact]
    public void Settle_EndlessAlwaysLoop_ThrowsNamingTheStates()
    {
        var machine = Build(m => m
            .Initial("start")
            .State("start", s => s.Always("ping"))
            .State("ping", s => s.Always("pong"))
            .State("pong", s => s.Always("ping")));

        var act = () => Start(machine);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            "Eventless transitions of machine 'trace' (version '0.0.1') did not settle after 1000 microsteps; states in the loop: 'ping', 'pong'");
    }

    [Fact]
    public void Settle_CustomBound_ThrowsAfterThatManyMicrosteps()
    {
        var machine = Build(m => m
            .MaxMicrosteps(10)
            .Initial("count")
            .State("count", s => s.Always(t => t.Guard(ctx => ctx.Count < 100).Assign(ctx => ctx with { Count = ctx.Count + 1 }))));

        var act = () => Start(machine);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            "Eventless transitions of machine 'trace' (version '0.0.1') did not settle after 10 microsteps; states in the loop: 'count'");
    }

    [Fact]
    public void Settle_ExactlyAtTheBound_Settles()
    {
        var machine = Build(m => m
            .MaxMicrosteps(10)
            .Initial("count")
            .State("count", s => s.Always(t => t.Guard(ctx => ctx.Count < 10).Assign(ctx => ctx with { Count = ctx.Count + 1 }))));

        Start(machine).Snapshot.Context.GetProperty("count").GetInt32().Should().Be(10);
    }

    [Fact]
    public void Settle_AfterDeliveredEvent_TakesEventlessTransitions()
    {
        var machine = Build(m => m
            .Initial("idle")
            .State("idle", s => s.On(Success, "check"))
            .State("check", s => s.Always("big", t => t.Guard(ctx => ctx.Delta > 1)).Always("small"))
            .State("big")
            .State("small"));

        Send(machine, Start(machine).Snapshot, Success).Snapshot.Value.Should().Be("big");
    }

    // ---- Final states ----

    [Fact]
    public void Start_InitialStateIsFinal_FinishesAtOnceWithOutput()
    {
        var machine = Build(m => m
            .Initial("done")
            .Final("done", s => s.Entry(x => x.Assign(ctx => ctx with { Count = 7 })))
            .Output(ctx => new { final = ctx.Count }));

        var result = Start(machine);

        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        Json(result.FinalOutput!.Value).Should().Be("""{"final":7}""");
        Json(result.Snapshot.Output!.Value).Should().Be("""{"final":7}""");
    }

    // XState v5 stops the machine in the microstep that enters a top-level final state: its exit actions run then, after
    // the output was computed (issue 16; they never ran before).
    [Fact]
    public void Deliver_TopLevelFinalEntered_RunsItsExitActionsAfterTheOutput()
    {
        var machine = Build(m => m
            .Initial("a")
            .State("a", s => s.On(Success, "done"))
            .Final("done", s => s
                .Entry(x => x.Assign(ctx => ctx.Add("enter done")))
                .Exit(x => x.Assign(ctx => ctx with { Count = 9 }).Assign(ctx => ctx.Add("exit done"))))
            .Output(ctx => new { final = ctx.Count }));

        var result = Send(machine, Start(machine).Snapshot, Success);

        Log(result.Snapshot).Should().Equal("enter done", "exit done");
        Json(result.FinalOutput!.Value).Should().Be("""{"final":0}""");
    }

    [Fact]
    public void Start_FinalReached_LaterAlwaysTransitionsAreNotTaken()
    {
        var machine = Build(m => m
            .Initial("a")
            .State("a", s => s.Always("done"))
            .Final("done", s => s.Entry(x => x.Assign(ctx => ctx.Add("done")))));

        var result = Start(machine);

        Log(result.Snapshot).Should().Equal("done");
        result.Snapshot.Value.Should().Be("done");
    }

    [Fact]
    public void Execute_OutputNotAnObject_Throws()
    {
        var machine = Build(m => m.Initial("done").Final("done").Output(_ => 5));

        var act = () => Start(machine);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            "The output of machine 'trace' (version '0.0.1') must serialize to a JSON object, received Number");
    }

    [Theory]
    [InlineData("[1]", "Array")]
    [InlineData("\"done\"", "String")]
    [InlineData("true", "True")]
    [InlineData("null", "Null")]
    public void Execute_OutputJsonNotAnObject_ThrowsNamingItsKind(string json, string kind)
    {
        var output = JsonDocument.Parse(json).RootElement.Clone();
        var machine = Build(m => m.Initial("done").Final("done").Output(_ => output));

        var act = () => Start(machine);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            $"The output of machine 'trace' (version '0.0.1') must serialize to a JSON object, received {kind}");
    }

    [Fact]
    public void Execute_OutputNull_IsTheEmptyObjectInTheSnapshotAndTheResult()
    {
        var machine = Build(m => m.Initial("done").Final("done").Output(_ => null!));

        var result = Start(machine);

        Json(result.FinalOutput!.Value).Should().Be("{}");
        result.Snapshot.ToJson().Should().EndWith(""","output":{}}""");
    }

    [Fact]
    public void Execute_OutputJsonObject_IsCopiedVerbatimAndTheResultIsTheSnapshotsOutput()
    {
        var output = JsonDocument.Parse("""{"final":3,"label":"caf\u00e9 <b>","nested":{"items":[1,2.5,null]}}""").RootElement.Clone();
        var machine = Build(m => m.Initial("done").Final("done").Output(_ => output));

        var result = Start(machine);

        JsonElement.DeepEquals(result.FinalOutput!.Value, output).Should().BeTrue();
        JsonElement.DeepEquals(result.Snapshot.Output!.Value, output).Should().BeTrue();
        ArvoMachineSnapshot.Parse(result.Snapshot.ToJson()).Output!.Value.GetProperty("label").GetString().Should().Be("caf\u00e9 <b>");
    }

    [Fact]
    public void Execute_ManyCompletionsOnOneMachine_EachCarriesItsOwnOutput()
    {
        var machine = Build(m => m.Initial("done").Final("done").Output(ctx => new { final = ctx.Delta }));

        var outputs = Enumerable.Range(1, 5)
            .Select(delta => MachineExecutionEngine.Instance.Execute(machine, null, MachineEvents.Init(delta: delta)))
            .Select(result => Json(result.FinalOutput!.Value))
            .ToList();

        outputs.Should().Equal("""{"final":1}""", """{"final":2}""", """{"final":3}""", """{"final":4}""", """{"final":5}""");
    }

    // ---- Errors ----

    [Fact]
    public void Deliver_GuardThrows_AbortsTheExecution()
    {
        var machine = Build(m => m
            .Initial("idle")
            .State("idle", s => s.On(Success, "a", t => t.Guard(_ => throw new InvalidOperationException("guard failed"))))
            .State("a"));
        var started = Start(machine);

        var act = () => Send(machine, started.Snapshot, Success);

        act.Should().Throw<InvalidOperationException>().WithMessage("guard failed");
    }

    [Fact]
    public void Restore_UnknownState_Throws()
    {
        var machine = Build(m => m.Initial("idle").State("idle"));
        var snapshot = ArvoMachineSnapshot.Parse("""{"layout":1,"status":"active","value":"gone","context":{"delta":1}}""");

        var act = () => Send(machine, snapshot, Success);

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            "The snapshot state 'gone' is not a top-level state of machine 'trace' (version '0.0.1')");
    }
}

/// <summary>The <c>Execute Machine</c> span (telemetry.md).</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class MachineExecutionEngineTelemetryTests
{
    [Fact]
    public void Execute_WithListener_RecordsExecuteMachineSpanUnderTheEventTrace()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArvoTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var init = MachineEvents.Init().WithTraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

        MachineExecutionEngine.Instance.Execute(CounterMachine.Create(), null, init);

        var span = spans.Should().ContainSingle(s => s.OperationName == "Execute Machine").Subject;
        span.TraceId.ToHexString().Should().Be("4bf92f3577b34da6a3ce929d0e0e4736");
        span.ParentSpanId.ToHexString().Should().Be("00f067aa0ba902b7");
        span.GetTagItem("arvo.machine.type").Should().Be("arvo.orc.test");
        span.GetTagItem("arvo.machine.version").Should().Be("0.0.1");
        span.GetTagItem("cloudevents.event_type").Should().Be("arvo.orc.test");
        span.Status.Should().Be(ActivityStatusCode.Ok);
    }

    [Fact]
    public void Execute_Failure_SetsErrorStatus()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArvoTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var subject = MachineEvents.Init().Subject;

        var act = () => MachineExecutionEngine.Instance.Execute(CounterMachine.Create(), null, MachineEvents.IncrementSuccess(subject));

        act.Should().Throw<InvalidOperationException>();
        var span = spans.Should().ContainSingle(s => s.OperationName == "Execute Machine").Subject;
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().StartWith("Invalid initialization event: Machine requires source event 'arvo.orc.test'");
    }
}
