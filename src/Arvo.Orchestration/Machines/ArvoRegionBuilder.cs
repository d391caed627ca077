namespace Arvo.Machines;

/// <summary>
/// Configures one region of a parallel state: a compound state (XState's child of a parallel state node) with its
/// initial state, its states (atomic, final, compound or parallel), its own entry and exit actions, transitions and
/// <see cref="ArvoCompoundStateNodeBuilder{TContext, TSelf}.OnDone(string, Action{ArvoTransitionBuilder{TContext}})"/>. The region is done while a final child is active.
/// </summary>
/// <typeparam name="TContext">The machine context.</typeparam>
public sealed class ArvoRegionBuilder<TContext> : ArvoCompoundStateNodeBuilder<TContext, ArvoRegionBuilder<TContext>>
    where TContext : notnull
{
    internal ArvoRegionBuilder(StateSpec<TContext> spec)
        : base(spec)
    {
    }
}
