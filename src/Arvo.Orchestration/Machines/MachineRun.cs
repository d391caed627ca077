using System.Text.Json;
using Arvo.Contracts;
using Arvo.Events;
using Stateless;

namespace Arvo.Machines;

/// <summary>
/// One execution of a machine: restores (or creates) the context and the active states, delivers the event, settles
/// eventless transitions and produces the new snapshot. Single-threaded and short-lived; the Stateless machines it
/// creates (one for the top level, one per active region) run over its fields through the external-state constructor
/// and are configured from the cached <see cref="MachineModel{TContext}"/>.
/// </summary>
/// <remarks>
/// What Stateless provides: the trigger-to-transition lookup of the current state, the exit → transition actions
/// (<c>OnTransitioned</c>) → entry ordering, re-entry and internal transitions. What this layer adds (orchestrator.md 3):
/// ordered first-match guards (the candidate list is evaluated here and the chosen transition id fired as the
/// trigger), silent ignore of unhandled events, eventless settling with a microstep bound, final states and output,
/// context, emit/enqueue ordering and parallel regions.
/// </remarks>
internal sealed class MachineRun<TContext>
    where TContext : notnull
{
    private readonly MachineModel<TContext> _model;
    private readonly ArvoEvent _event;
    private readonly int[] _regionStates;
    private readonly Action<StateMachine<int, int>.Transition> _onEntry;
    private readonly Action<StateMachine<int, int>.Transition> _onExit;
    private readonly Action<StateMachine<int, int>.Transition> _onTransitioned;
    private readonly Action<StateMachine<int, int>.Transition> _onInternal;
    private TContext _context = default!;
    private int _top;
    private bool _done;
    private List<ArvoMachineEmit>? _emitted;
    private List<ArvoMachineEmit>? _enqueued;
    private StateMachine<int, int>? _topMachine;
    private StateMachine<int, int>?[]? _regionMachines;
    private bool[]? _configured;

    public MachineRun(MachineModel<TContext> model, ArvoEvent arvoEvent)
    {
        _model = model;
        _event = arvoEvent;
        _regionStates = model.Regions.Length == 0 ? [] : new int[model.Regions.Length];
        Array.Fill(_regionStates, -1);
        _onEntry = transition => EnterState(transition.Destination);
        _onExit = transition => ExitState(transition.Source);
        _onTransitioned = transition =>
        {
            var taken = _model.Transitions[transition.Trigger];
            if (taken.Target >= 0 && (taken.Target != taken.Source || taken.Reenter))
            {
                RunActions(taken.Actions);
            }
        };
        _onInternal = transition => RunActions(_model.Transitions[transition.Trigger].Actions);
    }

    public MachineRunResult Execute(ArvoMachineSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            _context = _model.ContextFactory(_event) ?? throw new InvalidOperationException(
                $"The context factory of machine '{_model.Id}' (version '{_model.Version}') returned null");
            _top = _model.Initial;
            EnterState(_top);
        }
        else
        {
            if (snapshot.Status != ArvoMachineStatus.Active)
            {
                // A done (or failed/stopped) machine ignores every event; completion is never reported again.
                return new MachineRunResult(snapshot, [], null);
            }

            Restore(snapshot);
            Deliver();
        }

        Settle();
        return Finish();
    }

    private void Restore(ArvoMachineSnapshot snapshot)
    {
        _context = JsonSerializer.Deserialize<TContext>(snapshot.Context, _model.ContextOptions) ?? throw new InvalidOperationException(
            $"The snapshot context of machine '{_model.Id}' (version '{_model.Version}') deserialized to null");
        if (!_model.StateIndex.TryGetValue(snapshot.Value, out _top) || _model.States[_top].Region >= 0)
        {
            throw new InvalidOperationException(
                $"The snapshot state '{snapshot.Value}' is not a top-level state of machine '{_model.Id}' (version '{_model.Version}')");
        }

        var state = _model.States[_top];
        if (state.Kind != MachineStateKind.Parallel)
        {
            return;
        }

        foreach (var r in state.Regions)
        {
            var region = _model.Regions[r];
            if (snapshot.Regions is null
                || !snapshot.Regions.TryGetValue(region.Name, out var name)
                || !_model.StateIndex.TryGetValue(name, out var leaf)
                || _model.States[leaf].Region != r)
            {
                throw new InvalidOperationException(
                    $"The snapshot of machine '{_model.Id}' (version '{_model.Version}') has no valid state for region '{region.Name}' of parallel state '{state.Name}'");
            }

            _regionStates[r] = leaf;
        }
    }

    private void Deliver()
    {
        var state = _model.States[_top];
        if (state.Kind == MachineStateKind.Parallel && state.Regions.Length > 0)
        {
            // Select in every region first (all guards see the same context), then fire region by region.
            Span<int> chosen = state.Regions.Length <= 16 ? stackalloc int[state.Regions.Length] : new int[state.Regions.Length];
            var any = false;
            for (var i = 0; i < state.Regions.Length; i++)
            {
                var selected = Select(_model.States[_regionStates[state.Regions[i]]]);
                chosen[i] = selected?.Id ?? -1;
                any |= selected is not null;
            }

            if (any)
            {
                for (var i = 0; i < chosen.Length; i++)
                {
                    if (chosen[i] >= 0)
                    {
                        FireRegion(state.Regions[i], _model.Transitions[chosen[i]]);
                    }
                }

                return;
            }
        }

        if (Select(state) is { } transition)
        {
            FireTop(transition);
        }
    }

    private MachineTransition<TContext>? Select(MachineState<TContext> state)
    {
        if (!state.ByEvent.TryGetValue(_event.Type, out var candidates))
        {
            candidates = state.Wildcard;
        }

        return FirstEnabled(candidates);
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

    private void Settle()
    {
        var steps = 0;
        List<int>? trail = null;
        var window = Math.Min(_model.MaxMicrosteps, 2 * _model.States.Length);
        while (!_done)
        {
            var state = _model.States[_top];
            MachineTransition<TContext>? transition = null;
            var region = -1;
            if (state.Kind == MachineStateKind.Parallel)
            {
                foreach (var r in state.Regions)
                {
                    transition = FirstEnabled(_model.States[_regionStates[r]].Always);
                    if (transition is not null)
                    {
                        region = r;
                        break;
                    }
                }

                transition ??= FirstEnabled(state.Always);
                if (transition is null && state.OnDone.Length > 0 && AllRegionsFinal(state))
                {
                    transition = FirstEnabled(state.OnDone);
                }
            }
            else
            {
                transition = FirstEnabled(state.Always);
            }

            if (transition is null)
            {
                return;
            }

            steps++;
            if (steps > _model.MaxMicrosteps - window)
            {
                (trail ??= []).Add(transition.Source);
            }

            if (steps > _model.MaxMicrosteps)
            {
                var loop = trail!.Distinct().Order().Select(i => $"'{_model.States[i].Name}'");
                throw new InvalidOperationException(
                    $"Eventless transitions of machine '{_model.Id}' (version '{_model.Version}') did not settle after {_model.MaxMicrosteps} microsteps; states in the loop: {string.Join(", ", loop)}");
            }

            if (region >= 0)
            {
                FireRegion(region, transition);
            }
            else
            {
                FireTop(transition);
            }
        }
    }

    private bool AllRegionsFinal(MachineState<TContext> state)
    {
        foreach (var r in state.Regions)
        {
            if (_model.States[_regionStates[r]].Kind != MachineStateKind.Final)
            {
                return false;
            }
        }

        return true;
    }

    private MachineRunResult Finish()
    {
        var context = JsonSerializer.SerializeToElement(_context, _model.ContextOptions);
        if (context.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException(
                $"The context of machine '{_model.Id}' (version '{_model.Version}') must serialize to a JSON object, received {context.ValueKind}");
        }

        if (context.TryGetProperty(ArvoMachineSnapshot.ReservedContextKey, out _))
        {
            throw new InvalidOperationException(
                $"The context of machine '{_model.Id}' (version '{_model.Version}') uses the reserved key '{ArvoMachineSnapshot.ReservedContextKey}'");
        }

        JsonElement? output = null;
        IReadOnlyDictionary<string, string>? regions = null;
        var state = _model.States[_top];
        if (_done)
        {
            output = ComputeOutput();
        }
        else if (state.Kind == MachineStateKind.Parallel)
        {
            var map = new OrderedDictionary<string, string>(state.Regions.Length, StringComparer.Ordinal);
            foreach (var r in state.Regions)
            {
                map.Add(_model.Regions[r].Name, _model.States[_regionStates[r]].Name);
            }

            regions = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(map);
        }

        var snapshot = new ArvoMachineSnapshot(_done ? ArvoMachineStatus.Done : ArvoMachineStatus.Active, state.Name, regions, context, output);
        IReadOnlyList<ArvoMachineEmit> events = (_emitted, _enqueued) switch
        {
            (null, null) => [],
            (not null, null) => _emitted,
            (null, not null) => _enqueued,
            _ => [.. _emitted, .. _enqueued],
        };
        return new MachineRunResult(snapshot, events, output);
    }

    private JsonElement ComputeOutput()
    {
        if (_model.Output is null)
        {
            return EmptyObject;
        }

        var value = _model.Output(_context);
        var output = value switch
        {
            null => EmptyObject,
            JsonElement element => element,
            _ => JsonSerializer.SerializeToElement(value, value.GetType(), _model.ContextOptions),
        };
        return output.ValueKind == JsonValueKind.Object
            ? output
            : throw new InvalidOperationException(
                $"The output of machine '{_model.Id}' (version '{_model.Version}') must serialize to a JSON object, received {output.ValueKind}");
    }

    private static JsonElement EmptyObject { get; } = JsonSerializer.SerializeToElement(new { });

    private void EnterState(int index)
    {
        var state = _model.States[index];
        RunActions(state.Entry);
        switch (state.Kind)
        {
            case MachineStateKind.Parallel:
                foreach (var r in state.Regions)
                {
                    var initial = _model.Regions[r].Initial;
                    _regionStates[r] = initial;
                    EnterState(initial);
                }

                break;
            case MachineStateKind.Final when state.Region < 0:
                _done = true;
                break;
        }
    }

    private void ExitState(int index)
    {
        var state = _model.States[index];
        if (state.Kind == MachineStateKind.Parallel)
        {
            foreach (var r in state.Regions)
            {
                ExitState(_regionStates[r]);
                _regionStates[r] = -1;
                if (_regionMachines is not null && _regionMachines[r] is not null)
                {
                    _regionMachines[r] = null;
                    foreach (var member in _model.Regions[r].States)
                    {
                        _configured![member] = false;
                    }
                }
            }
        }

        RunActions(state.Exit);
    }

    private void RunActions(MachineAction<TContext>[] actions)
    {
        foreach (var action in actions)
        {
            switch (action.Kind)
            {
                case MachineActionKind.Assign:
                    _context = action.Assign!(_context, _event) ?? throw new InvalidOperationException(
                        $"An assign action of machine '{_model.Id}' (version '{_model.Version}') returned a null context");
                    break;
                case MachineActionKind.Emit:
                    (_emitted ??= []).Add(Normalize(action.Emit!(_context, _event)));
                    break;
                case MachineActionKind.Enqueue:
                    (_enqueued ??= []).Add(Normalize(action.Emit!(_context, _event)));
                    break;
                case MachineActionKind.Run:
                    action.Run!(_context, _event);
                    break;
            }
        }
    }

    private ArvoMachineEmit Normalize(ArvoMachineEmit emit)
    {
        if (emit is null || string.IsNullOrEmpty(emit.Type))
        {
            throw new InvalidOperationException($"An emit action of machine '{_model.Id}' (version '{_model.Version}') returned no event type");
        }

        if (MachineDelegates.IsAsyncValue(emit.Data))
        {
            throw new ConfigViolation(
                $"Configuration Error: the data of the emitted event '{emit.Type}' in machine '{_model.Id}' (version '{_model.Version}') is a task. Machines must be synchronous: compute the data without async code.");
        }

        var data = ArvoEvent.ToData(emit.Data, null);
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new ArvoEventValidationException(ArvoEventAttributeNames.Data, "The data must be a JSON object", "a JSON object", data.ValueKind.ToString());
        }

        if (_model.ServicesByAcceptType.TryGetValue(emit.Type, out var service))
        {
            var validation = service.Accepts.Schema.Validate(data);
            if (!validation.IsValid)
            {
                throw new ContractViolation(
                    $"[Emittable Event Creation] Invalid event data: Schema validation failed.\nEvent type: {emit.Type}\nDetails: {validation}");
            }
        }

        return emit.Data is JsonElement ? emit : emit with { Data = data };
    }

    /// <summary>Fires <paramref name="transition"/> on the top-level Stateless machine.</summary>
    private void FireTop(MachineTransition<TContext> transition) =>
        Fire(_topMachine ??= CreateMachine(() => _top, state => _top = state), transition);

    /// <summary>Fires <paramref name="transition"/> on the Stateless machine of <paramref name="region"/>.</summary>
    private void FireRegion(int region, MachineTransition<TContext> transition)
    {
        _regionMachines ??= new StateMachine<int, int>?[_model.Regions.Length];
        Fire(_regionMachines[region] ??= CreateMachine(() => _regionStates[region], state => _regionStates[region] = state), transition);
    }

    private StateMachine<int, int> CreateMachine(Func<int> read, Action<int> write)
    {
        var machine = new StateMachine<int, int>(read, write, FiringMode.Immediate);
        machine.OnTransitioned(_onTransitioned);
        machine.OnUnhandledTrigger(static (_, _) => { });
        return machine;
    }

    private void Fire(StateMachine<int, int> machine, MachineTransition<TContext> transition)
    {
        // The configuration is applied lazily, state by state, from the cached model: a transition needs its source
        // (the trigger) and its target (entry and exit actions) configured before it fires.
        Configure(machine, transition.Source);
        if (transition.Target >= 0)
        {
            Configure(machine, transition.Target);
        }

        machine.Fire(transition.Id);
    }

    private void Configure(StateMachine<int, int> machine, int index)
    {
        _configured ??= new bool[_model.States.Length];
        if (_configured[index])
        {
            return;
        }

        _configured[index] = true;
        var configuration = machine.Configure(index).OnEntry(_onEntry).OnExit(_onExit);
        foreach (var transition in _model.States[index].Transitions)
        {
            if (transition.Target < 0 || (transition.Target == index && !transition.Reenter))
            {
                // XState v5: a targetless or a plain self-targeting transition leaves nothing; only its actions run.
                configuration.InternalTransition(transition.Id, _onInternal);
            }
            else if (transition.Target == index)
            {
                configuration.PermitReentry(transition.Id);
            }
            else
            {
                configuration.Permit(transition.Id, transition.Target);
            }
        }
    }
}
