using Arvo.Machines;
using Arvo.Tests.TestSupport;
using static Arvo.Tests.TestSupport.TraceMachines;
using TraceContext = Arvo.Tests.Machines.MachineSemanticsTests.TraceContext;

namespace Arvo.Tests.Machines;

/// <summary>
/// Nested (compound) states (issue 16 item 2): entry and exit order, transitions declared on a parent, self-transitions
/// below the top level, the stored state value and the build-time checks. Each test names the XState v5 rule it checks.
/// </summary>
public sealed class CompoundStateTests
{
    private const string A = "evt.number.increment.success";
    private const string B = "evt.number.decrement.success";
    private const string AError = "sys.com.number.increment.error";

    private static ArvoMachine<TraceContext> Build(Action<ArvoMachineBuilder<TraceContext>> configure) => TraceMachines.Build("nested", configure);

    private static ArvoStateBuilder<TraceContext> Traced(ArvoStateBuilder<TraceContext> state, string name) =>
        state.Entry(Trace($"enter {name}")).Exit(Trace($"exit {name}"));

    /// <summary>
    /// <c>processing</c> (initial <c>a</c>): <c>a</c> goes to <c>b</c> on A; <c>processing</c> goes to <c>cancelled</c> on
    /// the increment error; <paramref name="extra"/> adds to <c>processing</c>, <paramref name="child"/> to <c>a</c>.
    /// </summary>
    private static ArvoMachine<TraceContext> Processing(
        Action<ArvoStateBuilder<TraceContext>>? extra = null,
        Action<ArvoStateBuilder<TraceContext>>? child = null) => Build(m => m
        .Initial("processing")
        .State("processing", s =>
        {
            Traced(s, "processing")
                .Initial("a")
                .State("a", c =>
                {
                    Traced(c, "a").On(A, "b", t => t.Assign(ctx => ctx.Add("a to b")));
                    child?.Invoke(c);
                })
                .State("b", c => Traced(c, "b"));
            extra?.Invoke(s);
            s.On(AError, "cancelled", t => t.Assign(ctx => ctx.Add("cancel")));
        })
        .State("cancelled", s => Traced(s, "cancelled")));

    // ---- Entry and exit order ----

    // XState v5: entering a compound state runs entry actions from the outermost to the innermost state, down to the initial child.
    [Fact]
    public void Start_NestedInitialStates_EntersOutermostToInnermost()
    {
        var machine = Build(m => m
            .Initial("outer")
            .State("outer", o => Traced(o, "outer")
                .Initial("middle")
                .State("middle", mid => Traced(mid, "middle").Initial("inner").State("inner", i => Traced(i, "inner")))));

        var result = Start(machine);

        Log(result).Should().Equal("enter outer", "enter middle", "enter inner");
        Value(result).Should().Be("""{"outer":{"middle":"inner"}}""");
    }

    // XState v5: leaving runs exit actions from the innermost to the outermost; the transition's actions run after the exits and before the entries.
    [Fact]
    public void Deliver_TransitionOutOfNestedStates_ExitsInnermostFirstThenActionsThenEntries()
    {
        var machine = Build(m => m
            .Initial("outer")
            .State("outer", o => Traced(o, "outer")
                .Initial("middle")
                .State("middle", mid => Traced(mid, "middle")
                    .Initial("inner")
                    .State("inner", i => Traced(i, "inner").On(A, "other", t => t.Assign(ctx => ctx.Add("inner to other"))))))
            .State("other", o => Traced(o, "other").Initial("first").State("first", f => Traced(f, "first"))));

        var result = Run(machine, A);

        Log(result).Skip(3).Should().Equal("exit inner", "exit middle", "exit outer", "inner to other", "enter other", "enter first");
        Value(result).Should().Be("""{"other":"first"}""");
    }

    // XState v5: a transition between siblings leaves and enters only the siblings; their parent stays active.
    [Fact]
    public void Deliver_SiblingTransition_KeepsTheParent()
    {
        var result = Run(Processing(), A);

        Log(result).Should().Equal("enter processing", "enter a", "exit a", "a to b", "enter b");
        Value(result).Should().Be("""{"processing":"b"}""");
    }

