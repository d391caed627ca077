namespace Arvo.Machines;

/// <summary>
/// One transition alternative: an optional guard and the actions run between the exit actions of the states it leaves
/// and the entry actions of the states it enters. Alternatives declared for the same event are tried in declaration
/// order and the first whose guard passes is taken (no guard passes).
/// </summary>
/// <remarks>
/// As in XState v5, a transition whose target is its own source state does not leave it: only the transition's actions
/// run (for a compound source, its active children are exited and its initial child is entered again). Call
/// <see cref="Reenter"/> to exit and re-enter the source instead.
/// </remarks>
/// <typeparam name="TContext">The machine context.</typeparam>
public sealed class ArvoTransitionBuilder<TContext> : ArvoActionListBuilder<TContext, ArvoTransitionBuilder<TContext>>
    where TContext : notnull
{
    internal ArvoTransitionBuilder()
    {
    }

    internal string? GuardName { get; private set; }

    internal Delegate? GuardUser { get; private set; }

    internal Func<TContext, ArvoEvent, bool>? GuardFunction { get; private set; }

    internal bool ReenterValue { get; private set; }

    /// <summary>Guards the alternative with the guard registered under <paramref name="name"/>.</summary>
    /// <param name="name">A guard name from <see cref="ArvoMachineSetup{TContext}.Guard(string, Func{TContext, bool})"/> (unknown names fail when the machine is built).</param>
    /// <returns>This builder.</returns>
    public ArvoTransitionBuilder<TContext> Guard(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        GuardName = name;
        GuardUser = null;
        GuardFunction = null;
        return this;
    }

    /// <summary>Guards the alternative with an inline predicate over the context.</summary>
    /// <param name="guard">The pure predicate.</param>
    /// <param name="description">The name shown in diagrams; default <c>guard</c>.</param>
    /// <returns>This builder.</returns>
    public ArvoTransitionBuilder<TContext> Guard(Func<TContext, bool> guard, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return SetInline((context, _) => guard(context), guard, description);
    }

    /// <summary>Guards the alternative with an inline predicate over the context and the consumed event.</summary>
    /// <param name="guard">The pure predicate.</param>
    /// <param name="description">The name shown in diagrams; default <c>guard</c>.</param>
    /// <returns>This builder.</returns>
    public ArvoTransitionBuilder<TContext> Guard(Func<TContext, ArvoEvent, bool> guard, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return SetInline(guard, guard, description);
    }

    /// <summary>
    /// Makes the transition exit and re-enter its source state when the target is that state or one of its descendants
    /// (XState's <c>reenter: true</c>): the source's exit actions run, then the transition's actions, then its entry
    /// actions (and, for a compound source, its initial child's). Without it a self-targeting transition runs only its
    /// actions. Only transitions with a target can re-enter.
    /// </summary>
    /// <returns>This builder.</returns>
    public ArvoTransitionBuilder<TContext> Reenter()
    {
        ReenterValue = true;
        return this;
    }

    private ArvoTransitionBuilder<TContext> SetInline(Func<TContext, ArvoEvent, bool> guard, Delegate user, string? description)
    {
        GuardFunction = guard;
        GuardUser = user;
        GuardName = description ?? "guard";
        return this;
    }
}
