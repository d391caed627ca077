namespace Arvo.Machines;

/// <summary>
/// The actions of an entry list, exit list, transition or named action, run in the order they are added. An action
/// may assign a new context, emit a raw event (<see cref="Emit(string, Func{TContext, object})"/>), enqueue one
/// (<see cref="EnqueueArvoEvent(string, Func{TContext, object})"/>), run a named action or run a side-effect-free
/// callback. Every delegate must be synchronous and pure (no I/O, clock or randomness).
/// </summary>
/// <remarks>
/// Ordering (orchestrator.md 2.4): within one execution every <c>Emit</c> event comes first, in the order the actions
/// ran, then every <c>EnqueueArvoEvent</c> event, in the order they ran. When the type is given as a string (or a
/// constant <see cref="ArvoMachineEmit"/>) it must be a service contract's accepted type, checked when the machine is
/// built; the function forms are checked when they run (declared types are validated, other types pass through).
/// </remarks>
/// <typeparam name="TContext">The machine context.</typeparam>
/// <typeparam name="TSelf">The concrete builder (for fluent chaining).</typeparam>
public abstract class ArvoActionListBuilder<TContext, TSelf>
    where TContext : notnull
    where TSelf : ArvoActionListBuilder<TContext, TSelf>
{
    private protected ArvoActionListBuilder()
    {
    }

    internal List<MachineAction<TContext>> Actions { get; } = [];

    private TSelf Self => (TSelf)this;

    /// <summary>Replaces the context with the value <paramref name="assign"/> returns (e.g. <c>ctx =&gt; ctx with { … }</c>).</summary>
    /// <param name="assign">The pure update.</param>
    /// <returns>This builder.</returns>
    public TSelf Assign(Func<TContext, TContext> assign)
    {
        ArgumentNullException.ThrowIfNull(assign);
        return Add(new() { Kind = MachineActionKind.Assign, UserDelegate = assign, Assign = (context, _) => assign(context) });
    }

    /// <summary>Replaces the context with the value <paramref name="assign"/> returns, given the consumed event.</summary>
    /// <param name="assign">The pure update.</param>
    /// <returns>This builder.</returns>
    public TSelf Assign(Func<TContext, ArvoEvent, TContext> assign)
    {
        ArgumentNullException.ThrowIfNull(assign);
        return Add(new() { Kind = MachineActionKind.Assign, UserDelegate = assign, Assign = assign });
    }

    /// <summary>Emits a raw event of the service type <paramref name="type"/> with the data <paramref name="data"/> computes.</summary>
    /// <param name="type">A service contract's accepted type (checked when the machine is built).</param>
    /// <param name="data">The payload (serialized and validated against the service's accepts schema by the orchestrator that emits it).</param>
    /// <returns>This builder.</returns>
    public TSelf Emit(string type, Func<TContext, object> data) => AddEmit(MachineActionKind.Emit, type, data);

    /// <summary>Emits a raw event of the service type <paramref name="type"/> with the data <paramref name="data"/> computes from the context and the consumed event.</summary>
    /// <param name="type">A service contract's accepted type (checked when the machine is built).</param>
    /// <param name="data">The payload (serialized and validated against the service's accepts schema by the orchestrator that emits it).</param>
    /// <returns>This builder.</returns>
    public TSelf Emit(string type, Func<TContext, ArvoEvent, object> data) => AddEmit(MachineActionKind.Emit, type, data);

    /// <summary>Emits a constant raw event; its type must be a service contract's accepted type.</summary>
    /// <param name="emit">The raw event.</param>
    /// <returns>This builder.</returns>
    public TSelf Emit(ArvoMachineEmit emit) => AddEmit(MachineActionKind.Emit, emit);

    /// <summary>Emits the raw event <paramref name="emit"/> computes (any type; undeclared types pass through unvalidated).</summary>
    /// <param name="emit">The raw event factory.</param>
    /// <returns>This builder.</returns>
    public TSelf Emit(Func<TContext, ArvoMachineEmit> emit) => AddEmit(MachineActionKind.Emit, emit);

    /// <summary>Emits the raw event <paramref name="emit"/> computes from the context and the consumed event.</summary>
    /// <param name="emit">The raw event factory.</param>
    /// <returns>This builder.</returns>
    public TSelf Emit(Func<TContext, ArvoEvent, ArvoMachineEmit> emit) => AddEmit(MachineActionKind.Emit, emit);

    /// <summary>Enqueues a raw event (emitted after every <c>Emit</c> event) of the service type <paramref name="type"/>.</summary>
    /// <param name="type">A service contract's accepted type (checked when the machine is built).</param>
    /// <param name="data">The payload.</param>
    /// <returns>This builder.</returns>
    public TSelf EnqueueArvoEvent(string type, Func<TContext, object> data) => AddEmit(MachineActionKind.Enqueue, type, data);

    /// <summary>Enqueues a raw event of the service type <paramref name="type"/>, data from the context and the consumed event.</summary>
    /// <param name="type">A service contract's accepted type (checked when the machine is built).</param>
    /// <param name="data">The payload.</param>
    /// <returns>This builder.</returns>
    public TSelf EnqueueArvoEvent(string type, Func<TContext, ArvoEvent, object> data) => AddEmit(MachineActionKind.Enqueue, type, data);

    /// <summary>Enqueues a constant raw event; its type must be a service contract's accepted type.</summary>
    /// <param name="emit">The raw event.</param>
    /// <returns>This builder.</returns>
    public TSelf EnqueueArvoEvent(ArvoMachineEmit emit) => AddEmit(MachineActionKind.Enqueue, emit);

    /// <summary>Enqueues the raw event <paramref name="emit"/> computes (any type; undeclared types pass through unvalidated).</summary>
    /// <param name="emit">The raw event factory.</param>
    /// <returns>This builder.</returns>
    public TSelf EnqueueArvoEvent(Func<TContext, ArvoMachineEmit> emit) => AddEmit(MachineActionKind.Enqueue, emit);

    /// <summary>Enqueues the raw event <paramref name="emit"/> computes from the context and the consumed event.</summary>
    /// <param name="emit">The raw event factory.</param>
    /// <returns>This builder.</returns>
    public TSelf EnqueueArvoEvent(Func<TContext, ArvoEvent, ArvoMachineEmit> emit) => AddEmit(MachineActionKind.Enqueue, emit);

    /// <summary>Runs the action registered under <paramref name="name"/> with <see cref="ArvoMachineSetup{TContext}.Action"/>.</summary>
    /// <param name="name">The action name (unknown names fail when the machine is built).</param>
    /// <returns>This builder.</returns>
    public TSelf Action(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Add(new() { Kind = MachineActionKind.Named, Name = name });
    }

    /// <summary>
    /// Runs a callback that neither changes the context nor emits (e.g. logging through a sink captured at definition
    /// time). It must not perform I/O the workflow depends on.
    /// </summary>
    /// <param name="action">The callback.</param>
    /// <returns>This builder.</returns>
    public TSelf Run(Action<TContext, ArvoEvent> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(new() { Kind = MachineActionKind.Run, UserDelegate = action, Run = action });
    }

    private TSelf AddEmit(MachineActionKind kind, string type, Func<TContext, object> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(data);
        return Add(new() { Kind = kind, UserDelegate = data, StaticType = type, Emit = (context, _) => ArvoMachineEmit.Create(type, data(context)) });
    }

    private TSelf AddEmit(MachineActionKind kind, string type, Func<TContext, ArvoEvent, object> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(data);
        return Add(new() { Kind = kind, UserDelegate = data, StaticType = type, Emit = (context, consumed) => ArvoMachineEmit.Create(type, data(context, consumed)) });
    }

    private TSelf AddEmit(MachineActionKind kind, ArvoMachineEmit emit)
    {
        ArgumentNullException.ThrowIfNull(emit);
        ArgumentException.ThrowIfNullOrEmpty(emit.Type, nameof(emit));
        return Add(new() { Kind = kind, StaticType = emit.Type, Emit = (_, _) => emit });
    }

    private TSelf AddEmit(MachineActionKind kind, Func<TContext, ArvoMachineEmit> emit)
    {
        ArgumentNullException.ThrowIfNull(emit);
        return Add(new() { Kind = kind, UserDelegate = emit, Emit = (context, _) => emit(context) });
    }

    private TSelf AddEmit(MachineActionKind kind, Func<TContext, ArvoEvent, ArvoMachineEmit> emit)
    {
        ArgumentNullException.ThrowIfNull(emit);
        return Add(new() { Kind = kind, UserDelegate = emit, Emit = emit });
    }

    private TSelf Add(MachineAction<TContext> action)
    {
        Actions.Add(action);
        return Self;
    }
}
