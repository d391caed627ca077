using Arvo.Machines;
using Arvo.Tests.TestSupport;
using static Arvo.Tests.TestSupport.TraceMachines;
using TraceContext = Arvo.Tests.Machines.MachineSemanticsTests.TraceContext;

namespace Arvo.Tests.Machines;

/// <summary>
/// Completion of compound and parallel states (issue 16 item 2, <c>onDone</c>). Each test names the XState v5 rule it
/// checks: entering a final child of a compound state raises that state's <c>onDone</c>; a parallel state is done when
/// every region has reached a final state.
/// </summary>
public sealed class OnDoneTests
{
    private const string A = "evt.number.increment.success";
    private const string B = "evt.number.decrement.success";

    private static ArvoMachine<TraceContext> Build(Action<ArvoMachineBuilder<TraceContext>> configure) => TraceMachines.Build("done", configure);

    /// <summary><c>processing</c>: <c>a</c> goes to the final child <c>paid</c> on A; <paramref name="onDone"/> completes it.</summary>
    private static ArvoMachine<TraceContext> Processing(Action<ArvoStateBuilder<TraceContext>> onDone) => Build(m => m
        .Initial("processing")
        .State("processing", s =>
        {
            s.Entry(Trace("enter processing"))
                .Exit(Trace("exit processing"))
                .Initial("a")
                .State("a", c => c.Exit(Trace("exit a")).On(A, "paid", t => t.Assign(ctx => ctx.Add("a to paid"))))
                .Final("paid", f => f.Entry(Trace("enter paid")).Exit(Trace("exit paid")))
                .On(B, "completed", t => t.Assign(ctx => ctx.Add("b")));
            onDone(s);
        })
        .Final("completed", s => s.Entry(Trace("enter completed")))
        .Final("other"));

    // XState v5: entering a final child raises the compound state's onDone in the same execution: the final child and
    // the compound state are exited, then the onDone actions run, then the target is entered.
    [Fact]
    public void Deliver_FinalChildEntered_TakesOnDoneInTheSameExecution()
    {
        var machine = Processing(s => s.OnDone("completed", t => t.Assign(ctx => ctx.Add("onDone"))));

        var result = Run(machine, A);

        Log(result).Should().Equal(
            "enter processing", "exit a", "a to paid", "enter paid", "exit paid", "exit processing", "onDone", "enter completed");
        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        Value(result).Should().Be("\"completed\"");
    }

