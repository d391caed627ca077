namespace Arvo.Machines;

/// <summary>Declares the states of one region of a parallel state (atomic and final states; no nesting).</summary>
/// <typeparam name="TContext">The machine context.</typeparam>
public sealed class ArvoRegionBuilder<TContext>
    where TContext : notnull
{
    private readonly RegionSpec<TContext> _region;

    internal ArvoRegionBuilder(RegionSpec<TContext> region)
    {
        _region = region;
    }

    /// <summary>Sets the state the region starts in.</summary>
    /// <param name="state">A state of this region.</param>
    /// <returns>This builder.</returns>
    public ArvoRegionBuilder<TContext> Initial(string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        _region.Initial = state;
        return this;
    }

    /// <summary>Declares an atomic state of the region.</summary>
    /// <param name="name">The state name (unique within the machine).</param>
    /// <param name="configure">Declares actions and transitions; null for none.</param>
    /// <returns>This builder.</returns>
    public ArvoRegionBuilder<TContext> State(string name, Action<ArvoStateBuilder<TContext>>? configure = null)
    {
        _region.States.Add(ArvoMachineBuilder<TContext>.DeclareState(name, MachineStateKind.Atomic, configure));
        return this;
    }

    /// <summary>Declares a final state of the region; the region is done while it is active.</summary>
    /// <param name="name">The state name (unique within the machine).</param>
    /// <param name="configure">Declares entry and exit actions; null for none.</param>
    /// <returns>This builder.</returns>
    public ArvoRegionBuilder<TContext> Final(string name, Action<ArvoStateBuilder<TContext>>? configure = null)
    {
        _region.States.Add(ArvoMachineBuilder<TContext>.DeclareState(name, MachineStateKind.Final, configure));
        return this;
    }
}
