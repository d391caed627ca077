using System.Collections.Frozen;
using System.Text.Json;

namespace Arvo.Machines;

/// <summary>The kind of a state node.</summary>
internal enum MachineStateKind
{
    Atomic,
    Final,
    Parallel,
    Compound,
}

/// <summary>The kind of a transition: on an event, eventless (<c>always</c>), or on completion of a compound or parallel state.</summary>
internal enum MachineTransitionKind
{
    Event,
    Always,
    Done,
}

/// <summary>The kind of an action step.</summary>
internal enum MachineActionKind
{
    Assign,
    Emit,
    Enqueue,
    Run,
    Named,
}

/// <summary>One action step. Immutable; named references are expanded when the machine is compiled.</summary>
internal sealed class MachineAction<TContext>
    where TContext : notnull
{
    public required MachineActionKind Kind { get; init; }

    /// <summary>The delegate the user wrote (checked for async at build time); null for named references.</summary>
    public Delegate? UserDelegate { get; init; }

    public Func<TContext, ArvoEvent, TContext>? Assign { get; init; }

    public Func<TContext, ArvoEvent, ArvoMachineEmit>? Emit { get; init; }

    public Action<TContext, ArvoEvent>? Run { get; init; }

    /// <summary>The emitted type when given statically (checked at build time).</summary>
    public string? StaticType { get; init; }

    /// <summary>The named action this step refers to (kind <see cref="MachineActionKind.Named"/>) or came from.</summary>
    public string? Name { get; init; }
}

/// <summary>A transition as written in the builder.</summary>
internal sealed class TransitionSpec<TContext>
    where TContext : notnull
{
    public required MachineTransitionKind Kind { get; init; }

    public string? EventType { get; init; }

    public string? Target { get; init; }

    /// <summary>XState's <c>reenter: true</c>: a transition to the source itself (or below it) exits and re-enters it.</summary>
    public bool Reenter { get; init; }

    public string? GuardName { get; set; }

    public Delegate? GuardUser { get; set; }

    public Func<TContext, ArvoEvent, bool>? Guard { get; set; }

    public List<MachineAction<TContext>> Actions { get; } = [];
}

/// <summary>A state as written in the builder.</summary>
internal sealed class StateSpec<TContext>
    where TContext : notnull
{
    public required string Name { get; init; }

    /// <summary>Atomic, final or parallel as declared; an atomic state with children compiles to a compound state.</summary>
    public required MachineStateKind Kind { get; init; }

    /// <summary>True for the regions of a parallel state (compound states whose parent is the parallel state).</summary>
    public bool IsRegion { get; init; }

    /// <summary>The initial child of a compound state or region.</summary>
    public string? Initial { get; set; }

    public List<MachineAction<TContext>> Entry { get; } = [];

    public List<MachineAction<TContext>> Exit { get; } = [];

    public List<TransitionSpec<TContext>> Transitions { get; } = [];

    /// <summary>Child states (of a compound state) or regions (of a parallel state), in declaration order.</summary>
    public List<StateSpec<TContext>> Children { get; } = [];
}

/// <summary>A compiled transition.</summary>
internal sealed class MachineTransition<TContext>
    where TContext : notnull
{
    public required MachineTransitionKind Kind { get; init; }

    public required string? EventType { get; init; }

    public required int Source { get; init; }

    /// <summary>The target state index, or -1 for a targetless transition.</summary>
    public required int Target { get; init; }

    /// <summary>Exit and re-enter the source when the target is the source itself or below it (XState's <c>reenter: true</c>).</summary>
    public required bool Reenter { get; init; }

    /// <summary>
    /// XState's transition domain (a targeted transition exits every active state below it and enters the target's
    /// path below it): the source when the target is the source or inside it and the transition does not re-enter,
    /// otherwise the nearest proper ancestor of the target that contains the source; -1 is the machine root.
    /// </summary>
    public required int Domain { get; init; }

    /// <summary>False only for a plain self-transition: the source is neither exited nor entered again.</summary>
    public required bool EntersTarget { get; init; }

    public required string? GuardName { get; init; }

    public required Func<TContext, ArvoEvent, bool>? Guard { get; init; }

    public required MachineAction<TContext>[] Actions { get; init; }

    /// <summary>A label for diagrams: the event type, <c>always</c> or <c>onDone</c>.</summary>
    public string Trigger => Kind switch
    {
        MachineTransitionKind.Always => "always",
        MachineTransitionKind.Done => "onDone",
        _ => EventType!,
    };
}

