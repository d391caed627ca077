using Arvo.Machines;
using Arvo.Tests.TestSupport;
using static Arvo.Tests.TestSupport.TraceMachines;
using TraceContext = Arvo.Tests.Machines.MachineSemanticsTests.TraceContext;

namespace Arvo.Tests.Machines;

/// <summary>
/// Self-transitions, targetless transitions and <c>Reenter()</c> (issue 16 item 1), at the top level and in parallel
/// regions. Each test names the XState v5 rule it checks.
/// </summary>
public sealed class SelfTransitionTests
{
    private const string Success = "evt.number.increment.success";
    private const string Failed = "sys.com.number.increment.error";
    private const string Decremented = "evt.number.decrement.success";

    private static ArvoMachine<TraceContext> Build(Action<ArvoMachineBuilder<TraceContext>> configure) => TraceMachines.Build("self", configure);

    /// <summary>A retry loop ported literally: the entry sends the command, the error handler targets the state itself.</summary>
    private static ArvoMachine<TraceContext> RetryLoop(bool reenter) => Build(m => m
        .Initial("calling")
        .State("calling", s => s
            .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }).Assign(ctx => ctx.Add("enter calling")))
            .Exit(a => a.Assign(ctx => ctx.Add("exit calling")))
            .On(Failed, "calling", t =>
            {
                t.Guard(ctx => ctx.Count < 2).Assign(ctx => ctx with { Count = ctx.Count + 1 }).Assign(ctx => ctx.Add("retry"));
                if (reenter)
                {
                    t.Reenter();
                }
                else
                {
                    t.Emit("com.number.increment", ctx => new { delta = ctx.Delta });
                }
            })
            .On(Failed, "failed")
            .On(Success, "done"))
        .Final("failed")
        .Final("done"));

    // XState v5: a transition whose target is its own state runs only its actions unless reenter: true.
    [Fact]
    public void Deliver_SelfTargetRetryLoop_EmitsTheServiceCommandOncePerRetry()
    {
        var machine = RetryLoop(reenter: false);
        var started = Start(machine);

        var retried = Send(machine, started.Snapshot, Failed);

        retried.Events.Select(e => e.Type).Should().Equal("com.number.increment");
        Log(retried.Snapshot).Should().Equal("enter calling", "retry");
        retried.Snapshot.Value.Should().Be("calling");
    }

    // XState v5: with reenter: true the source's exit actions run, then the transition's actions, then its entry actions.
    [Fact]
    public void Deliver_SelfTargetWithReenter_RunsExitThenActionsThenEntry()
    {
        var machine = RetryLoop(reenter: true);
        var started = Start(machine);

        var retried = Send(machine, started.Snapshot, Failed);

        retried.Events.Select(e => e.Type).Should().Equal("com.number.increment");
        Log(retried.Snapshot).Should().Equal("enter calling", "exit calling", "retry", "enter calling");
    }

    // XState v5: the first enabled guard in declaration order wins; a self-transition loop ends when its guard fails.
    [Fact]
    public void Deliver_SelfTargetLoopGuardFails_NextAlternativeLeavesTheState()
    {
        var machine = RetryLoop(reenter: false);
        var snapshot = Start(machine).Snapshot;

        for (var i = 0; i < 2; i++)
        {
            snapshot = Send(machine, snapshot, Failed).Snapshot;
        }

        var last = Send(machine, snapshot, Failed);

        last.Snapshot.Value.Should().Be("failed");
        last.Events.Should().BeEmpty();
        Log(last.Snapshot).Should().Equal("enter calling", "retry", "retry", "exit calling");
    }

    // XState v5: a transition with no target runs only its actions: no exit, no entry (here on an eventless list).
    [Fact]
    public void Settle_TargetlessAlways_RunsOnlyItsActions()
    {
        var machine = Build(m => m
            .Initial("a")
            .State("a", s => s
                .Entry(x => x.Assign(ctx => ctx.Add("enter a")))
                .Exit(x => x.Assign(ctx => ctx.Add("exit a")))
                .Always(t => t.Guard(ctx => ctx.Count < 2).Assign(ctx => ctx with { Count = ctx.Count + 1 }).Assign(ctx => ctx.Add("tick")))));

        Log(Start(machine).Snapshot).Should().Equal("enter a", "tick", "tick");
    }

    // XState v5: reenter only applies to a transition with a target.
    [Fact]
    public void CreateMachine_TargetlessReenter_ThrowsConfigViolation()
    {
        var act = () => Build(m => m.Initial("a").State("a", s => s.On(Success, t => t.Reenter())));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the targetless transition in machine 'self' (version '0.0.1'), state 'a', event 'evt.number.increment.success', calls Reenter(); only a transition with a target can exit and re-enter its state. Location: a > on > evt.number.increment.success");
    }

    // ---- In a parallel region ----

    private static ArvoMachine<TraceContext> Regions(Action<ArvoStateBuilder<TraceContext>> loop) => Build(m => m
        .Initial("work")
        .Parallel("work", p => p
            .Entry(a => a.Assign(ctx => ctx.Add("enter work")))
            .Exit(a => a.Assign(ctx => ctx.Add("exit work")))
            .Region("inc", r => r
                .Initial("incWaiting")
                .State("incWaiting", s =>
                {
                    s.Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }).Assign(ctx => ctx.Add("enter incWaiting")))
                        .Exit(a => a.Assign(ctx => ctx.Add("exit incWaiting")));
                    loop(s);
                }))
            .Region("dec", r => r
                .Initial("decWaiting")
                .State("decWaiting", s => s
                    .Entry(a => a.Assign(ctx => ctx.Add("enter decWaiting")))
                    .Exit(a => a.Assign(ctx => ctx.Add("exit decWaiting")))
                    .On(Decremented, "decDone"))
                .Final("decDone"))));

    // XState v5: a transition whose target is its own state runs only its actions unless reenter: true (in a region).
    [Fact]
    public void Deliver_SelfTargetInRegion_RunsOnlyTheTransitionActions()
    {
        var machine = Regions(s => s.On(Success, "incWaiting", t => t.Assign(ctx => ctx.Add("loop"))));

        var result = Send(machine, Start(machine).Snapshot, Success);

        Log(result.Snapshot).Should().Equal("enter work", "enter incWaiting", "enter decWaiting", "loop");
        result.Events.Should().BeEmpty();
        Value(result.Snapshot).Should().Be("""{"work":{"inc":"incWaiting","dec":"decWaiting"}}""");
    }

    // XState v5: with reenter: true only the region's own state is exited and re-entered; the parallel state stays.
    [Fact]
    public void Deliver_SelfTargetInRegionWithReenter_ReentersOnlyThatState()
    {
        var machine = Regions(s => s.On(Success, "incWaiting", t => t.Reenter().Assign(ctx => ctx.Add("loop"))));

        var result = Send(machine, Start(machine).Snapshot, Success);

        Log(result.Snapshot).Should().Equal(
            "enter work", "enter incWaiting", "enter decWaiting", "exit incWaiting", "loop", "enter incWaiting");
        result.Events.Select(e => e.Type).Should().Equal("com.number.increment");
    }

    // XState v5: a transition with no target runs only its actions: no exit, no entry (in a region).
    [Fact]
    public void Deliver_TargetlessInRegion_RunsOnlyItsActions()
    {
        var machine = Regions(s => s.On(Success, t => t.Assign(ctx => ctx.Add("internal"))));

        var result = Send(machine, Start(machine).Snapshot, Success);

        Log(result.Snapshot).Should().Equal("enter work", "enter incWaiting", "enter decWaiting", "internal");
        Value(result.Snapshot).Should().Be("""{"work":{"inc":"incWaiting","dec":"decWaiting"}}""");
    }
}
