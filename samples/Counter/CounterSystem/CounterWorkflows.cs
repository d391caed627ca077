using Arvo.Factories;

namespace Arvo.Samples.Counter;

/// <summary>Builds the init events that start counter workflows, and reads their completions.</summary>
public static class CounterWorkflows
{
    /// <summary>The initiator of the vectors' workflows.</summary>
    public const string DefaultInitiator = "com.test.service";

    private static readonly ArvoOrchestratorEventFactory Factory = new(CounterContracts.Orchestrator.Version(CounterContracts.Version));

    /// <summary>
    /// Creates the <c>arvo.orc.counter</c> init event of a new root workflow (fresh subject, <c>parentSubject$$</c> null),
    /// shaped like the init events of <c>vectors/events.json</c>.
    /// </summary>
    /// <param name="type"><c>increment</c> or <c>decrement</c>.</param>
    /// <param name="delta">The amount.</param>
    /// <param name="initiator">The event's source, to whom the completion is addressed.</param>
    /// <returns>The validated init event.</returns>
    /// <exception cref="ContractViolation">The data does not satisfy the init schema (e.g. an unknown type).</exception>
    public static ArvoEvent CreateInit(string type, double delta, string initiator = DefaultInitiator)
    {
        var data = new Dictionary<string, object?>(3, StringComparer.Ordinal)
        {
            [ArvoOrchestratorContract.ParentSubjectProperty] = null,
            ["delta"] = delta,
            ["type"] = type,
        };
        return Factory.Init(new ArvoEventEnvelope { Source = initiator, To = CounterContracts.OrchestratorType }, data);
    }

    /// <summary>Whether <paramref name="arvoEvent"/> ends a counter workflow: its completion or the orchestrator's system error.</summary>
    /// <param name="arvoEvent">Any event.</param>
    public static bool IsTerminal(ArvoEvent arvoEvent)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        return arvoEvent.Type is CounterContracts.CompleteType or CounterContracts.OrchestratorErrorType;
    }

    /// <summary>The <c>final</c> value of a completion event.</summary>
    /// <param name="completion">An <c>arvo.orc.counter.done</c> event.</param>
    /// <exception cref="ArgumentException">The event is not a completion.</exception>
    public static double GetFinal(ArvoEvent completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Type != CounterContracts.CompleteType)
        {
            throw new ArgumentException($"Expected a {CounterContracts.CompleteType} event but received '{completion.Type}'.", nameof(completion));
        }

        return completion.Data.GetProperty("final").GetDouble();
    }

    /// <summary>A short, readable form of an orchestration subject: the first 8 characters of its execution id.</summary>
    /// <param name="subject">A subject (orchestration subject or not).</param>
    public static string ShortSubject(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return ArvoOrchestrationSubject.TryParse(subject, out var content)
            ? content.Execution.Id[..Math.Min(8, content.Execution.Id.Length)]
            : subject.Length <= 12 ? subject : subject[..12] + "…";
    }
}
