using System.Collections.Frozen;
using System.Text.Json;
using Arvo.Contracts;

namespace Arvo.Machines;

/// <summary>The kind of a state node.</summary>
internal enum MachineStateKind
{
    Atomic,
    Final,
    Parallel,
}

/// <summary>The kind of a transition: on an event, eventless (<c>always</c>), or on completion of a parallel state.</summary>
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

    public required MachineStateKind Kind { get; init; }

    public List<MachineAction<TContext>> Entry { get; } = [];

    public List<MachineAction<TContext>> Exit { get; } = [];

    public List<TransitionSpec<TContext>> Transitions { get; } = [];

    public List<RegionSpec<TContext>> Regions { get; } = [];
}

/// <summary>A region of a parallel state as written in the builder.</summary>
internal sealed class RegionSpec<TContext>
    where TContext : notnull
{
    public required string Name { get; init; }

    public string? Initial { get; set; }

    public List<StateSpec<TContext>> States { get; } = [];
}

/// <summary>A compiled transition. Its <see cref="Id"/> is the Stateless trigger.</summary>
internal sealed class MachineTransition<TContext>
    where TContext : notnull
{
    public required int Id { get; init; }

    public required MachineTransitionKind Kind { get; init; }

    public required string? EventType { get; init; }

    public required int Source { get; init; }

    /// <summary>The target state index, or -1 for a targetless (internal) transition.</summary>
    public required int Target { get; init; }

    /// <summary>Exit and re-enter the source when the target is the source itself (XState's <c>reenter: true</c>).</summary>
    public required bool Reenter { get; init; }

    public required string? GuardName { get; init; }

    public required Func<TContext, ArvoEvent, bool>? Guard { get; init; }

    public required MachineAction<TContext>[] Actions { get; init; }

    /// <summary>A label for diagrams: the event type, <c>always</c> or <c>done</c>.</summary>
    public string Trigger => Kind switch
    {
        MachineTransitionKind.Always => "always",
        MachineTransitionKind.Done => "onDone",
        _ => EventType!,
    };
}

/// <summary>A compiled state node.</summary>
internal sealed class MachineState<TContext>
    where TContext : notnull
{
    public required string Name { get; init; }

    public required int Index { get; init; }

    public required MachineStateKind Kind { get; init; }

    /// <summary>The region this state belongs to, or -1 for a top-level state.</summary>
    public required int Region { get; init; }

    public required MachineAction<TContext>[] Entry { get; init; }

    public required MachineAction<TContext>[] Exit { get; init; }

    /// <summary>Every transition of the state in declaration order (events, always, onDone).</summary>
    public required MachineTransition<TContext>[] Transitions { get; init; }

    public required FrozenDictionary<string, MachineTransition<TContext>[]> ByEvent { get; init; }

    public required MachineTransition<TContext>[] Wildcard { get; init; }

    public required MachineTransition<TContext>[] Always { get; init; }

    public required MachineTransition<TContext>[] OnDone { get; init; }

    /// <summary>The regions of a parallel state (indices into <see cref="MachineModel{TContext}.Regions"/>).</summary>
    public required int[] Regions { get; init; }
}

/// <summary>A compiled region of a parallel state.</summary>
internal sealed class MachineRegion
{
    public required string Name { get; init; }

    public required int Index { get; init; }

    public required int Parallel { get; init; }

    public required int Initial { get; init; }

    public required int[] States { get; init; }
}

/// <summary>
/// The compiled, immutable definition of one machine version: the state table the engine and the Stateless
/// configuration are built from. Built once per machine; shared by every execution.
/// </summary>
internal sealed class MachineModel<TContext>
    where TContext : notnull
{
    public required string Id { get; init; }

    public required string Version { get; init; }

    public required MachineState<TContext>[] States { get; init; }

    public required MachineRegion[] Regions { get; init; }

    public required MachineTransition<TContext>[] Transitions { get; init; }

    public required int[] TopStates { get; init; }

    public required int Initial { get; init; }

    public required FrozenDictionary<string, int> StateIndex { get; init; }

    public required FrozenDictionary<string, int> RegionIndex { get; init; }

    public required Func<ArvoEvent, TContext> ContextFactory { get; init; }

    public required Func<TContext, object?>? Output { get; init; }

    public required JsonSerializerOptions ContextOptions { get; init; }

    public required int MaxMicrosteps { get; init; }

    /// <summary>Service contracts by accepted event type (emitted data is validated against them).</summary>
    public required FrozenDictionary<string, VersionedArvoContract> ServicesByAcceptType { get; init; }

    public bool HasParallel => Regions.Length > 0 || States.Any(s => s.Kind == MachineStateKind.Parallel);
}
