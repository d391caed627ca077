using System.Text.Json;
using Stateless;

namespace Arvo.Machines;

/// <summary>
/// The statechart half of <see cref="MachineRun{TContext}"/>: XState v5's macrostep and microstep over the compiled
/// state tree, with Stateless doing the exits and entries.
/// </summary>
/// <remarks>
/// <para>
/// Active states: one Stateless machine per scope (the top level, and each region of an active parallel state), built
/// with the external-state constructor over <see cref="_current"/>. Compound states are Stateless superstates
/// (<c>SubstateOf</c>); a scope's current state is its innermost active state (atomic, final or parallel); a parallel
/// state's regions are the scopes below it. Each scope has one synthetic state outside everything in it, the
/// "outside" state, which is the current state of an inactive region (moving there exits every active state of the
/// scope; moving from there enters the destination's whole chain).
/// </para>
/// <para>
/// What Stateless provides: walking the superstate chain on exit (innermost first) and on entry (outermost first) with
/// the entry and exit actions attached to each state. What this layer adds (orchestrator.md 3, XState v5): transition
/// selection (deepest state first, first enabled guard in declaration order, regions together, conflicts resolved),
/// the transition domain, which Stateless's least-common-ancestor rule does not always match: a microstep is one
/// fire when it does (the transition actions run in <c>OnTransitioned</c>, between the exits and the entries), and
/// otherwise two moves (from the innermost active state up to the domain, then from the domain down to the target's
/// default leaf) with the transition actions between them; eventless settling with a microstep bound; completion
/// (<c>onDone</c>) events; the state value.
/// </para>
/// </remarks>
internal sealed partial class MachineRun<TContext>
{
    /// <summary>The one Stateless trigger: move the scope's machine to <see cref="_moveTo"/>.</summary>
    private const int Move = 0;

    /// <summary>The current Stateless state of each scope (a state index, or <see cref="Outside"/> when inactive).</summary>
    private readonly int[] _current;
    private readonly Func<StateKey> _destination;

    /// <summary>The Stateless state of each index (states, then each scope's outside state), shared by every scope's machine.</summary>
    private readonly StateKey[] _keys;

    /// <summary>One Stateless machine per scope, configured for every state when the run is created and reused by every execution.</summary>
    private readonly StateMachine<StateKey, int>[] _machines;
    private int _moveTo;

    /// <summary>During a one-fire microstep: the transition actions <see cref="OnTransitioned"/> runs, and the target to enter along.</summary>
    private MachineAction<TContext>[]? _actionsBetween;
    private int _targetBetween = -1;
    private int _scopeBetween = -1;

    /// <summary>While entering along a transition's path: its target, so parallel states enter the region holding it along that path.</summary>
    private int _pendingTarget = -1;

    /// <summary>Compound and parallel states whose completion (XState's <c>done.state.*</c> event) is pending, in order.</summary>
    private List<int>? _doneQueue;
    private int _doneHead;
    private List<int>? _completed;
    private List<MachineTransition<TContext>>? _selected;

    /// <summary>Scratch lists of <see cref="RemoveConflicts"/> and <see cref="Microstep"/>, kept across executions.</summary>
    private List<MachineTransition<TContext>>? _kept;
    private List<MachineTransition<TContext>>? _byDomain;

    private int Outside(int scope) => _model.States.Length + scope;

    private void ResetScopes()
    {
        for (var scope = 0; scope < _current.Length; scope++)
        {
            _current[scope] = Outside(scope);
        }
    }

    /// <summary>Enters the initial state (XState's initial microstep: no exits, no actions).</summary>
    private void Start()
    {
        FireMove(0, LeafFor(_model.Initial, 0));
        FinishMicrostep();
    }

    /// <summary>Delivers the consumed event: one microstep with every selected transition, or nothing.</summary>
    private void Deliver()
    {
        var selected = Selected();
        SelectScope(0, selected);
        if (selected.Count > 0)
        {
            Microstep(RemoveConflicts(selected));
        }
    }

