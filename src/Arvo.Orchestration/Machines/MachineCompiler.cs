using System.Collections.Frozen;

namespace Arvo.Machines;

/// <summary>
/// Checks a machine declaration and compiles it into a <see cref="MachineModel{TContext}"/> (the state tree in
/// document order, resolved targets and initial states, each transition's XState domain, the Stateless scopes). Every
/// failure is a <see cref="ConfigViolation"/> naming the machine, the state and the event.
/// </summary>
internal sealed class MachineCompiler<TContext>
    where TContext : notnull
{
    private const string Wildcard = "*";

    /// <summary>The deepest nesting a machine may declare (a top-level state is level 1).</summary>
    private const int MaxDepth = 32;

    private readonly string _id;
    private readonly string _version;
    private readonly IReadOnlyDictionary<string, MachineAction<TContext>[]> _actions;
    private readonly IReadOnlyDictionary<string, Func<TContext, ArvoEvent, bool>> _guards;
    private readonly HashSet<string> _listenable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VersionedArvoContract> _servicesByAcceptType = new(StringComparer.Ordinal);
    private readonly List<Declared> _states = [];
    private readonly List<int> _top = [];

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

        // 1. Number every state in document order (a parent before its children): the order XState sorts entries and
        //    exits by, and the order the engine relies on.
        var scopes = 1;
        DeclareChildren(builder.States, -1, 0, null, ref scopes);
        if (_top.Count == 0)
        {
            throw new ConfigViolation($"Configuration Error: {MachineName} declares no states.");
        }

        // 2. Initial states.
        if (builder.InitialState is null)
        {
            throw new ConfigViolation($"Configuration Error: {MachineName} has no initial state. Call Initial(…) with one of: {TopList()}.");
        }

        var initial = FindChild(-1, builder.InitialState);
        if (initial < 0)
        {
            throw new ConfigViolation($"Configuration Error: the initial state '{builder.InitialState}' of {MachineName} is not a top-level state. Declared top-level states: {TopList()}. Location: {_id} > initial");
        }

        var initials = new int[_states.Count];
        for (var i = 0; i < _states.Count; i++)
        {
            initials[i] = ResolveInitial(i);
        }

        // Children come after their parent, so a backward pass sees a compound state's initial child first.
        var defaultLeaves = new int[_states.Count];
        for (var i = _states.Count - 1; i >= 0; i--)
        {
            defaultLeaves[i] = initials[i] >= 0 ? defaultLeaves[initials[i]] : i;
        }

        // 3. States, actions and transitions (targets resolve against the whole tree), in declaration order.
        var states = new MachineState<TContext>[_states.Count];
        for (var i = 0; i < _states.Count; i++)
        {
            states[i] = CompileState(i, initials[i], defaultLeaves[i]);
        }

        return new MachineModel<TContext>
        {
            Id = _id,
            Version = _version,
            States = states,
            TopStates = [.. _top],
            Initial = initial,
            ScopeCount = scopes,
            ContextFactory = builder.ContextFactory,
            Output = builder.OutputFunction,
            ContextOptions = builder.SerializerOptions,
            MaxMicrosteps = builder.MaxMicrostepsValue,
        };
    }

    private void DeclareChildren(List<StateSpec<TContext>> specs, int parent, int scope, string? location, ref int scopes)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var children = parent < 0 ? _top : _states[parent].Children;
        foreach (var spec in specs)
        {
            var path = location is null ? spec.Name : $"{location} > {spec.Name}";
            if (!names.Add(spec.Name))
            {
                throw spec.IsRegion
                    ? new ConfigViolation($"Configuration Error: the region '{spec.Name}' is declared twice in {MachineName}, state '{_states[parent].Spec.Name}'. Location: {path}")
                    : new ConfigViolation($"Configuration Error: the state '{spec.Name}' is declared twice in {MachineName}. State names are unique among siblings. Location: {path}");
            }

            // A region starts its own Stateless machine; every other state shares its parent's.
            var childScope = spec.IsRegion ? scopes++ : scope;
            var index = Declare(spec, parent, childScope, path);
            children.Add(index);
            DeclareChildren(spec.Children, index, childScope, path, ref scopes);
        }
    }

    private int Declare(StateSpec<TContext> spec, int parent, int scope, string location)
    {
        if (spec.Name == ArvoMachineSetup<TContext>.ReservedActionName)
        {
            throw new ConfigViolation(
                $"Configuration Error: Reserved action name '{ArvoMachineSetup<TContext>.ReservedActionName}' cannot name a state of {MachineName}. Location: {location}");
        }

        if (spec.Name.Contains('.', StringComparison.Ordinal))
        {
            throw new ConfigViolation(
                $"Configuration Error: the state name '{spec.Name}' in {MachineName} contains '.', which separates the levels of a state path (a target 'a.b' names the child 'b' of 'a'). Location: {location}");
        }

        if (spec.Kind == MachineStateKind.Final && spec.Transitions.Count > 0)
        {
            var first = spec.Transitions[0];
            throw new ConfigViolation(
                $"Configuration Error: the final state '{spec.Name}' of {MachineName} declares a transition on '{Describe(first)}'. Final states have no transitions. Location: {location} > {Section(first)}");
        }

        if (spec.Kind == MachineStateKind.Final && (spec.Children.Count > 0 || spec.Initial is not null))
        {
            throw new ConfigViolation($"Configuration Error: the final state '{spec.Name}' of {MachineName} declares child states. Final states are atomic. Location: {location}");
        }

        var kind = spec.IsRegion || (spec.Kind == MachineStateKind.Atomic && (spec.Children.Count > 0 || spec.Initial is not null))
            ? MachineStateKind.Compound
            : spec.Kind;
        if (kind == MachineStateKind.Atomic && spec.Transitions.Find(t => t.Kind == MachineTransitionKind.Done) is not null)
        {
            throw new ConfigViolation(
                $"Configuration Error: the state '{spec.Name}' of {MachineName} declares OnDone but no child states; OnDone is taken when a final child is entered. Location: {location} > onDone");
        }

        var depth = 1;
        for (var ancestor = parent; ancestor >= 0; ancestor = _states[ancestor].Parent)
        {
            depth++;
        }

        if (depth > MaxDepth)
        {
            // The stored state value nests one JSON object per level; JSON readers stop at depth 64.
            throw new ConfigViolation($"Configuration Error: the state '{spec.Name}' of {MachineName} is nested {depth} levels deep; at most {MaxDepth} levels are supported. Location: {location}");
        }

        var path = parent < 0 ? spec.Name : $"{_states[parent].Path}.{spec.Name}";
        _states.Add(new Declared(spec, parent, scope, path, location, kind));
        return _states.Count - 1;
    }

    private int ResolveInitial(int index)
    {
        var (spec, parent, _, _, location, kind) = _states[index];
        if (kind != MachineStateKind.Compound)
        {
            return -1;
        }

        if (spec.IsRegion)
        {
            var parallelName = _states[parent].Spec.Name;
            if (spec.Initial is null)
            {
                throw new ConfigViolation($"Configuration Error: the region '{spec.Name}' of {MachineName}, state '{parallelName}', has no initial state. Location: {location} > initial");
            }

            var regionInitial = FindChild(index, spec.Initial);
            return regionInitial >= 0
                ? regionInitial
                : throw new ConfigViolation($"Configuration Error: the initial state '{spec.Initial}' of region '{spec.Name}' in {MachineName}, state '{parallelName}', is not a state of that region. Location: {location} > initial");
        }

        var children = string.Join(", ", _states[index].Children.Select(c => _states[c].Spec.Name));
        if (spec.Initial is null)
        {
            throw new ConfigViolation($"Configuration Error: the compound state '{spec.Name}' of {MachineName} has no initial state. Call Initial(…) with one of its children: {children}. Location: {location} > initial");
        }

        var child = FindChild(index, spec.Initial);
        return child >= 0
            ? child
            : throw new ConfigViolation($"Configuration Error: the initial state '{spec.Initial}' of the compound state '{spec.Name}' in {MachineName} is not one of its children: {(children.Length == 0 ? "(none)" : children)}. Location: {location} > initial");
    }

    private MachineState<TContext> CompileState(int index, int initial, int defaultLeaf)
    {
        var (spec, parent, scope, path, location, kind) = _states[index];
        var transitions = new MachineTransition<TContext>[spec.Transitions.Count];
        for (var i = 0; i < transitions.Length; i++)
        {
            transitions[i] = CompileTransition(index, location, spec.Transitions[i]);
        }

        var byEvent = transitions
            .Where(t => t.Kind == MachineTransitionKind.Event && t.EventType != Wildcard)
            .GroupBy(t => t.EventType!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

        return new MachineState<TContext>
        {
            Name = spec.Name,
            Path = path,
            Index = index,
            Kind = kind,
            Parent = parent,
            Scope = scope,
            Children = [.. _states[index].Children],
            Initial = initial,
            DefaultLeaf = defaultLeaf,
            IsRegion = spec.IsRegion,
            Entry = CompileActions(spec.Entry, $"{location} > entry", spec.Name, "entry"),
            Exit = CompileActions(spec.Exit, $"{location} > exit", spec.Name, "exit"),
            Transitions = transitions,
            ByEvent = byEvent,
            Wildcard = [.. transitions.Where(t => t.Kind == MachineTransitionKind.Event && t.EventType == Wildcard)],
            Always = [.. transitions.Where(t => t.Kind == MachineTransitionKind.Always)],
            OnDone = [.. transitions.Where(t => t.Kind == MachineTransitionKind.Done)],
        };
    }

    private MachineTransition<TContext> CompileTransition(int source, string path, TransitionSpec<TContext> spec)
    {
        var state = _states[source].Spec;
        var trigger = Describe(spec);
        var location = $"{path} > {Section(spec)}";
        if (spec.Kind == MachineTransitionKind.Event && spec.EventType != Wildcard && !_listenable.Contains(spec.EventType!))
        {
            throw new ConfigViolation(
                $"Configuration Error: the event type '{spec.EventType}' in {MachineName}, state '{state.Name}', is not declared by any service contract. A state can listen to a service emit type, a service system error type (sys.<type>.error) or '*'. Declared types: {List(_listenable)}. Location: {location}");
        }

        if (spec.Reenter && spec.Target is null)
        {
            throw new ConfigViolation(
                $"Configuration Error: the targetless transition in {MachineName}, state '{state.Name}', event '{trigger}', calls Reenter(); only a transition with a target can exit and re-enter its state. Location: {location}");
        }

        var target = -1;
        if (spec.Target is not null)
        {
            target = ResolveTarget(source, spec.Target);
            if (target < 0)
            {
                throw new ConfigViolation(
                    $"Configuration Error: unknown target state '{spec.Target}' in {MachineName}, state '{state.Name}', event '{trigger}'. Declared states: {string.Join(", ", _states.Select(s => s.Path))}. Location: {location} > target");
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

        var domain = target < 0 ? source : Domain(source, target, spec.Reenter);
        return new MachineTransition<TContext>
        {
            Kind = spec.Kind,
            EventType = spec.EventType,
            Source = source,
            Target = target,
            Reenter = spec.Reenter,
            Domain = domain,
            EntersTarget = target >= 0 && !(target == source && domain == source),
            GuardName = spec.GuardName,
            Guard = guard,
            Actions = CompileActions(spec.Actions, $"{location} > actions", state.Name, trigger),
        };
    }

    /// <summary>XState v5's transition domain (see <see cref="MachineTransition{TContext}.Domain"/>).</summary>
    private int Domain(int source, int target, bool reenter)
    {
        if (!reenter && (target == source || IsDescendant(target, source)))
        {
            return source;
        }

        // The nearest proper ancestor of the target that strictly contains the source; the root always does.
        for (var ancestor = _states[target].Parent; ; ancestor = _states[ancestor].Parent)
        {
            if (ancestor < 0 || IsDescendant(source, ancestor))
            {
                return ancestor;
            }
        }
    }

    private bool IsDescendant(int state, int ancestor)
    {
        for (var current = _states[state].Parent; current >= 0; current = _states[current].Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Resolves a target: <c>.a.b</c> from the source's children; otherwise the first segment is the nearest state of
    /// that name among the source's siblings and its ancestors' siblings, and later segments name children.
    /// </summary>
    private int ResolveTarget(int source, string target)
    {
        var segments = target.Split('.');
        int node;
        var next = 1;
        if (segments[0].Length == 0)
        {
            node = source;
        }
        else
        {
            node = -1;
            for (var scope = _states[source].Parent; ; scope = _states[scope].Parent)
            {
                node = FindChild(scope, segments[0]);
                if (node >= 0 || scope < 0)
                {
                    break;
                }
            }
        }

        for (; node >= 0 && next < segments.Length; next++)
        {
            node = FindChild(node, segments[next]);
        }

        return node;
    }

    private int FindChild(int parent, string name)
    {
        foreach (var child in parent < 0 ? _top : _states[parent].Children)
        {
            if (_states[child].Spec.Name == name)
            {
                return child;
            }
        }

        return -1;
    }

    private string TopList() => string.Join(", ", _top.Select(i => _states[i].Spec.Name));

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

    private sealed record Declared(StateSpec<TContext> Spec, int Parent, int Scope, string Path, string Location, MachineStateKind Kind)
    {
        public List<int> Children { get; } = [];
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
