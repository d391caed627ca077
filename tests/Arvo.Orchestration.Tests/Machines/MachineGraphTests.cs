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

    /// <summary>
    /// A compound state (with a re-entering retry and a parent-level cancel) and a compound state holding a parallel
    /// state whose regions reuse the state names <c>running</c> and <c>finished</c>.
    /// </summary>
    private static ArvoMachine<CounterContext> NestedMachine() =>
        ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .CreateMachine("nested", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("processing")
                .State("processing", s => s
                    .Initial("validate")
                    .State("validate", v => v
                        .On("evt.number.increment.success", "fulfil")
                        .On("sys.com.number.increment.error", "validate", t => t.Reenter()))
                    .Final("paid")
                    .On("sys.com.number.decrement.error", "cancelled")
                    .OnDone("cancelled"))
                .State("fulfil", f => f
                    .Initial("both")
                    .Parallel("both", p => p
                        .Region("left", r => r.Initial("running").State("running", x => x.On("evt.number.increment.success", "finished")).Final("finished"))
                        .Region("right", r => r.Initial("running").State("running", x => x.On("evt.number.decrement.success", "finished")).Final("finished"))
                        .OnDone("joined"))
                    .Final("joined")
                    .OnDone("done"))
                .Final("cancelled")
                .Final("done"));

    [Fact]
    public void ToMermaid_NestedMachine_DrawsCompositesAndTransitionsInTheirInnermostCommonState()
    {
        NestedMachine().ToMermaid().ReplaceLineEndings("\n").Should().Be(
            """
        ---
        title: nested@0.0.1
        ---
        stateDiagram-v2
            state processing {
                [*] --> validate
                validate --> validate : sys.com.number.increment.error (reenter)
                paid --> [*]
            }
            state fulfil {
                state both {
                    %% region left
                    state "running" as fulfil_both_left_running
                    state "finished" as fulfil_both_left_finished
                    [*] --> fulfil_both_left_running
                    fulfil_both_left_running --> fulfil_both_left_finished : evt.number.increment.success
                    fulfil_both_left_finished --> [*]
                    --
                    %% region right
                    state "running" as fulfil_both_right_running
                    state "finished" as fulfil_both_right_finished
                    [*] --> fulfil_both_right_running
                    fulfil_both_right_running --> fulfil_both_right_finished : evt.number.decrement.success
                    fulfil_both_right_finished --> [*]
                }
                [*] --> both
                both --> joined : onDone
                joined --> [*]
            }
            [*] --> processing
            processing --> cancelled : sys.com.number.decrement.error
            processing --> cancelled : onDone
            validate --> fulfil : evt.number.increment.success
            fulfil --> done : onDone
            cancelled --> [*]
            done --> [*]
        """ + "\n");
    }

    [Fact]
    public void ToDot_NestedMachine_DrawsCompoundStatesAsClusters()
    {
        NestedMachine().ToDot().ReplaceLineEndings("\n").Should().Be(
            """
        digraph "nested@0.0.1" {
            rankdir=LR;
            node [shape=Mrecord];
            "__start" [shape=point, label=""];
            "processing" [shape=box, style=rounded, label="processing"];
            "fulfil" [shape=box, style=rounded, label="fulfil"];
            "cancelled" [shape=doublecircle];
            "done" [shape=doublecircle];
            "__start" -> "processing";
            subgraph "cluster_processing" {
                label="processing";
                "__start_processing" [shape=point, label=""];
                "validate" [label="validate"];
                "paid" [shape=doublecircle];
                "__start_processing" -> "validate";
                "validate" -> "validate" [label="sys.com.number.increment.error (reenter)"];
            }
            "processing" -> "__start_processing" [style=dashed, arrowhead=none];
            subgraph "cluster_fulfil" {
                label="fulfil";
                "__start_fulfil" [shape=point, label=""];
                "both" [shape=box3d, label="both (parallel)"];
                "joined" [shape=doublecircle];
                "__start_fulfil" -> "both";
                subgraph "cluster_both_left" {
                    label="both / left";
                    "__start_both_left" [shape=point, label=""];
                    "fulfil.both.left.running" [label="running"];
                    "fulfil.both.left.finished" [shape=doublecircle, label="finished"];
                    "__start_both_left" -> "fulfil.both.left.running";
                    "fulfil.both.left.running" -> "fulfil.both.left.finished" [label="evt.number.increment.success"];
                }
                "both" -> "__start_both_left" [style=dashed, arrowhead=none];
                subgraph "cluster_both_right" {
                    label="both / right";
                    "__start_both_right" [shape=point, label=""];
                    "fulfil.both.right.running" [label="running"];
                    "fulfil.both.right.finished" [shape=doublecircle, label="finished"];
                    "__start_both_right" -> "fulfil.both.right.running";
                    "fulfil.both.right.running" -> "fulfil.both.right.finished" [label="evt.number.decrement.success"];
                }
                "both" -> "__start_both_right" [style=dashed, arrowhead=none];
                "both" -> "joined" [label="onDone", style=dashed];
            }
            "fulfil" -> "__start_fulfil" [style=dashed, arrowhead=none];
            "processing" -> "cancelled" [label="sys.com.number.decrement.error"];
            "processing" -> "cancelled" [label="onDone", style=dashed];
            "validate" -> "fulfil" [label="evt.number.increment.success"];
            "fulfil" -> "done" [label="onDone", style=dashed];
        }
        """ + "\n");
    }

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
