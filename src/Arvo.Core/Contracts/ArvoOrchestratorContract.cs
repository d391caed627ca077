using Arvo.Contracts;

namespace Arvo;

/// <summary>
/// The contract of an orchestrator named <see cref="Name"/>: it accepts <c>arvo.orc.&lt;name&gt;</c> (init)
/// and emits <c>arvo.orc.&lt;name&gt;.done</c> (completion); its system error is
/// <c>sys.arvo.orc.&lt;name&gt;.error</c>. Create one with <see cref="ArvoContract.CreateOrchestrator"/>.
/// </summary>
/// <remarks>
/// An orchestrator contract is an <see cref="ArvoContract"/>, so it can be used wherever a contract is
/// expected (e.g. as a service of a parent orchestrator). Its metadata carries <c>contractType:
/// "ArvoOrchestratorContract"</c>, <c>rootType</c>, <c>initEventType</c> and <c>completeEventType</c>, as in the
/// reference; in C# prefer <see cref="ArvoContract.IsOrchestrator"/> and the typed properties below.
/// Every init schema requires <c>parentSubject$$</c> (<see cref="ParentSubjectProperty"/>).
/// </remarks>
public sealed class ArvoOrchestratorContract : ArvoContract
{
    /// <summary>The init data property naming the parent orchestration's subject (null for a root orchestration).</summary>
    public const string ParentSubjectProperty = "parentSubject$$";

    internal ArvoOrchestratorContract(string name, ContractDefinition definition)
        : base(definition)
    {
        Name = name;
        CompleteEventType = ArvoOrchestratorEventTypes.Complete(name);
    }

    /// <summary>The orchestrator name, e.g. <c>test.contract</c> (metadata <c>rootType</c>).</summary>
    public string Name { get; }

    /// <summary>The init event type, <c>arvo.orc.&lt;name&gt;</c> (equal to <see cref="ArvoContract.Type"/>).</summary>
    public string InitEventType => Type;

    /// <summary>The completion event type, <c>arvo.orc.&lt;name&gt;.done</c>.</summary>
    public string CompleteEventType { get; }
}
