using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>Mermaid and DOT export of machine definitions.</summary>
public sealed class MachineGraphTests
{
    private static ArvoMachine<CounterContext> ParallelMachine() =>
        ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .Guard("isPositive", ctx => ctx.Delta > 0)
            .CreateMachine("both", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("work")
                .Parallel("work", p => p
                    .Region("inc", r => r
                        .Initial("inc-waiting")
                        .State("inc-waiting", s => s.On("evt.number.increment.success", "incDone", t => t.Guard("isPositive")).On("*", t => t.Assign(ctx => ctx)))
                        .Final("incDone"))
                    .Region("dec", r => r
                        .Initial("decWaiting")
                        .State("decWaiting", s => s.On("evt.number.decrement.success", "decWaiting", t => t.Guard(ctx => ctx.Delta < 0, "isNegative")).Always("decDone"))
                        .Final("decDone"))
                    .OnDone("done")
                    .On("sys.com.number.increment.error", "done"))
                .Final("done"));

    [Fact]
    public void ToMermaid_CounterMachine_LabelsEventsGuardsAlwaysAndFinals()
    {
        CounterMachine.Create().ToMermaid().ReplaceLineEndings("\n").Should().Be(
            """
        ---
        title: counter@0.0.1
        ---
        stateDiagram-v2
            [*] --> route
            route --> increment : always [isIncrement]
            route --> decrement : always [isDecrement]
            route --> error : always
            increment --> notification : evt.number.increment.success
            increment --> error : sys.com.number.increment.error
            decrement --> notification : evt.number.decrement.success
            decrement --> error : sys.com.number.decrement.error
            notification --> done : always
            done --> [*]
            error --> [*]
        """ + "\n");
    }

    [Fact]
    public void ToDot_CounterMachine_LabelsEventsGuardsAlwaysAndFinals()
    {
        CounterMachine.Create().ToDot().ReplaceLineEndings("\n").Should().Be(
            """
        digraph "counter@0.0.1" {
            rankdir=LR;
            node [shape=Mrecord];
            "__start" [shape=point, label=""];
            "route" [label="route"];
            "increment" [label="increment"];
            "decrement" [label="decrement"];
            "notification" [label="notification"];
            "done" [shape=doublecircle];
            "error" [shape=doublecircle];
            "__start" -> "route";
            "route" -> "increment" [label="always [isIncrement]", style=dashed];
            "route" -> "decrement" [label="always [isDecrement]", style=dashed];
            "route" -> "error" [label="always", style=dashed];
            "increment" -> "notification" [label="evt.number.increment.success"];
            "increment" -> "error" [label="sys.com.number.increment.error"];
            "decrement" -> "notification" [label="evt.number.decrement.success"];
            "decrement" -> "error" [label="sys.com.number.decrement.error"];
            "notification" -> "done" [label="always", style=dashed];
        }
        """ + "\n");
    }

    [Fact]
    public void ToMermaid_ParallelMachine_SeparatesRegionsAndMarksInternalTransitions()
    {
        ParallelMachine().ToMermaid().ReplaceLineEndings("\n").Should().Be(
            """
        ---
        title: both@0.0.1
        ---
        stateDiagram-v2
            state work {
                %% region inc
                state "inc-waiting" as inc_waiting
                [*] --> inc_waiting
                inc_waiting --> incDone : evt.number.increment.success [isPositive]
                inc_waiting --> inc_waiting : * (internal)
                incDone --> [*]
                --
                %% region dec
                [*] --> decWaiting
                decWaiting --> decWaiting : evt.number.decrement.success [isNegative]
                decWaiting --> decDone : always
                decDone --> [*]
            }
            [*] --> work
            work --> done : onDone
            work --> done : sys.com.number.increment.error
            done --> [*]
        """ + "\n");
    }

    [Fact]
    public void ToDot_ParallelMachine_DrawsRegionsAsClusters()
    {
        ParallelMachine().ToDot().ReplaceLineEndings("\n").Should().Be(
            """
        digraph "both@0.0.1" {
            rankdir=LR;
            node [shape=Mrecord];
            "__start" [shape=point, label=""];
            "work" [shape=box3d, label="work (parallel)"];
            "done" [shape=doublecircle];
            "__start" -> "work";
            subgraph "cluster_work_inc" {
                label="work / inc";
                "__start_work_inc" [shape=point, label=""];
                "inc-waiting" [label="inc-waiting"];
                "incDone" [shape=doublecircle];
                "__start_work_inc" -> "inc-waiting";
                "inc-waiting" -> "incDone" [label="evt.number.increment.success [isPositive]"];
                "inc-waiting" -> "inc-waiting" [label="* (internal)"];
            }
            "work" -> "__start_work_inc" [style=dashed, arrowhead=none];
            subgraph "cluster_work_dec" {
                label="work / dec";
                "__start_work_dec" [shape=point, label=""];
                "decWaiting" [label="decWaiting"];
                "decDone" [shape=doublecircle];
                "__start_work_dec" -> "decWaiting";
                "decWaiting" -> "decWaiting" [label="evt.number.decrement.success [isNegative]"];
                "decWaiting" -> "decDone" [label="always", style=dashed];
            }
            "work" -> "__start_work_dec" [style=dashed, arrowhead=none];
            "work" -> "done" [label="onDone", style=dashed];
            "work" -> "done" [label="sys.com.number.increment.error"];
        }
        """ + "\n");
    }
}