    /// <summary>
    /// XState's macrostep loop: take enabled eventless transitions; when there are none, handle the next completion
    /// event; stop when neither remains or the machine is done.
    /// </summary>
    private void Settle()
    {
        var steps = 0;
        List<int>? trail = null;
        var window = Math.Min(_model.MaxMicrosteps, 2 * _model.States.Length);
        while (!_done)
        {
            var selected = Selected();
            SelectEventless(0, selected);
            if (selected.Count == 0)
            {
                if (_doneQueue is null || _doneHead == _doneQueue.Count)
                {
                    return;
                }

                var completed = _doneQueue[_doneHead++];
                if (!IsActive(completed) || FirstEnabled(_model.States[completed].OnDone) is not { } onDone)
                {
                    continue;
                }

                selected.Add(onDone);
            }
            else
            {
                RemoveConflicts(selected);
            }

            steps++;
            if (steps > _model.MaxMicrosteps - window)
            {
                trail ??= [];
                foreach (var transition in selected)
                {
                    trail.Add(transition.Source);
                }
            }

            if (steps > _model.MaxMicrosteps)
            {
                var loop = trail!.Distinct().Order().Select(i => $"'{_model.States[i].Path}'");
                throw new InvalidOperationException(
                    $"Eventless transitions of machine '{_model.Id}' (version '{_model.Version}') did not settle after {_model.MaxMicrosteps} microsteps; states in the loop: {string.Join(", ", loop)}");
            }

            Microstep(selected);
        }
    }

    private List<MachineTransition<TContext>> Selected()
    {
        var selected = _selected ??= [];
        selected.Clear();
        return selected;
    }

    // ---- Selection ----

    /// <summary>
    /// XState's event selection below one scope: the innermost active state first (every region of a parallel state
    /// together), then its ancestors in the scope while nothing was selected.
    /// </summary>
    private void SelectScope(int scope, List<MachineTransition<TContext>> selected)
    {
        var count = selected.Count;
        var node = _current[scope];
        var state = _model.States[node];
        if (state.Kind == MachineStateKind.Parallel)
        {
            foreach (var region in state.Children)
            {
                SelectScope(_model.States[region].Scope, selected);
            }
        }

        for (; selected.Count == count && node >= 0 && _model.States[node].Scope == scope; node = _model.States[node].Parent)
        {
            state = _model.States[node];
            if (!state.ByEvent.TryGetValue(_event.Type, out var candidates))
            {
                candidates = state.Wildcard;
            }

            if (FirstEnabled(candidates) is { } transition)
            {
                selected.Add(transition);
            }
        }
    }

    /// <summary>XState's eventless selection: for each active atomic state in document order, the innermost state (it or an ancestor) with an enabled <c>always</c> alternative.</summary>
    private void SelectEventless(int scope, List<MachineTransition<TContext>> selected)
    {
        var leaf = _current[scope];
        var state = _model.States[leaf];
        if (state.Kind == MachineStateKind.Parallel && state.Children.Length > 0)
        {
            foreach (var region in state.Children)
            {
                SelectEventless(_model.States[region].Scope, selected);
            }

            return;
        }

        for (var node = leaf; node >= 0; node = _model.States[node].Parent)
        {
            if (FirstEnabled(_model.States[node].Always) is { } transition)
            {
                if (!selected.Contains(transition))
                {
                    selected.Add(transition);
                }

                return;
            }
        }
    }

