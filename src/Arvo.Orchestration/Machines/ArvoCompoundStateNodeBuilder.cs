namespace Arvo.Machines;

/// <summary>
/// What a state that may have child states declares, in addition to its actions and transitions: its initial child,
/// its child states and its <see cref="OnDone(string, Action{ArvoTransitionBuilder{TContext}})"/> transitions. A state that declares child states is a compound
/// (hierarchical) state, as in XState v5; without children it is an atomic state.
/// </summary>
/// <remarks>
/// The XState v5 rules a compound state follows:
/// <list type="bullet">
/// <item>Entering it runs the entry actions from the outermost to the innermost state, down to its <see cref="Initial"/>
/// child (and that child's initial child, and so on); leaving it runs the exit actions from the innermost to the
/// outermost state. A transition's own actions run after all exits and before all entries.</item>
/// <item>A transition declared on the compound state applies whichever child is active, unless the active child (or a
/// state between them) handles the same event with an enabled alternative: the deepest state wins. Within one state
/// the first enabled guard in declaration order wins; when every alternative of the child is disabled, the parent's
/// alternatives are tried.</item>
/// <item>Entering a <see cref="Final"/> child makes the compound state done: its <see cref="OnDone(string, Action{ArvoTransitionBuilder{TContext}})"/> alternatives are
/// tried in the same execution, after the transition that entered the final child has finished (the final child and
/// the compound state are exited, then the <see cref="OnDone(string, Action{ArvoTransitionBuilder{TContext}})"/> actions run, then the target is entered).</item>
/// <item>A transition whose target is the compound state itself, without <see cref="ArvoTransitionBuilder{TContext}.Reenter"/>,
/// exits its active children and enters its initial child again, but runs neither its own exit nor its own entry
/// actions.</item>
/// </list>
/// Child names are unique among siblings; the same name may be used under different parents. A target names a state
/// relative to the state that declares the transition (see <see cref="ArvoStateNodeBuilder{TContext, TSelf}.On(string, string, Action{ArvoTransitionBuilder{TContext}})"/>).
/// </remarks>
/// <typeparam name="TContext">The machine context.</typeparam>
/// <typeparam name="TSelf">The concrete builder (for fluent chaining).</typeparam>
public abstract class ArvoCompoundStateNodeBuilder<TContext, TSelf> : ArvoStateNodeBuilder<TContext, TSelf>
    where TContext : notnull
    where TSelf : ArvoCompoundStateNodeBuilder<TContext, TSelf>
{
    private protected ArvoCompoundStateNodeBuilder(StateSpec<TContext> spec)
        : base(spec)
    {
    }

    private TSelf Self => (TSelf)this;

    /// <summary>Sets the child state entered when this state is entered (required once the state has children).</summary>
    /// <param name="child">The name of a child state.</param>
    /// <returns>This builder.</returns>
    public TSelf Initial(string child)
    {
        ArgumentException.ThrowIfNullOrEmpty(child);
        Spec.Initial = child;
        return Self;
    }

    /// <summary>Declares a child state (atomic, or compound when it declares children of its own).</summary>
    /// <param name="name">The state name (unique among its siblings; no <c>.</c>).</param>
    /// <param name="configure">Declares actions, transitions and children; null for none.</param>
    /// <returns>This builder.</returns>
    public TSelf State(string name, Action<ArvoStateBuilder<TContext>>? configure = null)
    {
        Spec.Children.Add(ArvoMachineBuilder<TContext>.DeclareState(name, MachineStateKind.Atomic, configure));
        return Self;
    }

    /// <summary>Declares a final child state; entering it makes this state done (see <see cref="OnDone(string, Action{ArvoTransitionBuilder{TContext}})"/>).</summary>
    /// <param name="name">The state name (unique among its siblings; no <c>.</c>).</param>
    /// <param name="configure">Declares entry and exit actions; null for none.</param>
    /// <returns>This builder.</returns>
    public TSelf Final(string name, Action<ArvoStateBuilder<TContext>>? configure = null)
    {
        Spec.Children.Add(ArvoMachineBuilder<TContext>.DeclareState(name, MachineStateKind.Final, configure));
        return Self;
    }

    /// <summary>Declares a parallel child state (see <see cref="ArvoParallelStateBuilder{TContext}"/>).</summary>
    /// <param name="name">The state name (unique among its siblings; no <c>.</c>).</param>
    /// <param name="configure">Declares regions, actions and transitions.</param>
    /// <returns>This builder.</returns>
    public TSelf Parallel(string name, Action<ArvoParallelStateBuilder<TContext>> configure)
    {
        Spec.Children.Add(ArvoMachineBuilder<TContext>.DeclareParallel(name, configure));
        return Self;
    }

    /// <summary>
    /// Adds an alternative taken once a final child of this state is entered (XState's <c>onDone</c>). Alternatives are
    /// tried in declaration order; the first whose guard passes is taken.
    /// </summary>
    /// <param name="target">The target state (resolved like the target of <see cref="ArvoStateNodeBuilder{TContext, TSelf}.On(string, string, Action{ArvoTransitionBuilder{TContext}})"/>).</param>
    /// <param name="configure">Sets the guard and the transition actions; null for none.</param>
    /// <returns>This builder.</returns>
    public TSelf OnDone(string target, Action<ArvoTransitionBuilder<TContext>>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        return AddTransition(MachineTransitionKind.Done, null, target, configure);
    }

    /// <summary>Adds a targetless alternative taken once a final child of this state is entered: only its actions run.</summary>
    /// <param name="configure">Sets the guard and the actions.</param>
    /// <returns>This builder.</returns>
    public TSelf OnDone(Action<ArvoTransitionBuilder<TContext>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddTransition(MachineTransitionKind.Done, null, null, configure);
    }
}
