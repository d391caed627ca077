using System.Text.Json;
using Arvo.Machines;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>
/// Parallel states: orthogonal regions on top of Stateless (see ArvoParallelStateBuilder for the documented order).
/// Exits follow XState v5's reverse document order (the later region first; these tests expected declaration order
/// before issue 16).
/// </summary>
public sealed class ParallelStateTests
{
    private const string Incremented = "evt.number.increment.success";
    private const string Decremented = "evt.number.decrement.success";
    private const string IncrementError = "sys.com.number.increment.error";

    private static readonly ArvoEvent InitEvent = MachineEvents.Init(delta: 2);

    internal static ArvoMachine<MachineSemanticsTests.TraceContext> Build(Action<ArvoParallelStateBuilder<MachineSemanticsTests.TraceContext>>? extra = null) =>
        ArvoMachine.Setup<MachineSemanticsTests.TraceContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .CreateMachine("both", m => m
                .Context(input => new MachineSemanticsTests.TraceContext { Delta = input.Data.GetProperty("delta").GetDouble() })
                .Initial("work")
                .Parallel("work", p =>
                {
                    p.Entry(a => a.Assign(ctx => ctx.Add("enter work")))
                        .Exit(a => a.Assign(ctx => ctx.Add("exit work")))
                        .Region("inc", r => r
                            .Initial("incWaiting")
                            .State("incWaiting", s => s
                                .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }).Assign(ctx => ctx.Add("enter incWaiting")))
                                .Exit(a => a.Assign(ctx => ctx.Add("exit incWaiting")))
                                .On(Incremented, "incDone", t => t.Assign(ctx => ctx.Add("inc transition")))
                                .On(IncrementError, "incFailed", t => t.Guard(ctx => ctx.Count == 0).Assign(ctx => ctx with { Count = ctx.Count + 1 }).Assign(ctx => ctx.Add("inc error"))))
                            .Final("incDone", s => s.Entry(a => a.Assign(ctx => ctx.Add("enter incDone"))).Exit(a => a.Assign(ctx => ctx.Add("exit incDone"))))
                            .Final("incFailed"))
                        .Region("dec", r => r
                            .Initial("decWaiting")
                            .State("decWaiting", s => s
                                .Entry(a => a.Emit("com.number.decrement", ctx => new { delta = ctx.Delta }).Assign(ctx => ctx.Add("enter decWaiting")))
                                .Exit(a => a.Assign(ctx => ctx.Add("exit decWaiting")))
                                .On(Decremented, "decChecked")
                                .On(IncrementError, "decFailed", t => t.Guard(ctx => ctx.Count == 0).Assign(ctx => ctx.Add("dec error"))))
                            .State("decChecked", s => s.Always("decDone", t => t.Assign(ctx => ctx.Add("dec always"))))
                            .Final("decDone", s => s.Entry(a => a.Assign(ctx => ctx.Add("enter decDone"))).Exit(a => a.Assign(ctx => ctx.Add("exit decDone"))))
                            .Final("decFailed"))
                        .OnDone("done", t => t.Assign(ctx => ctx.Add("onDone")));
                    extra?.Invoke(p);
                })
                .State("aborted", s => s.Entry(a => a.Assign(ctx => ctx.Add("enter aborted"))))
                .Final("done", s => s.Entry(a => a.Assign(ctx => ctx.Add("enter done"))))
                .Output(ctx => new { log = ctx.Log }));

    private static ArvoMachineExecutionResult Start(ArvoMachine machine) => MachineExecutionEngine.Instance.Execute(machine, null, InitEvent);

    private static ArvoMachineExecutionResult Send(ArvoMachine machine, ArvoMachineSnapshot snapshot, string type, object? data = null) =>
        MachineExecutionEngine.Instance.Execute(machine, ArvoMachineSnapshot.Parse(snapshot.ToJson()), MachineEvents.Of(type, InitEvent.Subject, data ?? new { newValue = 1 }));

    private static IEnumerable<string> Log(ArvoMachineSnapshot snapshot) =>
        snapshot.Context.GetProperty("log").EnumerateArray().Select(e => e.GetString()!);

    private static string Value(ArvoMachineSnapshot snapshot) => snapshot.ValueToJson().ToJsonString();

    [Fact]
    public void Start_ParallelInitial_EntersEveryRegionInDeclarationOrder()
    {
        var result = Start(Build());

        Log(result.Snapshot).Should().Equal("enter work", "enter incWaiting", "enter decWaiting");
        result.Events.Select(e => e.Type).Should().Equal("com.number.increment", "com.number.decrement");
        Value(result.Snapshot).Should().Be("""{"work":{"inc":"incWaiting","dec":"decWaiting"}}""");
        result.Snapshot.ToJson().Should().StartWith("""{"layout":1,"status":"active","value":{"work":{"inc":"incWaiting","dec":"decWaiting"}},""");
    }

    [Fact]
    public void Deliver_IncrementThenDecrement_CompletesWhenBothRegionsAreFinal()
    {
        var machine = Build();
        var started = Start(machine);

        var afterInc = Send(machine, started.Snapshot, Incremented);
        var afterDec = Send(machine, afterInc.Snapshot, Decremented);

        afterInc.Snapshot.Status.Should().Be(ArvoMachineStatus.Active);
        Value(afterInc.Snapshot).Should().Be("""{"work":{"inc":"incDone","dec":"decWaiting"}}""");
        afterInc.FinalOutput.Should().BeNull();
        afterDec.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        afterDec.Snapshot.Value.Should().Be("done");
        afterDec.Snapshot.Regions.Should().BeNull();
        Log(afterDec.Snapshot).Should().Equal(
            "enter work", "enter incWaiting", "enter decWaiting",
            "exit incWaiting", "inc transition", "enter incDone",
            "exit decWaiting", "dec always", "enter decDone",
            "exit decDone", "exit incDone", "exit work", "onDone", "enter done");
    }

    [Fact]
    public void Deliver_DecrementThenIncrement_CompletesWhenBothRegionsAreFinal()
    {
        var machine = Build();
        var started = Start(machine);

        var afterDec = Send(machine, started.Snapshot, Decremented);
        var afterInc = Send(machine, afterDec.Snapshot, Incremented);

        Value(afterDec.Snapshot).Should().Be("""{"work":{"inc":"incWaiting","dec":"decDone"}}""");
        afterDec.FinalOutput.Should().BeNull();
        afterInc.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        Log(afterInc.Snapshot).Should().Equal(
            "enter work", "enter incWaiting", "enter decWaiting",
            "exit decWaiting", "dec always", "enter decDone",
            "exit incWaiting", "inc transition", "enter incDone",
            "exit decDone", "exit incDone", "exit work", "onDone", "enter done");
        afterInc.FinalOutput.Should().NotBeNull();
    }

    [Fact]
    public void Deliver_EventHandledByTwoRegions_BothTakeTheirTransitionSelectedOnTheSameContext()
    {
        var machine = Build();
        var started = Start(machine);

        var result = Send(machine, started.Snapshot, IncrementError, new { errorName = "E", errorMessage = "boom", errorStack = (string?)null });

        // Both guards read Count == 0 although the inc region's transition sets Count = 1. XState v5 runs both
        // transitions as one microstep: every exit (later region first), then both actions, then both entries.
        Log(result.Snapshot).Should().Equal(
            "enter work", "enter incWaiting", "enter decWaiting",
            "exit decWaiting", "exit incWaiting", "inc error", "dec error",
            "exit work", "onDone", "enter done");
        result.Snapshot.Value.Should().Be("done");
        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
    }

    [Fact]
    public void Deliver_FinalInOneRegionOnly_ParallelStateStaysActive()
    {
        var machine = Build();

        var result = Send(machine, Start(machine).Snapshot, Incremented);

        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Active);
        result.Snapshot.Value.Should().Be("work");
        result.Snapshot.Regions.Should().Equal(new Dictionary<string, string> { ["inc"] = "incDone", ["dec"] = "decWaiting" });
        result.Events.Should().BeEmpty();
        result.FinalOutput.Should().BeNull();
    }

    [Fact]
    public void Deliver_EventNoRegionHandles_ParallelStateTransitionExitsAllRegions()
    {
        var machine = Build(p => p.On("sys.com.number.decrement.error", "aborted", t => t.Assign(ctx => ctx.Add("abort"))));

        var result = Send(machine, Start(machine).Snapshot, "sys.com.number.decrement.error", new { errorName = "E", errorMessage = "boom", errorStack = (string?)null });

        result.Snapshot.Value.Should().Be("aborted");
        result.Snapshot.Regions.Should().BeNull();
        Log(result.Snapshot).Should().Equal(
            "enter work", "enter incWaiting", "enter decWaiting",
            "exit decWaiting", "exit incWaiting", "exit work", "abort", "enter aborted");
    }

    [Fact]
    public void Deliver_RegionHandlesEvent_ParallelStateOwnTransitionIsNotTried()
    {
        var machine = Build(p => p.On(Incremented, "aborted"));

        var result = Send(machine, Start(machine).Snapshot, Incremented);

        Value(result.Snapshot).Should().Be("""{"work":{"inc":"incDone","dec":"decWaiting"}}""");
    }

    [Fact]
    public void Execute_ParallelWithoutRegions_HandlesItsOwnTransitions()
    {
        var machine = ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .CreateMachine("inc", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("command")
                .Parallel("command", p => p
                    .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }))
                    .On(Incremented, "done"))
                .Final("done")
                .Output(ctx => new { final = ctx.Delta }));

        var started = MachineExecutionEngine.Instance.Execute(machine, null, InitEvent);
        var finished = MachineExecutionEngine.Instance.Execute(machine, started.Snapshot, MachineEvents.IncrementSuccess(InitEvent.Subject));

        started.Events.Should().ContainSingle().Which.Type.Should().Be("com.number.increment");
        started.Snapshot.ValueToJson().ToJsonString().Should().Be("""{"command":{}}""");
        finished.Snapshot.Value.Should().Be("done");
        ((JsonElement?)finished.FinalOutput)!.Value.GetRawText().Should().Be("""{"final":2}""");
    }

    [Fact]
    public void Restore_MissingRegionState_Throws()
    {
        var machine = Build();
        var snapshot = ArvoMachineSnapshot.Parse("""{"layout":1,"status":"active","value":{"work":{"inc":"incWaiting"}},"context":{"delta":1,"count":0,"log":[]}}""");

        var act = () => MachineExecutionEngine.Instance.Execute(machine, snapshot, MachineEvents.Of(Incremented, InitEvent.Subject, new { newValue = 1 }));

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            "The snapshot of machine 'both' (version '0.0.1') has no valid state for region 'dec' of parallel state 'work'");
    }
}