    private MachineTransition<TContext>? FirstEnabled(MachineTransition<TContext>[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.Guard is null || candidate.Guard(_context, _event))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// XState's conflict rule: two transitions whose exit sets overlap cannot both run; the later one wins only when
    /// its source lies inside the earlier one's source.
    /// </summary>
    private List<MachineTransition<TContext>> RemoveConflicts(List<MachineTransition<TContext>> selected)
    {
        if (selected.Count < 2)
        {
            return selected;
        }

        var kept = _kept ??= [];
        kept.Clear();
        foreach (var candidate in selected)
        {
            var preempted = false;
            for (var i = 0; i < kept.Count && !preempted; i++)
            {
                if (!ExitSetsOverlap(candidate, kept[i]))
                {
                    continue;
                }

                if (_model.IsDescendant(candidate.Source, kept[i].Source))
                {
                    kept.RemoveAt(i--);
                }
                else
                {
                    preempted = true;
                }
            }

            if (!preempted)
            {
                kept.Add(candidate);
            }
        }

        selected.Clear();
        selected.AddRange(kept);
        kept.Clear();
        return selected;
    }

    /// <summary>A targeted transition exits every active state below its domain; two such sets overlap when one domain contains the other and the inner one has active states below it.</summary>
    private bool ExitSetsOverlap(MachineTransition<TContext> a, MachineTransition<TContext> b)
    {
        if (a.Target < 0 || b.Target < 0)
        {
            return false;
        }

        int inner;
        if (a.Domain == b.Domain)
        {
            inner = a.Domain;
        }
        else if (a.Domain < 0 || (b.Domain >= 0 && _model.IsDescendant(b.Domain, a.Domain)))
        {
            inner = b.Domain;
        }
        else if (b.Domain < 0 || _model.IsDescendant(a.Domain, b.Domain))
        {
            inner = a.Domain;
        }
        else
        {
            return false;
        }

        return inner < 0 || _model.States[inner].Children.Length > 0;
    }

    // ---- Microsteps ----

    /// <summary>
    /// XState's microstep: every exit (states in reverse document order), then every transition's actions (in
    /// selection order), then every entry (document order); then, if a top-level final state was entered, the machine
    /// stops and the exit actions of its active states run.
    /// </summary>
    private void Microstep(List<MachineTransition<TContext>> transitions)
    {
        _completed?.Clear();
        if (transitions.Count == 1)
        {
            var only = transitions[0];
            if (only.Target < 0)
            {
                RunActions(only.Actions);
            }
            else if (!TryMoveInOneFire(only))
            {
                ExitBelow(only.Domain);
                RunActions(only.Actions);
                EnterBelow(only);
            }
        }
        else
        {
            // Non-conflicting transitions have disjoint domains: ordering them by domain orders their states too.
            var byDomain = _byDomain ??= [];
            byDomain.Clear();
            byDomain.AddRange(transitions);
            byDomain.Sort(static (x, y) => x.Domain.CompareTo(y.Domain));
            for (var i = byDomain.Count - 1; i >= 0; i--)
            {
                if (byDomain[i].Target >= 0)
                {
                    ExitBelow(byDomain[i].Domain);
                }
            }

            foreach (var transition in transitions)
            {
                RunActions(transition.Actions);
            }

            foreach (var transition in byDomain)
            {
                if (transition.Target >= 0)
                {
                    EnterBelow(transition);
                }
            }

            byDomain.Clear();
        }

        FinishMicrostep();
    }

    private void FinishMicrostep()
    {
        if (_done)
        {
            // XState v5 stops the machine in the microstep that enters a top-level final state: its exit actions run.
            RunActions(_model.States[_current[0]].Exit);
        }
    }

    /// <summary>Exits every active state strictly below <paramref name="domain"/> (-1: the root), innermost first.</summary>
    private void ExitBelow(int domain)
    {
        if (domain < 0)
        {
            FireMove(0, Outside(0));
            return;
        }

        var state = _model.States[domain];
        if (state.Kind == MachineStateKind.Parallel)
        {
            ExitRegions(state);
        }
        else
        {
            FireMove(state.Scope, domain);
        }
    }

    /// <summary>Enters the transition's target below its domain: the path to the target, then its initial children.</summary>
    private void EnterBelow(MachineTransition<TContext> transition)
    {
        var target = transition.Target;
        if (!transition.EntersTarget)
        {
            // A plain self-transition: the source stays; below it the default children are entered again.
            var source = _model.States[target];
            if (source.Kind == MachineStateKind.Parallel)
            {
                EnterRegions(source);
            }
            else if (source.Kind == MachineStateKind.Compound)
            {
                FireMove(source.Scope, source.DefaultLeaf);
            }

            return;
        }

        _pendingTarget = target;
        try
        {
            var domain = transition.Domain;
            if (domain < 0)
            {
                FireMove(0, LeafFor(target, 0));
            }
            else if (_model.States[domain].Kind == MachineStateKind.Parallel)
            {
                EnterRegions(_model.States[domain]);
            }
            else
            {
                var scope = _model.States[domain].Scope;
                FireMove(scope, LeafFor(target, scope));
            }
        }
        finally
        {
            _pendingTarget = -1;
        }
    }

    /// <summary>
    /// The common microstep, one transition whose domain is Stateless's least common ancestor of the scope's innermost
    /// active state and the target's leaf (siblings, or states in different branches of the domain): one fire does
    /// the exits and the entries, and the transition actions run between them (Stateless's <c>OnTransitioned</c>
    /// comes after the exits and before the entries). Returns false, having done nothing, for every other shape.
    /// </summary>
    private bool TryMoveInOneFire(MachineTransition<TContext> transition)
    {
        var domain = transition.Domain;
        if (!transition.EntersTarget || (domain >= 0 && _model.States[domain].Kind == MachineStateKind.Parallel))
        {
            return false;
        }

        var scope = domain < 0 ? 0 : _model.States[domain].Scope;
        var root = domain < 0 ? Outside(0) : domain;
        var leaf = _current[scope];
        var destination = LeafFor(transition.Target, scope);
        if (leaf == destination || leaf >= _model.States.Length || CommonAncestor(leaf, destination, scope) != root)
        {
            return false;
        }

        _actionsBetween = transition.Actions;
        _targetBetween = transition.Target;
        _scopeBetween = scope;
        try
        {
            FireMove(scope, destination);
        }
        finally
        {
            _actionsBetween = null;
            _pendingTarget = -1;
        }

        return true;
    }

    /// <summary>
    /// Called by Stateless between the exits and the entries of every fire of <paramref name="scope"/>'s machine: the
    /// transition actions of a one-fire microstep in that scope (not of the region moves its exits and entries cause).
    /// </summary>
    private void OnTransitioned(int scope)
    {
        if (_actionsBetween is { } actions && scope == _scopeBetween)
        {
            _actionsBetween = null;
            RunActions(actions);
            _pendingTarget = _targetBetween;
        }
    }

    /// <summary>The innermost state of <paramref name="scope"/> that is or contains both states, as Stateless's exits find it; the outside state when none does.</summary>
    private int CommonAncestor(int state, int other, int scope)
    {
        for (var node = state; node >= 0 && _model.States[node].Scope == scope; node = _model.States[node].Parent)
        {
            if (node == other || _model.IsDescendant(other, node))
            {
                return node;
            }
        }

        return Outside(scope);
    }

    /// <summary>Enters every region of a parallel state in declaration order: along the pending target's path in its region, by default in the others.</summary>
    private void EnterRegions(MachineState<TContext> parallel)
    {
        foreach (var region in parallel.Children)
        {
            var scope = _model.States[region].Scope;
            var destination = _pendingTarget >= 0 && (_pendingTarget == region || _model.IsDescendant(_pendingTarget, region))
                ? LeafFor(_pendingTarget, scope)
                : _model.States[region].DefaultLeaf;
            FireMove(scope, destination);
        }
    }

    /// <summary>Exits every region of a parallel state, the last declared first (XState's reverse document order).</summary>
    private void ExitRegions(MachineState<TContext> parallel)
    {
        for (var i = parallel.Children.Length - 1; i >= 0; i--)
        {
            var scope = _model.States[parallel.Children[i]].Scope;
            FireMove(scope, Outside(scope));
        }
    }

    /// <summary>
    /// Where a scope's machine moves to enter <paramref name="target"/>: the target's default leaf when the target is
    /// in the scope, otherwise the parallel state of the scope that contains it (whose entry enters the rest).
    /// </summary>
    private int LeafFor(int target, int scope)
    {
        var node = target;
        while (_model.States[node].Scope != scope)
        {
            node = _model.States[node].Parent;
        }

        return node == target ? _model.States[target].DefaultLeaf : node;
    }

    // ---- Entry, exit and completion (called by Stateless) ----

    private void EnterNode(int index)
    {
        var state = _model.States[index];
        RunActions(state.Entry);
        if (state.Kind == MachineStateKind.Parallel)
        {
            EnterRegions(state);
        }
        else if (state.Kind == MachineStateKind.Final)
        {
            OnFinalEntered(state);
        }
    }

    private void ExitNode(int index)
    {
        var state = _model.States[index];
        if (state.Kind == MachineStateKind.Parallel)
        {
            ExitRegions(state);
        }

        RunActions(state.Exit);
    }

    /// <summary>XState's rule: a final child completes its compound parent, and every enclosing parallel state all of whose regions are now final.</summary>
    private void OnFinalEntered(MachineState<TContext> final)
    {
        var parent = final.Parent;
        if (parent < 0)
        {
            _done = true;
            WriteOutput();
            return;
        }

        if (_model.States[parent].Kind == MachineStateKind.Compound)
        {
            (_doneQueue ??= []).Add(parent);
        }

        var marker = _model.States[parent].Kind == MachineStateKind.Parallel ? parent : _model.States[parent].Parent;
        var completed = _completed ??= [];
        while (marker >= 0 && _model.States[marker].Kind == MachineStateKind.Parallel && !completed.Contains(marker) && IsInFinalState(marker))
        {
            completed.Add(marker);
            (_doneQueue ??= []).Add(marker);
            marker = _model.States[marker].Parent;
        }
    }

    private bool IsInFinalState(int index)
    {
        var state = _model.States[index];
        switch (state.Kind)
        {
            case MachineStateKind.Compound:
                var leaf = _current[state.Scope];
                return leaf < _model.States.Length && _model.States[leaf].Kind == MachineStateKind.Final && _model.States[leaf].Parent == index;
            case MachineStateKind.Parallel:
                foreach (var region in state.Children)
                {
                    if (!IsInFinalState(region))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return state.Kind == MachineStateKind.Final;
        }
    }

    private bool IsActive(int index)
    {
        var scope = _model.States[index].Scope;
        for (var node = _current[scope]; node < _model.States.Length && node >= 0 && _model.States[node].Scope == scope; node = _model.States[node].Parent)
        {
            if (node == index)
            {
                return true;
            }
        }

        return false;
    }

    // ---- Stateless ----

    /// <summary>Moves a scope's Stateless machine to <paramref name="destination"/>: exits up to the common superstate, enters down to the destination.</summary>
    private void FireMove(int scope, int destination)
    {
        if (_current[scope] == destination)
        {
            return;
        }

        _moveTo = destination;
        _machines[scope].Fire(Move);
    }

    /// <summary>
    /// Builds the scopes' Stateless machines once per run (the configuration, and Stateless's reflection info for
    /// every delegate, is what made a machine per execution expensive): every state of a scope below another state
    /// of the scope is its substate, with the entry and exit actions attached; the external state of scope <c>s</c>
    /// is <c>_current[s]</c>.
    /// </summary>
    /// <remarks>
    /// The dynamic move trigger is permitted on every state as well as on the outside state: Stateless then finds the
    /// handler on the current state instead of searching each superstate in turn (each search allocates). The
    /// behaviour is the same: the one dynamic trigger, whichever state it is found on. The outside state is no
    /// superstate: a move from or to it exits or enters the whole chain either way, and Stateless would otherwise
    /// search the scope's whole tree (allocating at every node) on each exit to find the destination in it.
    /// </remarks>
    private StateMachine<StateKey, int>[] ConfigureMachines()
    {
        var machines = new StateMachine<StateKey, int>[_model.ScopeCount];
        for (var scope = 0; scope < machines.Length; scope++)
        {
            var index = scope;
            machines[scope] = new StateMachine<StateKey, int>(() => _keys[_current[index]], state => _current[index] = state.Index, FiringMode.Immediate);
            machines[scope].Configure(_keys[Outside(scope)]).PermitDynamic(Move, _destination);
            machines[scope].OnTransitioned(_ => OnTransitioned(index));
        }

        foreach (var state in _model.States)
        {
            var index = state.Index;
            var scope = state.Scope;
            var parent = state.Parent;
            var configuration = machines[scope].Configure(_keys[index]);
            if (parent >= 0 && _model.States[parent].Scope == scope)
            {
                configuration.SubstateOf(_keys[parent]);
            }

            configuration
                .PermitDynamic(Move, _destination)
                .OnEntry(() => EnterNode(index))
                .OnExit(() => ExitNode(index));
        }

        return machines;
    }

    /// <summary>
    /// A Stateless state: a reference type, because Stateless compares states through <see cref="object.Equals(object)"/>
    /// in its generic code, which boxes a value-type state on every comparison of every exit and entry.
    /// </summary>
    private sealed class StateKey(int index)
    {
        public int Index { get; } = index;

        public override string ToString() => Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    // ---- State value ----

    /// <summary>Restores the active states from the snapshot's state value.</summary>
    private void Restore(ArvoMachineSnapshot snapshot)
    {
        if (snapshot.NestedValue is not { } nested)
        {
            var top = FindChild(-1, snapshot.Value);
            if (top < 0 || !_model.States[top].IsAtomic)
            {
                throw new InvalidOperationException(
                    $"The snapshot state '{snapshot.Value}' is not a top-level state of machine '{_model.Id}' (version '{_model.Version}')");
            }

            _current[0] = top;
            return;
        }

        var property = nested.EnumerateObject().First();
        var state = FindChild(-1, property.Name);
        if (state < 0)
        {
            throw new InvalidOperationException(
                $"The snapshot state '{property.Name}' is not a top-level state of machine '{_model.Id}' (version '{_model.Version}')");
        }

        RestoreBelow(state, property.Value);
    }

    /// <summary>Restores the active states inside a compound or parallel state from its part of the value.</summary>
    private void RestoreBelow(int index, JsonElement value)
    {
        var state = _model.States[index];
        if (state.Kind == MachineStateKind.Parallel)
        {
            _current[state.Scope] = index;
            foreach (var region in state.Children)
            {
                var regionState = _model.States[region];
                if (value.ValueKind != JsonValueKind.Object
                    || !value.TryGetProperty(regionState.Name, out var regionValue)
                    || !TryRestoreChild(region, regionValue))
                {
                    throw new InvalidOperationException(
                        $"The snapshot of machine '{_model.Id}' (version '{_model.Version}') has no valid state for region '{regionState.Name}' of parallel state '{state.Path}'");
                }
            }

            return;
        }

        if (state.Kind != MachineStateKind.Compound || !TryRestoreChild(index, value))
        {
            throw new InvalidOperationException(
                $"The snapshot value of machine '{_model.Id}' (version '{_model.Version}') does not name a valid active state below '{state.Path}': {value.GetRawText()}");
        }
    }

    /// <summary>Restores the active child of a compound state: <c>"child"</c> for an atomic or final child, <c>{"child": …}</c> otherwise.</summary>
    private bool TryRestoreChild(int compound, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var child = FindChild(compound, value.GetString()!);
            if (child < 0 || !_model.States[child].IsAtomic)
            {
                return false;
            }

            _current[_model.States[child].Scope] = child;
            return true;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        using var properties = value.EnumerateObject();
        if (!properties.MoveNext())
        {
            return false;
        }

        var only = properties.Current;
        if (properties.MoveNext())
        {
            return false;
        }

        var inner = FindChild(compound, only.Name);
        if (inner < 0 || _model.States[inner].IsAtomic)
        {
            return false;
        }

        RestoreBelow(inner, only.Value);
        return true;
    }

    private int FindChild(int parent, string name)
    {
        foreach (var child in parent < 0 ? _model.TopStates : _model.States[parent].Children)
        {
            if (_model.States[child].Name == name)
            {
                return child;
            }
        }

        return -1;
    }

    private void WriteValueBelow(Utf8JsonWriter writer, MachineState<TContext> state)
    {
        if (state.Kind == MachineStateKind.Parallel)
        {
            writer.WriteStartObject();
            foreach (var region in state.Children)
            {
                writer.WritePropertyName(_model.States[region].Name);
                WriteValueBelow(writer, _model.States[region]);
            }

            writer.WriteEndObject();
            return;
        }

        var child = ActiveChild(state);
        if (child.IsAtomic)
        {
            writer.WriteStringValue(child.Name);
            return;
        }

        writer.WriteStartObject();
        writer.WritePropertyName(child.Name);
        WriteValueBelow(writer, child);
        writer.WriteEndObject();
    }

    private MachineState<TContext> ActiveChild(MachineState<TContext> compound)
    {
        var node = _current[compound.Scope];
        while (_model.States[node].Parent != compound.Index)
        {
            node = _model.States[node].Parent;
        }

        return _model.States[node];
    }
}