    // ---- Transitions declared on a compound state ----

    // XState v5: a transition declared on a compound state applies whichever child is active.
    [Theory]
    [InlineData(new string[0], "exit a")]
    [InlineData(new[] { A }, "exit b")]
    public void Deliver_ParentTransition_AppliesWhicheverChildIsActive(string[] before, string childExit)
    {
        var result = Run(Processing(), [.. before, AError]);

        Log(result).TakeLast(4).Should().Equal(childExit, "exit processing", "cancel", "enter cancelled");
        Value(result).Should().Be("\"cancelled\"");
    }

    // XState v5: the active child handling the same event itself wins over its parent (the deepest state wins).
    [Fact]
    public void Deliver_ChildHandlesTheSameEvent_DeepestStateWins()
    {
        var machine = Processing(child: c => c.On(AError, t => t.Assign(ctx => ctx.Add("child handles"))));

        var result = Run(machine, AError);

        Log(result).Should().Equal("enter processing", "enter a", "child handles");
        Value(result).Should().Be("""{"processing":"a"}""");
    }

    // XState v5: when every alternative of the child is disabled, the parent's alternatives for the same event are tried.
    [Fact]
    public void Deliver_ChildGuardFails_ParentAlternativeIsTaken()
    {
        var machine = Processing(child: c => c.On(AError, "b", t => t.Guard(_ => false)));

        var result = Run(machine, AError);

        Value(result).Should().Be("\"cancelled\"");
    }

    // XState v5: the first enabled guard in declaration order wins (on a parent, too).
    [Fact]
    public void Deliver_ParentAlternatives_FirstEnabledGuardInDeclarationOrderWins()
    {
        var machine = Processing(extra: s => s
            .On(AError, "cancelled", t => t.Guard(_ => false).Assign(ctx => ctx.Add("first")))
            .On(AError, ".b", t => t.Guard(_ => true).Assign(ctx => ctx.Add("second"))));

        var result = Run(machine, AError);

        Log(result).Should().Equal("enter processing", "enter a", "exit a", "second", "enter b");
        Value(result).Should().Be("""{"processing":"b"}""");
    }

    // XState v5: a transition with no target runs only its actions: no exit, no entry (the active child stays).
    [Fact]
    public void Deliver_TargetlessOnParent_KeepsTheActiveChild()
    {
        var machine = Processing(extra: s => s.On(B, t => t.Assign(ctx => ctx.Add("parent action"))));

        var result = Run(machine, A, B);

        Log(result).Should().Equal("enter processing", "enter a", "exit a", "a to b", "enter b", "parent action");
        Value(result).Should().Be("""{"processing":"b"}""");
    }

    // ---- Self-transitions below the top level ----

    // XState v5: a transition whose target is its own state runs only its actions without reenter: true (a nested child).
    [Fact]
    public void Deliver_ChildSelfTarget_RunsOnlyTheTransitionActions()
    {
        var machine = Processing(child: c => c.On(B, "a", t => t.Assign(ctx => ctx.Add("loop"))));

        var result = Run(machine, B);

        Log(result).Should().Equal("enter processing", "enter a", "loop");
    }

    // XState v5: with reenter: true the child is exited and re-entered; its parent is not.
    [Fact]
    public void Deliver_ChildSelfTargetWithReenter_ReentersOnlyTheChild()
    {
        var machine = Processing(child: c => c.On(B, "a", t => t.Reenter().Assign(ctx => ctx.Add("retry"))));

        var result = Run(machine, B);

        Log(result).Should().Equal("enter processing", "enter a", "exit a", "retry", "enter a");
        Value(result).Should().Be("""{"processing":"a"}""");
    }