    // XState v5: onDone alternatives follow the first-enabled-guard rule; with none enabled the final child stays active.
    [Fact]
    public void Deliver_OnDoneGuardFails_StaysInTheFinalChild()
    {
        var machine = Processing(s => s.OnDone("completed", t => t.Guard(_ => false)));

        var result = Run(machine, A);

        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Active);
        Value(result).Should().Be("""{"processing":"paid"}""");
    }

    // XState v5: a compound state that stays in its final child still handles its own events.
    [Fact]
    public void Deliver_EventWhileInFinalChild_ParentTransitionApplies()
    {
        var machine = Processing(s => s.OnDone("completed", t => t.Guard(_ => false)));

        var result = Run(machine, A, B);

        Log(result).TakeLast(4).Should().Equal("exit paid", "exit processing", "b", "enter completed");
    }

    // XState v5: the first enabled guard in declaration order wins among onDone alternatives.
    [Fact]
    public void Deliver_OnDoneAlternatives_FirstEnabledGuardWins()
    {
        var machine = Processing(s => s
            .OnDone("completed", t => t.Guard(_ => false))
            .OnDone("other", t => t.Guard(_ => true))
            .OnDone("completed"));

        Value(Run(machine, A)).Should().Be("\"other\"");
    }

    // XState v5: an initial child that is final makes its parent done as soon as it is entered.
    [Fact]
    public void Start_InitialChildIsFinal_TakesOnDoneAtOnce()
    {
        var machine = Build(m => m
            .Initial("p")
            .State("p", s => s.Initial("finished").Final("finished").OnDone("completed"))
            .Final("completed"));

        var result = Run(machine);

        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        Value(result).Should().Be("\"completed\"");
    }

    // XState v5: a final child completes only its own parent; the grandparent is done only through its own final child.
    [Fact]
    public void Deliver_NestedFinal_CompletesOnlyItsOwnParent()
    {
        var machine = Build(m => m
            .Initial("outer")
            .State("outer", o => o
                .Initial("inner")
                .State("inner", i => i
                    .Initial("x")
                    .State("x", x => x.On(A, "innerDone"))
                    .Final("innerDone")
                    .OnDone("next", t => t.Assign(ctx => ctx.Add("inner done"))))
                .State("next")
                .OnDone("completed", t => t.Assign(ctx => ctx.Add("outer done"))))
            .Final("completed"));

        var result = Run(machine, A);

        Log(result).Should().Equal("inner done");
        Value(result).Should().Be("""{"outer":"next"}""");
    }

    // XState v5: eventless transitions are taken before pending completion events.
    [Fact]
    public void Settle_CompletionPendingAndEventlessEnabled_EventlessFirst()
    {
        var machine = Processing(s => s
            .Always(t => t.Guard((ctx, evt) => evt.Type == A && ctx.Count == 0).Assign(ctx => ctx with { Count = 1 }).Assign(ctx => ctx.Add("always")))
            .OnDone("completed", t => t.Assign(ctx => ctx.Add("onDone"))));

        var result = Run(machine, A);

        Log(result).Skip(4).Should().Equal("always", "exit paid", "exit processing", "onDone", "enter completed");
    }

    // ---- Parallel states ----

    /// <summary>
    /// <c>fulfil</c> (compound): the parallel <c>both</c> (regions <c>left</c> and <c>right</c>, each <c>running</c> →
    /// final <c>finished</c>) goes to <c>settle</c> when done; <c>settle</c> goes on to the final <c>joined</c>, which
    /// completes <c>fulfil</c>.
    /// </summary>
    private static ArvoMachine<TraceContext> Fulfil(Action<ArvoRegionBuilder<TraceContext>>? left = null) => Build(m => m
        .Initial("fulfil")
        .State("fulfil", f => f
            .Initial("both")
            .Parallel("both", p => p
                .Exit(Trace("exit both"))
                .Region("left", r =>
                {
                    r.Exit(Trace("exit left"))
                        .Initial("running")
                        .State("running", s => s.On(A, "finished"))
                        .Final("finished", s => s.Exit(Trace("exit left.finished")));
                    left?.Invoke(r);
                })
                .Region("right", r => r
                    .Exit(Trace("exit right"))
                    .Initial("running")
                    .State("running", s => s.On(B, "finished"))
                    .Final("finished", s => s.Exit(Trace("exit right.finished"))))
                .OnDone("settle", t => t.Assign(ctx => ctx.Add("both done"))))
            .State("settle", s => s.Always("joined"))
            .Final("joined")
            .OnDone("completed", t => t.Assign(ctx => ctx.Add("fulfil done"))))
        .Final("completed"));

    // XState v5: a parallel state is not done while a region is still running.
    [Fact]
    public void Deliver_OneRegionFinal_ParallelStateIsNotDone()
    {
        var result = Run(Fulfil(), A);

        Log(result).Should().BeEmpty();
        Value(result).Should().Be("""{"fulfil":{"both":{"left":"finished","right":"running"}}}""");
    }

    // XState v5: a parallel state is done when every region has reached a final state; the onDone chain (parallel,
    // then its compound parent) runs in the same execution, exiting the regions in reverse document order.
    [Fact]
    public void Deliver_EveryRegionFinal_CompletesTheParallelStateAndItsParent()
    {
        var result = Run(Fulfil(), A, B);

        Log(result).Should().Equal(
            "exit right.finished", "exit right", "exit left.finished", "exit left", "exit both", "both done", "fulfil done");
        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        Value(result).Should().Be("\"completed\"");
    }

    // XState v5: a region is a compound state; entering its final child raises the region's own onDone.
    [Fact]
    public void Deliver_RegionFinalChildEntered_TakesTheRegionOnDone()
    {
        var result = Run(Fulfil(left: r => r.OnDone(t => t.Assign(ctx => ctx.Add("left done")))), A);

        Log(result).Should().Equal("left done");
        Value(result).Should().Be("""{"fulfil":{"both":{"left":"finished","right":"running"}}}""");
    }

    [Fact]
    public void CreateMachine_OnDoneOnAtomicState_ThrowsConfigViolation()
    {
        var act = () => Build(m => m
            .Initial("p")
            .State("p", s => s.Initial("a").State("a", a => a.OnDone("b")).State("b")));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the state 'a' of machine 'done' (version '0.0.1') declares OnDone but no child states; OnDone is taken when a final child is entered. Location: p > a > onDone");
    }
}
