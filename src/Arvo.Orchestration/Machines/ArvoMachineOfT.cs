using System.Collections.ObjectModel;
using Arvo.Machines;

namespace Arvo;

/// <summary>
/// An <see cref="ArvoMachine"/> whose context is <typeparamref name="TContext"/>. Built by
/// <see cref="ArvoMachineSetup{TContext}.CreateMachine"/>, which checks (each failure a <see cref="ConfigViolation"/>
/// naming the machine, the state and the event): the version matches the self contract; a context factory and an
/// initial state exist (for the machine, every compound state and every region); state names are unique among
/// siblings, contain no <c>.</c> and are not <c>enqueueArvoEvent</c>; every target state exists; every event type is a
/// service emit type, a service system error type or <c>*</c>; every statically typed emit is a service's accepted
/// type; named actions and guards exist; no delegate is asynchronous; final states have no transitions and no
/// children; <c>OnDone</c> is declared only on states with children; <c>Reenter()</c> only on targeted transitions.
/// </summary>
/// <typeparam name="TContext">The machine context.</typeparam>
public sealed class ArvoMachine<TContext> : ArvoMachine
    where TContext : notnull
{
    internal ArvoMachine(string id, VersionedArvoContract self, ReadOnlyDictionary<string, VersionedArvoContract> services, MachineModel<TContext> model, string definition)
        : base(id, self, services)
    {
        Model = model;
        Runs = new MachineRunPool<TContext>(model);
        HasParallelStates = model.HasParallel;
        Definition = definition;
    }

    /// <inheritdoc />
    public override string Definition { get; }

    /// <inheritdoc />
    public override bool HasParallelStates { get; }

    /// <inheritdoc />
    public override int MaxMicrosteps => Model.MaxMicrosteps;

    internal MachineModel<TContext> Model { get; }

    /// <summary>The reusable runs of this machine version (Stateless configured once per run, not per execution).</summary>
    internal MachineRunPool<TContext> Runs { get; }

    /// <inheritdoc />
    public override string ToMermaid() => MachineGraph.ToMermaid(Model);

    /// <inheritdoc />
    public override string ToDot() => MachineGraph.ToDot(Model);

    internal override MachineRunResult Run(ArvoMachineSnapshot? snapshot, ArvoEvent arvoEvent)
    {
        var run = Runs.Rent();
        try
        {
            return run.Execute(snapshot, arvoEvent);
        }
        finally
        {
            // Execute has reset the run, also when an action threw.
            Runs.Return(run);
        }
    }
}
