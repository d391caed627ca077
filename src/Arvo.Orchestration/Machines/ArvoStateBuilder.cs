namespace Arvo.Machines;

/// <summary>Configures an atomic state (or a final state, which may only have entry and exit actions).</summary>
/// <typeparam name="TContext">The machine context.</typeparam>
public sealed class ArvoStateBuilder<TContext> : ArvoStateNodeBuilder<TContext, ArvoStateBuilder<TContext>>
    where TContext : notnull
{
    internal ArvoStateBuilder(StateSpec<TContext> spec)
        : base(spec)
    {
    }
}