    // XState v5 (statechart vectors, compound_self_target): a compound state targeting itself exits its active child and
    // enters its initial child again, without its own exit or entry actions.
    [Fact]
    public void Deliver_CompoundSelfTarget_ResetsToTheInitialChildWithoutItsOwnExitOrEntry()
    {
        var machine = Processing(extra: s => s.On(B, "processing", t => t.Assign(ctx => ctx.Add("restart"))));

        var result = Run(machine, A, B);

        Log(result).Skip(5).Should().Equal("exit b", "restart", "enter a");
        Value(result).Should().Be("""{"processing":"a"}""");
    }

    // XState v5: a compound state targeting itself with reenter: true runs its own exit and entry too.
    [Fact]
    public void Deliver_CompoundSelfTargetWithReenter_ExitsAndReentersTheCompound()
    {
        var machine = Processing(extra: s => s.On(B, "processing", t => t.Reenter().Assign(ctx => ctx.Add("restart"))));

        var result = Run(machine, A, B);

        Log(result).Skip(5).Should().Equal("exit b", "exit processing", "restart", "enter processing", "enter a");
    }

    // XState v5: a parent's transition to one of its children exits every active state below the parent (the
    // transition's domain), so targeting the active child exits and enters it.
    [Fact]
    public void Deliver_ParentTargetsTheActiveChild_ExitsAndEntersIt()
    {
        var machine = Processing(extra: s => s.On(B, ".a", t => t.Assign(ctx => ctx.Add("back to a"))));

        var result = Run(machine, B);

        Log(result).Should().Equal("enter processing", "enter a", "exit a", "back to a", "enter a");
    }

    // XState v5: a child's transition to its parent exits and re-enters the parent (down to its initial child).
    [Fact]
    public void Deliver_ChildTargetsItsParent_ReentersTheParent()
    {
        var machine = Build(m => m
            .Initial("processing")
            .State("processing", s => Traced(s, "processing")
                .Initial("a")
                .State("a", c => Traced(c, "a").On(A, "b"))
                .State("b", c => Traced(c, "b").On(B, "processing", t => t.Assign(ctx => ctx.Add("b to processing"))))));

        var result = Run(machine, A, B);

        Log(result).Skip(4).Should().Equal("exit b", "exit processing", "b to processing", "enter processing", "enter a");
    }

    // ---- Eventless transitions ----

    // XState v5: eventless transitions are selected from the innermost state outwards.
    [Fact]
    public void Settle_ChildAndParentAlways_DeepestEnabledWins()
    {
        var machine = Build(m => m
            .Initial("p")
            .State("p", s => s
                .Always("parentTarget", t => t.Assign(ctx => ctx.Add("parent always")))
                .Initial("c")
                .State("c", c => c.Always("sibling", t => t.Assign(ctx => ctx.Add("child always"))))
                .State("sibling"))
            .State("parentTarget"));

        var result = Start(machine);

        Log(result).Should().Equal("child always", "parent always");
        Value(result).Should().Be("\"parentTarget\"");
    }

    // ---- Parallel and compound states inside each other ----

    // XState v5: a parallel state inside a compound state stores one value per region under both levels.
    [Fact]
    public void Start_ParallelInsideCompound_EntersEveryLevelInDocumentOrder()
    {
        var machine = Build(m => m
            .Initial("fulfil")
            .State("fulfil", f => Traced(f, "fulfil")
                .Initial("both")
                .Parallel("both", p => p
                    .Entry(Trace("enter both"))
                    .Region("left", r => r.Entry(Trace("enter left")).Initial("running").State("running", s => Traced(s, "left.running")))
                    .Region("right", r => r.Entry(Trace("enter right")).Initial("running").State("running", s => Traced(s, "right.running"))))));

        var result = Start(machine);

        Log(result).Should().Equal("enter fulfil", "enter both", "enter left", "enter left.running", "enter right", "enter right.running");
        Value(result).Should().Be("""{"fulfil":{"both":{"left":"running","right":"running"}}}""");
    }

