namespace Arvo.Machines;

/// <summary>
/// Configures a parallel state: orthogonal regions that are all active while the state is, plus the state's own
/// actions and transitions.
/// </summary>
/// <remarks>
/// Semantics (XState v5, document order everywhere):
/// <list type="bullet">
/// <item>Entering: the parallel state's entry actions, then each region in declaration order, each fully (the region's
/// entry actions, then its initial state's, and so on) before the next.</item>
/// <item>An event is offered to every region: each region selects its deepest enabled alternative (all guards see the
/// same context); only when no region takes a transition are the parallel state's own alternatives tried. The
/// selected transitions run as one step: every exit (innermost first, later regions first), then every transition's
/// actions in region order, then every entry.</item>
/// <item>Settling: the eventless alternatives of every region are selected together in the same way; once every region
/// is in a final state, the <see cref="OnDone(string, Action{ArvoTransitionBuilder{TContext}})"/> alternatives are tried.</item>
/// <item>Leaving: the regions are exited in reverse declaration order (each from its innermost active state up to the
/// region), then the parallel state's exit actions run.</item>
/// </list>
/// A transition in a region may target a state outside the parallel state (which leaves every region) or a state of
/// another region (which exits and re-enters every region). A machine with a parallel state always requires resource
/// locking.
/// </remarks>
public sealed class ArvoParallelStateBuilder<TContext> : ArvoStateNodeBuilder<TContext, ArvoParallelStateBuilder<TContext>>
    where TContext : notnull
{
    internal ArvoParallelStateBuilder(StateSpec<TContext> spec)
        : base(spec)
    {
    }

    /// <summary>Adds an orthogonal region.</summary>
    /// <param name="name">The region name (unique among the regions of this state; no <c>.</c>).</param>
    /// <param name="configure">Declares the region's initial state, states, actions and transitions.</param>
    /// <returns>This builder.</returns>
    public ArvoParallelStateBuilder<TContext> Region(string name, Action<ArvoRegionBuilder<TContext>> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        var region = new StateSpec<TContext> { Name = name, Kind = MachineStateKind.Atomic, IsRegion = true };
        configure(new ArvoRegionBuilder<TContext>(region));
        Spec.Children.Add(region);
        return this;
    }

    /// <summary>
    /// Adds an alternative taken once every region is in a final state (XState's <c>onDone</c>; in the same execution,
    /// after the transition that made the last region final). Alternatives are tried in declaration order.
    /// </summary>
    /// <param name="target">The target state (resolved like the target of <see cref="ArvoStateNodeBuilder{TContext, TSelf}.On(string, string, Action{ArvoTransitionBuilder{TContext}})"/>).</param>
    /// <param name="configure">Sets the guard and the transition actions; null for none.</param>
    /// <returns>This builder.</returns>
    public ArvoParallelStateBuilder<TContext> OnDone(string target, Action<ArvoTransitionBuilder<TContext>>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        return AddTransition(MachineTransitionKind.Done, null, target, configure);
    }

    /// <summary>Adds a targetless alternative taken once every region is in a final state: only its actions run.</summary>
    /// <param name="configure">Sets the guard and the actions.</param>
    /// <returns>This builder.</returns>
    public ArvoParallelStateBuilder<TContext> OnDone(Action<ArvoTransitionBuilder<TContext>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddTransition(MachineTransitionKind.Done, null, null, configure);
    }
}
