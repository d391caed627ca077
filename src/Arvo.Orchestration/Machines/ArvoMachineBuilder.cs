using System.Text.Json;
using Arvo.Events;

namespace Arvo.Machines;

/// <summary>
/// Declares one machine version (reference <c>createMachine</c>): context factory, initial state, states, output and
/// machine-level settings. Used through <see cref="ArvoMachineSetup{TContext}.CreateMachine"/>; every check runs when
/// the machine is built.
/// </summary>
/// <remarks>
/// XState's <c>invoke</c>, <c>after</c> (delayed transitions), <c>actors</c> and <c>delays</c> have no counterpart here:
/// they cannot be expressed, which is the C# form of the reference's <c>'invoke' not supported</c> /
/// <c>'after' not supported</c> / <c>'actor' not supported</c> / <c>'delays' not supported</c> checks.
/// States nest as in XState v5: a state that declares child states is compound (see
/// <see cref="ArvoCompoundStateNodeBuilder{TContext, TSelf}"/>), a parallel state has regions, and both can contain
/// each other.
/// </remarks>
/// <typeparam name="TContext">
/// The machine context, persisted in every snapshot. An immutable record updated with <c>with { … }</c> is ideal. It must
/// round-trip through System.Text.Json with <see cref="ContextSerializerOptions"/> (default
/// <see cref="ArvoJson.DefaultSerializerOptions"/>: camelCase names, enums as strings, case-insensitive reading): public properties with
/// <c>init</c>/<c>set</c> accessors or a constructor whose parameters match them; JSON-friendly values only (numbers,
/// strings, booleans, lists, dictionaries with string keys, nested records, <see cref="JsonElement"/>); no delegates,
/// streams, tasks or object cycles. Its JSON form must be an object without the reserved key <c>arvo$$</c>; a
/// violation fails the execution. Keep the shape compatible across machine versions that resume each other's snapshots.
/// </typeparam>
public sealed class ArvoMachineBuilder<TContext>
    where TContext : notnull
{
    /// <summary>The default bound on eventless microsteps per execution (1,000).</summary>
    public const int DefaultMaxMicrosteps = 1000;

    internal ArvoMachineBuilder()
    {
    }

    internal string? VersionValue { get; private set; }

    internal Func<ArvoEvent, TContext>? ContextFactory { get; private set; }

    internal string? InitialState { get; private set; }

    internal List<StateSpec<TContext>> States { get; } = [];

    internal Func<TContext, object?>? OutputFunction { get; private set; }

    internal JsonSerializerOptions SerializerOptions { get; private set; } = ArvoJson.DefaultSerializerOptions;

    internal int MaxMicrostepsValue { get; private set; } = DefaultMaxMicrosteps;

    /// <summary>Checks the machine version: it must equal the self contract version (the machine's version in any case).</summary>
    /// <param name="version">The expected version, e.g. <c>0.0.1</c>.</param>
    /// <returns>This builder.</returns>
    public ArvoMachineBuilder<TContext> Version(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        VersionValue = version;
        return this;
    }

    /// <summary>Creates the initial context from the init event (the whole event, README D7: data is <c>input.Data</c>).</summary>
    /// <param name="factory">The pure factory, e.g. <c>input =&gt; input.GetData&lt;Ctx&gt;()! with { Errors = [] }</c>.</param>
    /// <returns>This builder.</returns>
    public ArvoMachineBuilder<TContext> Context(Func<ArvoEvent, TContext> factory)
    {
        ContextFactory = factory ?? throw new ArgumentNullException(nameof(factory));
        return this;
    }

    /// <summary>Sets the state the machine starts in (a top-level state).</summary>
    /// <param name="state">The state name.</param>
    /// <returns>This builder.</returns>
    public ArvoMachineBuilder<TContext> Initial(string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        InitialState = state;
        return this;
    }

    /// <summary>Declares a top-level state: atomic, or compound when it declares child states.</summary>
    /// <param name="name">The state name (unique among the top-level states; no <c>.</c>).</param>
    /// <param name="configure">Declares actions, transitions and child states; null for none.</param>
    /// <returns>This builder.</returns>
    public ArvoMachineBuilder<TContext> State(string name, Action<ArvoStateBuilder<TContext>>? configure = null)
    {
        States.Add(DeclareState(name, MachineStateKind.Atomic, configure));
        return this;
    }

    /// <summary>
    /// Declares a top-level final state: entering it finishes the machine (status <c>done</c>, output computed). As in
    /// XState v5, its exit actions run right after its entry actions, when the machine stops.
    /// </summary>
    /// <param name="name">The state name (unique among the top-level states; no <c>.</c>).</param>
    /// <param name="configure">Declares entry and exit actions; null for none.</param>
    /// <returns>This builder.</returns>
    public ArvoMachineBuilder<TContext> Final(string name, Action<ArvoStateBuilder<TContext>>? configure = null)
    {
        States.Add(DeclareState(name, MachineStateKind.Final, configure));
        return this;
    }

    /// <summary>Declares a top-level parallel state (see <see cref="ArvoParallelStateBuilder{TContext}"/> for its semantics).</summary>
    /// <param name="name">The state name (unique among the top-level states).</param>
    /// <param name="configure">Declares regions, actions and transitions.</param>
    /// <returns>This builder.</returns>
    public ArvoMachineBuilder<TContext> Parallel(string name, Action<ArvoParallelStateBuilder<TContext>> configure)
    {
        States.Add(DeclareParallel(name, configure));
        return this;
    }

    /// <summary>
    /// Computes the completion payload from the context when the machine finishes. The value must serialize to a JSON
    /// object; the keys <c>__id</c>, <c>__executionunits</c> and <c>__domain</c> steer the completion event
    /// (orchestrator.md 2.5). Without an output function the payload is <c>{}</c>.
    /// </summary>
    /// <param name="output">The pure function.</param>
    /// <returns>This builder.</returns>
    public ArvoMachineBuilder<TContext> Output(Func<TContext, object?> output)
    {
        OutputFunction = output ?? throw new ArgumentNullException(nameof(output));
        return this;
    }

    /// <summary>
    /// Sets the options the context (and the output) is serialized with. Default <see cref="ArvoJson.DefaultSerializerOptions"/>,
    /// the options <see cref="ArvoSchema.FromType{T}"/> generates schemas for, so an output record fits a generated completion schema.
    /// </summary>
    /// <param name="options">The options; keep them stable across versions that share snapshots.</param>
    /// <returns>This builder.</returns>
    public ArvoMachineBuilder<TContext> ContextSerializerOptions(JsonSerializerOptions options)
    {
        SerializerOptions = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>
    /// Sets the bound on eventless microsteps per execution. Default <see cref="DefaultMaxMicrosteps"/>. Exceeding it
    /// throws an <see cref="InvalidOperationException"/> naming the states in the loop.
    /// </summary>
    /// <param name="maxMicrosteps">A positive bound.</param>
    /// <returns>This builder.</returns>
    public ArvoMachineBuilder<TContext> MaxMicrosteps(int maxMicrosteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMicrosteps);
        MaxMicrostepsValue = maxMicrosteps;
        return this;
    }

    internal static StateSpec<TContext> DeclareState(string name, MachineStateKind kind, Action<ArvoStateBuilder<TContext>>? configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var spec = new StateSpec<TContext> { Name = name, Kind = kind };
        configure?.Invoke(new ArvoStateBuilder<TContext>(spec));
        return spec;
    }

    internal static StateSpec<TContext> DeclareParallel(string name, Action<ArvoParallelStateBuilder<TContext>> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        var spec = new StateSpec<TContext> { Name = name, Kind = MachineStateKind.Parallel };
        configure(new ArvoParallelStateBuilder<TContext>(spec));
        return spec;
    }
}