    // XState v5: a compound state inside a region keeps its own nested value; its parent transition applies from any child.
    [Fact]
    public void Deliver_CompoundInsideRegion_MovesOnlyInsideThatRegion()
    {
        var machine = Build(m => m
            .Initial("work")
            .Parallel("work", p => p
                .Region("inc", r => r
                    .Initial("calling")
                    .State("calling", c => c
                        .Initial("waiting")
                        .State("waiting", w => w.On(A, "confirming"))
                        .State("confirming")
                        .On(AError, "failed"))
                    .State("failed"))
                .Region("dec", r => r.Initial("decWaiting").State("decWaiting"))));

        var started = Start(machine);
        var moved = Run(machine, A);
        var failed = Run(machine, A, AError);

        Value(started).Should().Be("""{"work":{"inc":{"calling":"waiting"},"dec":"decWaiting"}}""");
        Value(moved).Should().Be("""{"work":{"inc":{"calling":"confirming"},"dec":"decWaiting"}}""");
        Value(failed).Should().Be("""{"work":{"inc":"failed","dec":"decWaiting"}}""");
    }

    // XState v5: a region state's transition to a state outside the parallel state exits every region (later first),
    // then the parallel state, then runs its actions and enters the target.
    [Fact]
    public void Deliver_RegionStateTargetsOutsideTheParallelState_ExitsEveryRegion()
    {
        var machine = Build(m => m
            .Initial("work")
            .Parallel("work", p => p
                .Exit(Trace("exit work"))
                .Region("left", r => r.Exit(Trace("exit left")).Initial("l1").State("l1", s => Traced(s, "l1").On(A, "aborted", t => t.Assign(ctx => ctx.Add("abort")))))
                .Region("right", r => r.Exit(Trace("exit right")).Initial("r1").State("r1", s => Traced(s, "r1"))))
            .State("aborted", s => Traced(s, "aborted")));

        var result = Run(machine, A);

        Log(result).Skip(2).Should().Equal("exit r1", "exit right", "exit l1", "exit left", "exit work", "abort", "enter aborted");
        Value(result).Should().Be("\"aborted\"");
    }

    // XState v5: a transition from one region into another exits and re-enters every region (the parallel state is the
    // domain), entering the target's region along its path and the others by default; the parallel state itself stays.
    [Fact]
    public void Deliver_CrossRegionTransition_ReentersEveryRegion()
    {
        var machine = Build(m => m
            .Initial("work")
            .Parallel("work", p => p
                .Entry(Trace("enter work"))
                .Exit(Trace("exit work"))
                .Region("left", r => r.Initial("l1").State("l1", s => Traced(s, "l1").On(A, "right.r2", t => t.Assign(ctx => ctx.Add("jump")))))
                .Region("right", r => r.Initial("r1").State("r1", s => Traced(s, "r1")).State("r2", s => Traced(s, "r2")))));

        var result = Run(machine, A);

        Log(result).Skip(3).Should().Equal("exit r1", "exit l1", "jump", "enter l1", "enter r2");
        Value(result).Should().Be("""{"work":{"left":"l1","right":"r2"}}""");
    }

    // ---- Target names ----

    // A plain name is the nearest state of that name: a sibling first, so equal names under different parents do not clash.
    [Fact]
    public void Deliver_TargetName_ResolvesToTheNearestSibling()
    {
        var machine = Build(m => m
            .Initial("first")
            .State("first", s => s.Initial("step").State("step", c => c.On(A, "next")).State("next"))
            .State("second", s => s.Initial("step").State("step").State("next")));

        Value(Run(machine, A)).Should().Be("""{"first":"next"}""");
    }

    // A dotted name starts at the nearest state of its first segment and names its descendants.
    [Fact]
    public void Deliver_DottedTarget_NamesAChildOfTheNearestState()
    {
        var machine = Build(m => m
            .Initial("first")
            .State("first", s => s.Initial("step").State("step", c => c.On(A, "second.next")))
            .State("second", s => s.Initial("step").State("step").State("next")));

        Value(Run(machine, A)).Should().Be("""{"second":"next"}""");
    }

    // ---- Stored value ----

