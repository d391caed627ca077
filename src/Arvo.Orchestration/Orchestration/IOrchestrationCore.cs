using System.Diagnostics;
using System.Text.Json;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Subjects;

namespace Arvo.Orchestration;

/// <summary>
/// The part of an orchestration that differs between <see cref="ArvoOrchestrator"/> (a state machine) and the
/// imperative resumable: its record type and the core step (orchestrator.md 7, steps 10–12: pick the logic for the
/// subject's version, validate the event, run it). Everything else is <see cref="OrchestrationPipeline{TRecord}"/>;
/// the facts it needs about a stored record come from the record (<see cref="IOrchestrationRecord"/>).
/// </summary>
/// <typeparam name="TRecord">The record kept in memory per workflow.</typeparam>
internal interface IOrchestrationCore<TRecord>
    where TRecord : class, IOrchestrationRecord
{
    /// <summary>The failure record persisted after a non-violation error (catch block).</summary>
    TRecord CreateFailureRecord(string subject, Exception error);

    /// <summary>Steps 10–12: resolve the logic, validate the event (violations are thrown), run it.</summary>
    ValueTask<OrchestrationCoreResult<TRecord>> ExecuteAsync(OrchestrationCoreInput<TRecord> input, CancellationToken cancellationToken);
}

/// <summary>What the core step receives.</summary>
/// <param name="Event">The consumed event.</param>
/// <param name="Subject">Its parsed subject (addressed to this orchestration).</param>
/// <param name="Record">The normal record read in step 5, or null for a new workflow.</param>
/// <param name="ParentSubject">The workflow's parent subject after step 9.</param>
/// <param name="ChildSpanOptions">Options for spans opened by the core (children of the orchestration span).</param>
/// <param name="Activity">The orchestration span, or null when tracing is off.</param>
/// <typeparam name="TRecord">The record kept in memory per workflow.</typeparam>
internal readonly record struct OrchestrationCoreInput<TRecord>(
    ArvoEvent Event,
    ArvoOrchestrationSubjectContent Subject,
    TRecord? Record,
    string? ParentSubject,
    ArvoExecutionOptions ChildSpanOptions,
    Activity? Activity)
    where TRecord : class, IOrchestrationRecord;

/// <summary>What the pipeline needs to build the new record (step 16).</summary>
/// <param name="Consumed">The consumed event.</param>
/// <param name="InitEventId">The stored init event id, else the consumed event's id.</param>
/// <param name="ParentSubject">The workflow's parent subject.</param>
/// <param name="Emitted">The events emitted by this execution (all domains, in order).</param>
internal readonly record struct OrchestrationRecordInput(ArvoEvent Consumed, string InitEventId, string? ParentSubject, IReadOnlyList<ArvoEvent> Emitted);

/// <summary>The outcome of the core step: raw events, completion payload and the record factory.</summary>
/// <typeparam name="TRecord">The record kept in memory per workflow.</typeparam>
internal abstract class OrchestrationCoreResult<TRecord>
    where TRecord : class, IOrchestrationRecord
{
    /// <summary>The self contract version: completion schema, <c>dataschema</c> and domain resolution.</summary>
    public required VersionedArvoContract Self { get; init; }

    /// <summary>The service contract versions by accepted event type (raw events of these types are validated and routed to them).</summary>
    public required IReadOnlyDictionary<string, VersionedArvoContract> Services { get; init; }

    /// <summary>The raw events as the machine or the handler returned them, in emission order (built into events by <see cref="EmittedEventBuilder"/>).</summary>
    public required IReadOnlyList<ArvoMachineEmit> Events { get; init; }

    /// <summary>
    /// The completion payload, or null: the machine's output (a <see cref="JsonElement"/>) or the value a resumable
    /// handler returned (serialized by <see cref="EmittedEventBuilder"/>). The reserved <c>__id</c>,
    /// <c>__executionunits</c> and <c>__domain</c> keys steer the completion event.
    /// </summary>
    public object? Output { get; init; }

    /// <summary>The workflow status after this execution (<c>active</c>, <c>done</c>, …), set as <c>arvo.orchestration.status</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Builds the record persisted in step 17.</summary>
    public abstract TRecord CreateRecord(in OrchestrationRecordInput input);
}
