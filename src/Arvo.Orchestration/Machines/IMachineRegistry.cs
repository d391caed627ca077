using Arvo.Handlers;
using Arvo.Subjects;

namespace Arvo.Machines;

/// <summary>Picks the machine for an event (orchestrator.md 5).</summary>
public interface IMachineRegistry
{
    /// <summary>The registered machines, in registration order (the first is the orchestrator's representative).</summary>
    IReadOnlyList<ArvoMachine> Machines { get; }

    /// <summary>
    /// The first machine whose <see cref="ArvoMachine.Source"/> equals the subject's orchestrator name and whose
    /// <see cref="ArvoMachine.Version"/> equals the subject's orchestrator version (the event's dataschema is not used).
    /// </summary>
    /// <param name="arvoEvent">The event (the span's parent may come from it).</param>
    /// <param name="subject">
    /// The event's subject, already parsed by the caller (the orchestrator parses it once per event and passes it on;
    /// elsewhere use <see cref="ArvoOrchestrationSubject.Parse"/>).
    /// </param>
    /// <param name="options">Where the span's parent comes from; null means <see cref="ArvoExecutionOptions.Default"/>.</param>
    /// <returns>The machine, or null (also for the wildcard version <c>0.0.0</c>).</returns>
    ArvoMachine? Resolve(ArvoEvent arvoEvent, ArvoOrchestrationSubjectContent subject, ArvoExecutionOptions? options = null);
}