    // XState v5 stores {"parent":"child"} for a nested state; a flat machine's stored value stays the state name.
    [Fact]
    public void Execute_NestedState_StoresTheXStateValueAndResumesFromIt()
    {
        var machine = Processing();

        var result = Run(machine, A, AError);
        var middle = Run(machine, A);

        middle.Snapshot.ToJson().Should().Be("""{"layout":1,"status":"active","value":{"processing":"b"},"context":{"delta":2,"count":0,"log":["enter processing","enter a","exit a","a to b","enter b"]}}""");
        middle.Snapshot.Value.Should().Be("processing");
        middle.Snapshot.Matches("processing.b").Should().BeTrue();
        result.Snapshot.ToJson().Should().StartWith("""{"layout":1,"status":"active","value":"cancelled",""");
    }

    [Fact]
    public void Restore_NestedValueNamingNoChild_Throws()
    {
        var snapshot = ArvoMachineSnapshot.Parse("""{"layout":1,"status":"active","value":{"processing":"gone"},"context":{"delta":1,"count":0,"log":[]}}""");

        var act = () => MachineExecutionEngine.Instance.Execute(Processing(), snapshot, MachineEvents.Of(A, InitEvent.Subject, new { newValue = 1 }));

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            "The snapshot value of machine 'nested' (version '0.0.1') does not name a valid active state below 'processing': \"gone\"");
    }

    // ---- Build-time checks ----

    [Fact]
    public void CreateMachine_CompoundWithoutInitial_ThrowsConfigViolation()
    {
        var act = () => Build(m => m.Initial("p").State("p", s => s.State("a").State("b")));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the compound state 'p' of machine 'nested' (version '0.0.1') has no initial state. Call Initial(…) with one of its children: a, b. Location: p > initial");
    }

    [Fact]
    public void CreateMachine_InitialNotAChild_ThrowsConfigViolation()
    {
        var act = () => Build(m => m.Initial("p").State("p", s => s.Initial("c").State("a")));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the initial state 'c' of the compound state 'p' in machine 'nested' (version '0.0.1') is not one of its children: a. Location: p > initial");
    }

    [Fact]
    public void CreateMachine_FinalWithChildren_ThrowsConfigViolation()
    {
        var act = () => Build(m => m.Initial("done").Final("done", s => s.Initial("a").State("a")));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the final state 'done' of machine 'nested' (version '0.0.1') declares child states. Final states are atomic. Location: done");
    }

    [Fact]
    public void CreateMachine_StateNameWithDot_ThrowsConfigViolation()
    {
        var act = () => Build(m => m.Initial("p").State("p", s => s.Initial("a.b").State("a.b")));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the state name 'a.b' in machine 'nested' (version '0.0.1') contains '.', which separates the levels of a state path (a target 'a.b' names the child 'b' of 'a'). Location: p > a.b");
    }

    [Fact]
    public void CreateMachine_NestedDeeperThan32Levels_ThrowsConfigViolation()
    {
        static Action<ArvoStateBuilder<TraceContext>> Level(int remaining) =>
            remaining == 0 ? _ => { } : s => s.Initial("s").State("s", Level(remaining - 1));

        var act = () => Build(m => m.Initial("s").State("s", Level(32)));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().StartWith(
            "Configuration Error: the state 's' of machine 'nested' (version '0.0.1') is nested 33 levels deep; at most 32 levels are supported.");
    }

    [Fact]
    public void CreateMachine_DuplicateSiblingNames_ThrowsConfigViolation()
    {
        var act = () => Build(m => m.Initial("p").State("p", s => s.Initial("a").State("a").Final("a")));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the state 'a' is declared twice in machine 'nested' (version '0.0.1'). State names are unique among siblings. Location: p > a");
    }

    [Fact]
    public void CreateMachine_UnknownNestedTarget_ListsStatePaths()
    {
        var act = () => Build(m => m.Initial("p").State("p", s => s.Initial("a").State("a", c => c.On(A, ".nowhere"))));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: unknown target state '.nowhere' in machine 'nested' (version '0.0.1'), state 'a', event 'evt.number.increment.success'. Declared states: p, p.a. Location: p > a > on > evt.number.increment.success > target");
    }
}
