using System.Collections.Frozen;
using System.Collections.ObjectModel;
using Arvo.Contracts;
using Arvo.Machines;

namespace Arvo;

/// <summary>
/// An immutable, versioned statechart bound to one orchestrator contract version (<see cref="Self"/>) and a set of
/// service contract versions (reference <c>ArvoMachine</c>, orchestrator.md 2). Thread-safe: build it once and share it;
/// every execution runs its own short-lived engine over a snapshot (<see cref="IMachineExecutionEngine"/>).
/// </summary>
/// <remarks>Create machines with <see cref="Setup{TContext}"/> and <see cref="ArvoMachineSetup{TContext}.CreateMachine"/>.</remarks>
public abstract class ArvoMachine
{
    private protected ArvoMachine(string id, VersionedArvoContract self, ReadOnlyDictionary<string, VersionedArvoContract> services)
    {
        Id = id;
        Self = self;
        Services = services;
        Source = self.Accepts.Type;
        ServiceList = [.. services.Values];
        var byAcceptType = new Dictionary<string, VersionedArvoContract>(ServiceList.Length, StringComparer.Ordinal);
        foreach (var service in ServiceList)
        {
            byAcceptType.TryAdd(service.Accepts.Type, service);
        }

        ServicesByAcceptType = byAcceptType.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The machine id (e.g. <c>counter</c>).</summary>
    public string Id { get; }

    /// <summary>The machine version: the self contract version.</summary>
    public string Version => Self.Version;

    /// <summary>The init event type the machine starts on, <c>arvo.orc.&lt;name&gt;</c> (the self contract's accepted type).</summary>
    public string Source { get; }

    /// <summary>The self orchestrator contract version.</summary>
    public VersionedArvoContract Self { get; }

    /// <summary>The service contract versions by name, in registration order.</summary>
    public IReadOnlyDictionary<string, VersionedArvoContract> Services { get; }

    /// <summary>
    /// True iff the machine has a parallel state or a service contract declares more than one emit type (system
    /// errors not counted) — the cases where two events of one workflow may race (orchestrator.md 2.2).
    /// </summary>
    public bool RequiresResourceLocking => HasParallelStates || ServiceList.Any(s => s.EmitList.Count > 1);

    /// <summary>True when the machine declares a parallel state.</summary>
    public abstract bool HasParallelStates { get; }

    /// <summary>The bound on eventless microsteps per execution.</summary>
    public abstract int MaxMicrosteps { get; }

    /// <summary>
    /// The machine's declaration as JSON, functions omitted: id, version, initial state, and every state with its type
    /// (final, parallel), entry and exit action names, transitions (event type, target, guard name, action names),
    /// eventless and <c>onDone</c> transitions and parallel regions, keys in a fixed order and states, events and
    /// transitions in declaration order. Written once when the machine is built; an orchestrator stores it in every
    /// record it writes (<see cref="Memory.MachineMemoryStateRecord.MachineDefinition"/>), so a record says which machine
    /// shape produced it (the reference stores its XState config there).
    /// </summary>
    /// <example><c>{"id":"counter","version":"1.0.0","initial":"route","states":{"route":{"always":[{"target":"increment","guard":"isIncrement"}]},…}}</c></example>
    public abstract string Definition { get; }

    /// <summary>The service contract versions by their accepted event type (the orchestrator's routing table, orchestrator.md 8).</summary>
    internal FrozenDictionary<string, VersionedArvoContract> ServicesByAcceptType { get; }

    private VersionedArvoContract[] ServiceList { get; }

    /// <summary>Creates the setup machines of context <typeparamref name="TContext"/> are declared in (reference <c>setupArvoMachine</c>).</summary>
    /// <param name="self">A version of an orchestrator contract.</param>
    /// <typeparam name="TContext">The machine context (see <see cref="ArvoMachineBuilder{TContext}"/>).</typeparam>
    /// <returns>The setup.</returns>
    /// <exception cref="ConfigViolation"><paramref name="self"/> is not an orchestrator contract version.</exception>
    public static ArvoMachineSetup<TContext> Setup<TContext>(VersionedArvoContract self)
        where TContext : notnull => new(self);

    /// <summary>
    /// Matches the event to the self or a service contract and validates its data (contracts.md 6.2, reference
    /// <c>validateInput</c>).
    /// </summary>
    /// <param name="arvoEvent">The event.</param>
    /// <returns>The result (<c>VALID</c>, <c>INVALID</c>, <c>INVALID_DATA</c> or <c>CONTRACT_UNRESOLVED</c>).</returns>
    public ArvoInputValidationResult ValidateInput(ArvoEvent arvoEvent)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        return ArvoContractResolver.ValidateInput(arvoEvent.Id, arvoEvent.Type, arvoEvent.DataSchema, arvoEvent.Data, Self, ServiceList);
    }

    /// <summary>
    /// The machine as a Mermaid <c>stateDiagram-v2</c>: transitions labelled with the event type (<c>always</c> for
    /// eventless ones, <c>onDone</c> for completion of a compound or parallel state), the guard name in brackets and
    /// <c>(internal)</c> / <c>(reenter)</c> for targetless and re-entering transitions; final states lead to <c>[*]</c>;
    /// compound states are composite states; parallel regions are separated by <c>--</c>. Each transition is drawn in
    /// the innermost compound state or region holding both ends; a state reusing another state's name is drawn with
    /// its path as id.
    /// </summary>
    /// <returns>The diagram text.</returns>
    public abstract string ToMermaid();

    /// <summary>The machine as a Graphviz DOT digraph (same labels as <see cref="ToMermaid"/>; compound states and regions are clusters).</summary>
    /// <returns>The DOT text.</returns>
    public abstract string ToDot();

    /// <summary>Runs one execution (the engine adds the init check and the span).</summary>
    internal abstract MachineRunResult Run(ArvoMachineSnapshot? snapshot, ArvoEvent arvoEvent);

    /// <inheritdoc />
    public override string ToString() => $"ArvoMachine(id={Id}, source={Source}, version={Version})";
}
