namespace Arvo.Machines;

/// <summary>
/// Configures a state: atomic, compound once it declares child states (see
/// <see cref="ArvoCompoundStateNodeBuilder{TContext, TSelf}"/> for the rules), or final (entry and exit actions only).
/// </summary>
/// <typeparam name="TContext">The machine context.</typeparam>
public sealed class ArvoStateBuilder<TContext> : ArvoCompoundStateNodeBuilder<TContext, ArvoStateBuilder<TContext>>
    where TContext : notnull
{
    internal ArvoStateBuilder(StateSpec<TContext> spec)
        : base(spec)
    {
    }
}