/// <summary>A compiled state node. Indices are in document order (a parent before its children, siblings in declaration order).</summary>
internal sealed class MachineState<TContext>
    where TContext : notnull
{
    /// <summary>The name among its siblings (XState's key).</summary>
    public required string Name { get; init; }

    /// <summary>The dotted path from the root, e.g. <c>processing.validate</c>; equals <see cref="Name"/> at the top level.</summary>
    public required string Path { get; init; }

    public required int Index { get; init; }

    public required MachineStateKind Kind { get; init; }

    /// <summary>The parent state, or -1 for a top-level state.</summary>
    public required int Parent { get; init; }

    /// <summary>
    /// The Stateless machine the state belongs to: 0 for the top level, one per region of a parallel state (a region
    /// and its descendants, except those inside a nested parallel state's regions).
    /// </summary>
    public required int Scope { get; init; }

    /// <summary>Child states of a compound state, or the regions of a parallel state.</summary>
    public required int[] Children { get; init; }

    /// <summary>The initial child of a compound state; -1 otherwise.</summary>
    public required int Initial { get; init; }

    /// <summary>The state entered by default when this state is entered: the initial child chain down to an atomic, final or parallel state.</summary>
    public required int DefaultLeaf { get; init; }

    public required MachineAction<TContext>[] Entry { get; init; }

    public required MachineAction<TContext>[] Exit { get; init; }

    /// <summary>Every transition of the state in declaration order (events, always, onDone).</summary>
    public required MachineTransition<TContext>[] Transitions { get; init; }

    public required FrozenDictionary<string, MachineTransition<TContext>[]> ByEvent { get; init; }

    public required MachineTransition<TContext>[] Wildcard { get; init; }

    public required MachineTransition<TContext>[] Always { get; init; }

    public required MachineTransition<TContext>[] OnDone { get; init; }

    public bool IsRegion { get; init; }

    /// <summary>True for atomic and final states (XState's atomic state nodes).</summary>
    public bool IsAtomic => Kind is MachineStateKind.Atomic or MachineStateKind.Final;
}

/// <summary>
/// The compiled, immutable definition of one machine version: the state tree the engine and the Stateless
/// configuration are built from. Built once per machine; shared by every execution.
/// </summary>
internal sealed class MachineModel<TContext>
    where TContext : notnull
{
    public required string Id { get; init; }

    public required string Version { get; init; }

    /// <summary>Every state in document order.</summary>
    public required MachineState<TContext>[] States { get; init; }

    public required int[] TopStates { get; init; }

    public required int Initial { get; init; }

    /// <summary>The number of Stateless machines an execution may use (see <see cref="MachineState{TContext}.Scope"/>).</summary>
    public required int ScopeCount { get; init; }

    public required Func<ArvoEvent, TContext> ContextFactory { get; init; }

    public required Func<TContext, object?>? Output { get; init; }

    public required JsonSerializerOptions ContextOptions { get; init; }

    public required int MaxMicrosteps { get; init; }

    public bool HasParallel => States.Any(s => s.Kind == MachineStateKind.Parallel);

    /// <summary>True when <paramref name="ancestor"/> (-1: the root) is a proper ancestor of <paramref name="state"/>.</summary>
    public bool IsDescendant(int state, int ancestor)
    {
        for (var current = States[state].Parent; ; current = States[current].Parent)
        {
            if (current == ancestor)
            {
                return true;
            }

            if (current < 0)
            {
                return false;
            }
        }
    }

    /// <summary>The child of the root a state lies in.</summary>
    public int TopAncestor(int state)
    {
        while (States[state].Parent >= 0)
        {
            state = States[state].Parent;
        }

        return state;
    }
}
