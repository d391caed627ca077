using System.Collections.Frozen;

namespace Arvo.Machines;

/// <summary>
/// Checks a machine declaration and compiles it into a <see cref="MachineModel{TContext}"/> (state table, transition
/// ids used as Stateless triggers). Every failure is a <see cref="ConfigViolation"/> naming the machine, the state and
/// the event.
/// </summary>
internal sealed class MachineCompiler<TContext>
    where TContext : notnull
{
    private const string Wildcard = "*";

    private readonly string _id;
    private readonly string _version;
    private readonly IReadOnlyDictionary<string, MachineAction<TContext>[]> _actions;
    private readonly IReadOnlyDictionary<string, Func<TContext, ArvoEvent, bool>> _guards;
    private readonly HashSet<string> _listenable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VersionedArvoContract> _servicesByAcceptType = new(StringComparer.Ordinal);
    private readonly List<(StateSpec<TContext> Spec, int Region, string Path)> _states = [];
    private readonly Dictionary<string, int> _stateIndex = new(StringComparer.Ordinal);
    private readonly List<MachineTransition<TContext>> _transitions = [];

    private MachineCompiler(
        string id,
        string version,
        IReadOnlyDictionary<string, VersionedArvoContract> services,
        IReadOnlyDictionary<string, MachineAction<TContext>[]> actions,
        IReadOnlyDictionary<string, Func<TContext, ArvoEvent, bool>> guards)
    {
        _id = id;
        _version = version;
        _actions = actions;
        _guards = guards;
        foreach (var service in services.Values)
        {
            foreach (var emit in service.EmitList)
            {
                _listenable.Add(emit.Type);
            }

            _listenable.Add(service.SystemError.Type);
            _servicesByAcceptType.TryAdd(service.Accepts.Type, service);
        }
    }

    private string MachineName => $"machine '{_id}' (version '{_version}')";

    public static MachineModel<TContext> Compile(
        string id,
        VersionedArvoContract self,
        IReadOnlyDictionary<string, VersionedArvoContract> services,
        IReadOnlyDictionary<string, MachineAction<TContext>[]> actions,
        IReadOnlyDictionary<string, Func<TContext, ArvoEvent, bool>> guards,
        ArvoMachineBuilder<TContext> builder)
    {
        if (builder.VersionValue is { } given && given != self.Version)
        {
            throw new ConfigViolation($"Version mismatch: Machine version must be '{self.Version}' or not set, received '{given}'");
        }

        return new MachineCompiler<TContext>(id, self.Version, services, actions, guards).Compile(builder);
    }

    private MachineModel<TContext> Compile(ArvoMachineBuilder<TContext> builder)
    {
        if (builder.ContextFactory is null)
        {
            throw new ConfigViolation($"Configuration Error: {MachineName} has no context factory. Call Context(input => …) to create the context from the init event.");
        }

        MachineDelegates.EnsureSynchronous(builder.ContextFactory, $"{_id} > context");
        MachineDelegates.EnsureSynchronous(builder.OutputFunction, $"{_id} > output");

        // 1. Number every state (top-level first in declaration order, region states after their parallel state).
        var regions = new List<(RegionSpec<TContext> Spec, int Parallel, int[] States)>();
        var regionIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var top = new List<int>();
        foreach (var spec in builder.States)
        {
            var index = Declare(spec, -1, spec.Name);
            top.Add(index);
            if (spec.Kind != MachineStateKind.Parallel)
            {
                continue;
            }

            foreach (var region in spec.Regions)
            {
                if (!regionIndex.TryAdd(region.Name, regions.Count))
                {
                    throw new ConfigViolation($"Configuration Error: the region '{region.Name}' is declared twice in {MachineName}, state '{spec.Name}'. Location: {spec.Name} > {region.Name}");
                }

                var members = new int[region.States.Count];
                var r = regions.Count;
                regions.Add((region, index, members));
                for (var i = 0; i < members.Length; i++)
                {
                    members[i] = Declare(region.States[i], r, $"{spec.Name} > {region.Name} > {region.States[i].Name}");
                }
            }
        }

        if (top.Count == 0)
        {
            throw new ConfigViolation($"Configuration Error: {MachineName} declares no states.");
        }

        // 2. Initial states.
        if (builder.InitialState is null)
        {
            throw new ConfigViolation($"Configuration Error: {MachineName} has no initial state. Call Initial(…) with one of: {string.Join(", ", top.Select(i => _states[i].Spec.Name))}.");
        }

        if (!_stateIndex.TryGetValue(builder.InitialState, out var initial) || _states[initial].Region >= 0)
        {
            throw new ConfigViolation($"Configuration Error: the initial state '{builder.InitialState}' of {MachineName} is not a top-level state. Declared top-level states: {string.Join(", ", top.Select(i => _states[i].Spec.Name))}. Location: {_id} > initial");
        }

        var compiledRegions = new MachineRegion[regions.Count];
        for (var r = 0; r < regions.Count; r++)
        {
            var (spec, parallel, members) = regions[r];
            var parallelName = _states[parallel].Spec.Name;
            if (spec.Initial is null)
            {
                throw new ConfigViolation($"Configuration Error: the region '{spec.Name}' of {MachineName}, state '{parallelName}', has no initial state. Location: {parallelName} > {spec.Name} > initial");
            }

            if (!_stateIndex.TryGetValue(spec.Initial, out var regionInitial) || _states[regionInitial].Region != r)
            {
                throw new ConfigViolation($"Configuration Error: the initial state '{spec.Initial}' of region '{spec.Name}' in {MachineName}, state '{parallelName}', is not a state of that region. Location: {parallelName} > {spec.Name} > initial");
            }

            compiledRegions[r] = new MachineRegion { Name = spec.Name, Index = r, Parallel = parallel, Initial = regionInitial, States = members };
        }

        // 3. States, actions and transitions.
        var states = new MachineState<TContext>[_states.Count];
        for (var i = 0; i < _states.Count; i++)
        {
            states[i] = CompileState(i, regionIndex);
        }

        return new MachineModel<TContext>
        {
            Id = _id,
            Version = _version,
            States = states,
            Regions = compiledRegions,
            Transitions = [.. _transitions],
            TopStates = [.. top],
            Initial = initial,
            StateIndex = _stateIndex.ToFrozenDictionary(StringComparer.Ordinal),
            RegionIndex = regionIndex.ToFrozenDictionary(StringComparer.Ordinal),
            ContextFactory = builder.ContextFactory,
            Output = builder.OutputFunction,
            ContextOptions = builder.SerializerOptions,
            MaxMicrosteps = builder.MaxMicrostepsValue,
        };
    }

    private int Declare(StateSpec<TContext> spec, int region, string path)
    {
        if (spec.Name == ArvoMachineSetup<TContext>.ReservedActionName)
        {
            throw new ConfigViolation(
                $"Configuration Error: Reserved action name '{ArvoMachineSetup<TContext>.ReservedActionName}' cannot name a state of {MachineName}. Location: {path}");
        }

        if (!_stateIndex.TryAdd(spec.Name, _states.Count))
        {
            throw new ConfigViolation($"Configuration Error: the state '{spec.Name}' is declared twice in {MachineName}. State names are unique within a machine. Location: {path}");
        }

        if (spec.Kind == MachineStateKind.Final && spec.Transitions.Count > 0)
        {
            var first = spec.Transitions[0];
            throw new ConfigViolation(
                $"Configuration Error: the final state '{spec.Name}' of {MachineName} declares a transition on '{Describe(first)}'. Final states have no transitions. Location: {path} > {Section(first)}");
        }

        if (spec.Kind != MachineStateKind.Parallel && spec.Regions.Count > 0)
        {
            throw new ConfigViolation($"Configuration Error: only parallel states have regions ({MachineName}, state '{spec.Name}'). Location: {path}");
        }

        _states.Add((spec, region, path));
        return _states.Count - 1;
    }

    private MachineState<TContext> CompileState(int index, Dictionary<string, int> regionIndex)
    {
        var (spec, region, path) = _states[index];
        var transitions = new MachineTransition<TContext>[spec.Transitions.Count];
        for (var i = 0; i < transitions.Length; i++)
        {
            transitions[i] = CompileTransition(index, spec, region, path, spec.Transitions[i]);
        }

        var byEvent = transitions
            .Where(t => t.Kind == MachineTransitionKind.Event && t.EventType != Wildcard)
            .GroupBy(t => t.EventType!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

        return new MachineState<TContext>
        {
            Name = spec.Name,
            Index = index,
            Kind = spec.Kind,
            Region = region,
            Entry = CompileActions(spec.Entry, $"{path} > entry", spec.Name, "entry"),
            Exit = CompileActions(spec.Exit, $"{path} > exit", spec.Name, "exit"),
            Transitions = transitions,
            ByEvent = byEvent,
            Wildcard = [.. transitions.Where(t => t.Kind == MachineTransitionKind.Event && t.EventType == Wildcard)],
            Always = [.. transitions.Where(t => t.Kind == MachineTransitionKind.Always)],
            OnDone = [.. transitions.Where(t => t.Kind == MachineTransitionKind.Done)],
            Regions = spec.Kind == MachineStateKind.Parallel ? [.. spec.Regions.Select(r => regionIndex[r.Name])] : [],
        };
    }

    private MachineTransition<TContext> CompileTransition(int source, StateSpec<TContext> state, int region, string path, TransitionSpec<TContext> spec)
    {
        var trigger = Describe(spec);
        var location = $"{path} > {Section(spec)}";
        if (spec.Kind == MachineTransitionKind.Event && spec.EventType != Wildcard && !_listenable.Contains(spec.EventType!))
        {
            throw new ConfigViolation(
                $"Configuration Error: the event type '{spec.EventType}' in {MachineName}, state '{state.Name}', is not declared by any service contract. A state can listen to a service emit type, a service system error type (sys.<type>.error) or '*'. Declared types: {List(_listenable)}. Location: {location}");
        }

        var target = -1;
        if (spec.Target is not null)
        {
            if (!_stateIndex.TryGetValue(spec.Target, out target))
            {
                throw new ConfigViolation(
                    $"Configuration Error: unknown target state '{spec.Target}' in {MachineName}, state '{state.Name}', event '{trigger}'. Declared states: {string.Join(", ", _stateIndex.Keys)}. Location: {location} > target");
            }

            if (_states[target].Region != region)
            {
                var scope = region < 0 ? "a top-level state" : "a state of the same region";
                throw new ConfigViolation(
                    $"Configuration Error: the target state '{spec.Target}' in {MachineName}, state '{state.Name}', event '{trigger}', must be {scope}; transitions cannot cross region boundaries (leave a parallel state with its own transitions or OnDone). Location: {location} > target");
            }
        }

        Func<TContext, ArvoEvent, bool>? guard = spec.Guard;
        if (guard is not null)
        {
            MachineDelegates.EnsureSynchronous(spec.GuardUser, $"{location} > guard");
        }
        else if (spec.GuardName is not null && !_guards.TryGetValue(spec.GuardName, out guard))
        {
            throw new ConfigViolation(
                $"Configuration Error: unknown guard '{spec.GuardName}' in {MachineName}, state '{state.Name}', event '{trigger}'. Registered guards: {List(_guards.Keys)}. Location: {location} > guard");
        }

        var transition = new MachineTransition<TContext>
        {
            Id = _transitions.Count,
            Kind = spec.Kind,
            EventType = spec.EventType,
            Source = source,
            Target = target,
            GuardName = spec.GuardName,
            Guard = guard,
            Actions = CompileActions(spec.Actions, $"{location} > actions", state.Name, trigger),
        };
        _transitions.Add(transition);
        return transition;
    }

    private MachineAction<TContext>[] CompileActions(List<MachineAction<TContext>> actions, string location, string state, string trigger)
    {
        var compiled = new List<MachineAction<TContext>>(actions.Count);
        foreach (var action in actions)
        {
            if (action.Kind == MachineActionKind.Named)
            {
                if (action.Name == ArvoMachineSetup<TContext>.ReservedActionName)
                {
                    throw new ConfigViolation(
                        $"Configuration Error: Reserved action name '{ArvoMachineSetup<TContext>.ReservedActionName}' is used as a named action in {MachineName}, state '{state}', event '{trigger}'; call EnqueueArvoEvent(…) instead. Location: {location}");
                }

                if (!_actions.TryGetValue(action.Name!, out var named))
                {
                    throw new ConfigViolation(
                        $"Configuration Error: unknown action '{action.Name}' in {MachineName}, state '{state}', event '{trigger}'. Registered actions: {List(_actions.Keys)}. Location: {location}");
                }

                foreach (var step in named)
                {
                    CheckEmitType(step, location, state, trigger);
                }

                compiled.AddRange(named);
                continue;
            }

            MachineDelegates.EnsureSynchronous(action.UserDelegate, location);
            CheckEmitType(action, location, state, trigger);
            compiled.Add(action);
        }

        return [.. compiled];
    }

    private void CheckEmitType(MachineAction<TContext> action, string location, string state, string trigger)
    {
        if (action.StaticType is { } type && !_servicesByAcceptType.ContainsKey(type))
        {
            throw new ConfigViolation(
                $"Configuration Error: the emitted event type '{type}' in {MachineName}, state '{state}', event '{trigger}', is not accepted by any service contract. Service types: {List(_servicesByAcceptType.Keys)}. Emit undeclared events with the function form Emit(ctx => ArvoMachineEmit.Create(…)). Location: {location}");
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "(none)" : text;
    }

    private static string Describe(TransitionSpec<TContext> spec) => spec.Kind switch
    {
        MachineTransitionKind.Always => "always",
        MachineTransitionKind.Done => "onDone",
        _ => spec.EventType!,
    };

    private static string Section(TransitionSpec<TContext> spec) => spec.Kind switch
    {
        MachineTransitionKind.Always => "always",
        MachineTransitionKind.Done => "onDone",
        _ => $"on > {spec.EventType}",
    };
}
