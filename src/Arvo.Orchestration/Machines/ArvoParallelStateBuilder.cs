namespace Arvo.Machines;

/// <summary>
/// Configures a parallel state: orthogonal regions that are all active while the state is, plus the state's own
/// actions and transitions.
/// </summary>
/// <remarks>
/// Semantics (deterministic, declaration order everywhere):
/// <list type="bullet">
/// <item>Entering: the parallel state's entry actions, then each region's initial state entry actions, region by region.</item>
/// <item>An event is offered to every region: each region selects its first enabled alternative (all guards see the
/// same context), then the selected transitions run region by region. Only when no region takes a transition are the
/// parallel state's own alternatives tried.</item>
/// <item>Settling: one eventless transition per microstep, the first region with an enabled <c>always</c> first, then
/// the parallel state's own <c>always</c> list, then <see cref="OnDone"/> once every region is in a final state.</item>
/// <item>Leaving: each region's active state exit actions, region by region, then the parallel state's exit actions.</item>
/// </list>
/// Region transitions must target states of the same region; leave the parallel state with its own transitions
/// or <see cref="OnDone"/>. A machine with a parallel state always requires resource locking.
/// </remarks>
/// <typeparam name="TContext">The machine context.</typeparam>
public sealed class ArvoParallelStateBuilder<TContext> : ArvoStateNodeBuilder<TContext, ArvoParallelStateBuilder<TContext>>
    where TContext : notnull
{
    internal ArvoParallelStateBuilder(StateSpec<TContext> spec)
        : base(spec)
    {
    }

    /// <summary>Adds an orthogonal region.</summary>
    /// <param name="name">The region name (unique within the machine).</param>
    /// <param name="configure">Declares the region's initial state and states.</param>
    /// <returns>This builder.</returns>
    public ArvoParallelStateBuilder<TContext> Region(string name, Action<ArvoRegionBuilder<TContext>> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        var region = new RegionSpec<TContext> { Name = name };
        configure(new ArvoRegionBuilder<TContext>(region));
        Spec.Regions.Add(region);
        return this;
    }

    /// <summary>Adds an alternative taken (while settling) once every region is in a final state.</summary>
    /// <param name="target">The target state (a top-level state).</param>
    /// <param name="configure">Sets the guard and the transition actions; null for none.</param>
    /// <returns>This builder.</returns>
    public ArvoParallelStateBuilder<TContext> OnDone(string target, Action<ArvoTransitionBuilder<TContext>>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        return AddTransition(MachineTransitionKind.Done, null, target, configure);
    }
}
