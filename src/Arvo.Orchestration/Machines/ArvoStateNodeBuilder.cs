namespace Arvo.Machines;

/// <summary>
/// What every state declares: entry and exit actions, transitions on event types and eventless (<c>always</c>)
/// transitions. Alternatives for the same event (or the <c>always</c> list) are tried in declaration order; the
/// first whose guard passes is taken. Events with no enabled alternative are ignored.
/// </summary>
/// <remarks>
/// The XState v5 rules every transition follows:
/// <list type="bullet">
/// <item>A transition with no target runs only its actions: no exit, no entry.</item>
/// <item>A transition whose target is its own state runs exit and entry actions only with
/// <see cref="ArvoTransitionBuilder{TContext}.Reenter"/>; without it, only the transition's actions run.</item>
/// <item>Otherwise the states from the innermost active state up to (not including) the transition's domain are exited
/// (innermost first), the transition's actions run, and the states from below the domain down to the target and its
/// initial children are entered (outermost first). The domain is the nearest state containing both the source and the
/// target; for a target inside the source it is the source itself.</item>
/// </list>
/// </remarks>
/// <typeparam name="TContext">The machine context.</typeparam>
/// <typeparam name="TSelf">The concrete builder (for fluent chaining).</typeparam>
public abstract class ArvoStateNodeBuilder<TContext, TSelf>
    where TContext : notnull
    where TSelf : ArvoStateNodeBuilder<TContext, TSelf>
{
    private protected ArvoStateNodeBuilder(StateSpec<TContext> spec)
    {
        Spec = spec;
    }

    internal StateSpec<TContext> Spec { get; }

    private TSelf Self => (TSelf)this;

    /// <summary>Adds entry actions (run in order when the state is entered).</summary>
    /// <param name="configure">Adds the actions.</param>
    /// <returns>This builder.</returns>
    public TSelf Entry(Action<ArvoActionBuilder<TContext>> configure)
    {
        Spec.Entry.AddRange(BuildActions(configure));
        return Self;
    }

    /// <summary>Adds exit actions (run in order when the state is left).</summary>
    /// <param name="configure">Adds the actions.</param>
    /// <returns>This builder.</returns>
    public TSelf Exit(Action<ArvoActionBuilder<TContext>> configure)
    {
        Spec.Exit.AddRange(BuildActions(configure));
        return Self;
    }

    /// <summary>
    /// Adds an alternative for <paramref name="eventType"/>: a service emit type, a service system error type
    /// (<c>sys.&lt;type&gt;.error</c>) or <c>*</c> (any event, tried only when no alternative names the type).
    /// </summary>
    /// <param name="eventType">The event type.</param>
    /// <param name="target">
    /// The target state. A name is looked up among this state's siblings, then among its ancestors' siblings (the
    /// nearest wins, so a top-level state is reachable from anywhere unless a closer state has the same name);
    /// <c>a.b</c> names the child <c>b</c> of the state so found; <c>.b</c> names the child <c>b</c> of this state.
    /// The state itself runs only the transition's actions (no exit, no entry), as in XState v5; call
    /// <see cref="ArvoTransitionBuilder{TContext}.Reenter"/> in <paramref name="configure"/> to exit and re-enter it.
    /// </param>
    /// <param name="configure">Sets the guard and the transition actions; null for none.</param>
    /// <returns>This builder.</returns>
    public TSelf On(string eventType, string target, Action<ArvoTransitionBuilder<TContext>>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentException.ThrowIfNullOrEmpty(target);
        return AddTransition(MachineTransitionKind.Event, eventType, target, configure);
    }

    /// <summary>Adds a targetless alternative for <paramref name="eventType"/>: only its actions run (no exit, no entry; the active child of a compound state stays).</summary>
    /// <param name="eventType">The event type (see <see cref="On(string, string, Action{ArvoTransitionBuilder{TContext}})"/>).</param>
    /// <param name="configure">Sets the guard and the actions.</param>
    /// <returns>This builder.</returns>
    public TSelf On(string eventType, Action<ArvoTransitionBuilder<TContext>> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentNullException.ThrowIfNull(configure);
        return AddTransition(MachineTransitionKind.Event, eventType, null, configure);
    }

    /// <summary>Adds an eventless alternative, evaluated after every entry and every delivered event until none is enabled.</summary>
    /// <param name="target">The target state (resolved like the target of <see cref="On(string, string, Action{ArvoTransitionBuilder{TContext}})"/>).</param>
    /// <param name="configure">Sets the guard and the transition actions; null for none.</param>
    /// <returns>This builder.</returns>
    public TSelf Always(string target, Action<ArvoTransitionBuilder<TContext>>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        return AddTransition(MachineTransitionKind.Always, null, target, configure);
    }

    /// <summary>
    /// Adds a targetless eventless alternative. Its guard must eventually fail (e.g. because its actions change the
    /// context), otherwise the machine hits the microstep bound.
    /// </summary>
    /// <param name="configure">Sets the guard and the actions.</param>
    /// <returns>This builder.</returns>
    public TSelf Always(Action<ArvoTransitionBuilder<TContext>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddTransition(MachineTransitionKind.Always, null, null, configure);
    }

    private protected TSelf AddTransition(MachineTransitionKind kind, string? eventType, string? target, Action<ArvoTransitionBuilder<TContext>>? configure)
    {
        var builder = new ArvoTransitionBuilder<TContext>();
        configure?.Invoke(builder);
        var spec = new TransitionSpec<TContext>
        {
            Kind = kind,
            EventType = eventType,
            Target = target,
            Reenter = builder.ReenterValue,
            GuardName = builder.GuardName,
            GuardUser = builder.GuardUser,
            Guard = builder.GuardFunction,
        };
        spec.Actions.AddRange(builder.Actions);
        Spec.Transitions.Add(spec);
        return Self;
    }

    internal static List<MachineAction<TContext>> BuildActions(Action<ArvoActionBuilder<TContext>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ArvoActionBuilder<TContext>();
        configure(builder);
        return builder.Actions;
    }
}
