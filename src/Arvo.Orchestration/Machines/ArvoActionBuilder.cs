namespace Arvo.Machines;

/// <summary>An action list: entry and exit actions of a state, or the body of a named action.</summary>
/// <typeparam name="TContext">The machine context.</typeparam>
public sealed class ArvoActionBuilder<TContext> : ArvoActionListBuilder<TContext, ArvoActionBuilder<TContext>>
    where TContext : notnull
{
    internal ArvoActionBuilder()
    {
    }
}
