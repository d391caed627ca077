namespace Arvo.Machines;

/// <summary>
/// The environment machines are declared in (reference <c>setupArvoMachine</c>): the self orchestrator contract
/// version, the named service contract versions, and named actions and guards. Create machines with
/// <see cref="CreateMachine"/>; each call snapshots the setup, so later additions do not change machines already built.
/// </summary>
/// <remarks>
/// Setup checks (orchestrator.md 2.1) run when the offending call is made, each a <see cref="ConfigViolation"/>:
/// a named action called <c>enqueueArvoEvent</c>; two services with the same contract URI; a service with the self URI.
/// XState's <c>actors</c> and <c>delays</c> options have no counterpart (they cannot be expressed).
/// </remarks>
/// <typeparam name="TContext">The machine context (see <see cref="ArvoMachineBuilder{TContext}"/>).</typeparam>
public sealed class ArvoMachineSetup<TContext>
    where TContext : notnull
{
    /// <summary>The reserved name of the built-in enqueue action.</summary>
    public const string ReservedActionName = "enqueueArvoEvent";

    private readonly OrderedDictionary<string, VersionedArvoContract> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MachineAction<TContext>[]> _actions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Func<TContext, ArvoEvent, bool> Guard, Delegate User)> _guards = new(StringComparer.Ordinal);

    internal ArvoMachineSetup(VersionedArvoContract self)
    {
        ArgumentNullException.ThrowIfNull(self);
        if (!self.IsOrchestrator)
        {
            throw new ConfigViolation(
                $"In ArvoMachine, the self contract must be a version of an ArvoOrchestratorContract, received '{self.Uri}' (type '{self.Type}')");
        }

        Self = self;
    }

    /// <summary>The self orchestrator contract version.</summary>
    public VersionedArvoContract Self { get; }

    /// <summary>The service contract versions by name, in registration order.</summary>
    public IReadOnlyDictionary<string, VersionedArvoContract> Services => _services;

    /// <summary>Registers a service contract version under <paramref name="name"/>.</summary>
    /// <param name="name">The service name (unique).</param>
    /// <param name="contract">The contract version (plain, simple or orchestrator contract).</param>
    /// <returns>This setup.</returns>
    /// <exception cref="ConfigViolation">
    /// The name is taken; another service has the same URI (<c>In ArvoMachine, the service contracts must have unique URIs. …</c>);
    /// or the contract is the self contract (<c>In ArvoMachine, Circular dependency detected: …</c>).
    /// </exception>
    public ArvoMachineSetup<TContext> Service(string name, VersionedArvoContract contract)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(contract);
        if (_services.ContainsKey(name))
        {
            throw new ConfigViolation($"In ArvoMachine, the service name '{name}' is registered twice");
        }

        foreach (var (existingName, existing) in _services)
        {
            if (existing.Uri == contract.Uri)
            {
                throw new ConfigViolation(
                    $"In ArvoMachine, the service contracts must have unique URIs. Multiple versions of the same contract are not allow. The contracts '{name}' and '{existingName}' have the same URI '{contract.Uri}'");
            }
        }

        if (contract.Uri == Self.Uri)
        {
            throw new ConfigViolation(
                $"In ArvoMachine, Circular dependency detected: Machine with URI '{Self.Uri}' is registered as service '{name}'. Self-referential services create execution loops and are prohibited.");
        }

        _services.Add(name, contract);
        return this;
    }

    /// <summary>Registers a named action (referenced with <c>.Action(name)</c>).</summary>
    /// <param name="name">The action name; <c>enqueueArvoEvent</c> is reserved.</param>
    /// <param name="configure">The action's steps.</param>
    /// <returns>This setup.</returns>
    /// <exception cref="ConfigViolation">The name is reserved or taken, or a delegate is asynchronous.</exception>
    public ArvoMachineSetup<TContext> Action(string name, Action<ArvoActionBuilder<TContext>> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == ReservedActionName)
        {
            throw new ConfigViolation(
                $"Configuration Error: Reserved action name '{ReservedActionName}' - the name belongs to the built-in action that enqueues raw Arvo events and cannot be redefined. Use a different action name. Location: setup > actions > {name}");
        }

        if (_actions.ContainsKey(name))
        {
            throw new ConfigViolation($"Configuration Error: the action '{name}' is registered twice. Location: setup > actions > {name}");
        }

        var actions = ArvoStateNodeBuilder<TContext, ArvoStateBuilder<TContext>>.BuildActions(configure);
        foreach (var action in actions)
        {
            if (action.Kind == MachineActionKind.Named)
            {
                throw new ConfigViolation($"Configuration Error: a named action cannot run another named action ('{action.Name}'). Location: setup > actions > {name}");
            }

            MachineDelegates.EnsureSynchronous(action.UserDelegate, $"setup > actions > {name}");
        }

        _actions.Add(name, [.. actions.Select(a => new MachineAction<TContext>
        {
            Kind = a.Kind,
            UserDelegate = a.UserDelegate,
            Assign = a.Assign,
            Emit = a.Emit,
            Run = a.Run,
            StaticType = a.StaticType,
            Name = name,
        })]);
        return this;
    }

    /// <summary>Registers a named guard over the context (referenced with <c>.Guard(name)</c>).</summary>
    /// <param name="name">The guard name.</param>
    /// <param name="guard">The pure predicate.</param>
    /// <returns>This setup.</returns>
    /// <exception cref="ConfigViolation">The name is taken or the delegate is asynchronous.</exception>
    public ArvoMachineSetup<TContext> Guard(string name, Func<TContext, bool> guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return AddGuard(name, (context, _) => guard(context), guard);
    }

    /// <summary>Registers a named guard over the context and the consumed event.</summary>
    /// <param name="name">The guard name.</param>
    /// <param name="guard">The pure predicate.</param>
    /// <returns>This setup.</returns>
    /// <exception cref="ConfigViolation">The name is taken or the delegate is asynchronous.</exception>
    public ArvoMachineSetup<TContext> Guard(string name, Func<TContext, ArvoEvent, bool> guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return AddGuard(name, guard, guard);
    }

    /// <summary>Declares and builds a machine version.</summary>
    /// <param name="id">The machine id (e.g. <c>counter</c>).</param>
    /// <param name="configure">Declares the machine.</param>
    /// <returns>The immutable, thread-safe machine.</returns>
    /// <exception cref="ConfigViolation">
    /// The definition is inconsistent; the message names the machine, the state and the event (see
    /// <see cref="ArvoMachine{TContext}"/> for the checks).
    /// </exception>
    public ArvoMachine<TContext> CreateMachine(string id, Action<ArvoMachineBuilder<TContext>> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ArvoMachineBuilder<TContext>();
        configure(builder);
        var services = new OrderedDictionary<string, VersionedArvoContract>(_services, StringComparer.Ordinal);
        var model = MachineCompiler<TContext>.Compile(id, Self, services, _actions, _guards.ToDictionary(g => g.Key, g => g.Value.Guard, StringComparer.Ordinal), builder);
        var definition = MachineDefinitionJson.Write(id, Self.Version, builder);
        return new ArvoMachine<TContext>(id, Self, new System.Collections.ObjectModel.ReadOnlyDictionary<string, VersionedArvoContract>(services), model, definition);
    }

    private ArvoMachineSetup<TContext> AddGuard(string name, Func<TContext, ArvoEvent, bool> guard, Delegate user)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_guards.ContainsKey(name))
        {
            throw new ConfigViolation($"Configuration Error: the guard '{name}' is registered twice. Location: setup > guards > {name}");
        }

        MachineDelegates.EnsureSynchronous(user, $"setup > guards > {name}");
        _guards.Add(name, (guard, user));
        return this;
    }
}
