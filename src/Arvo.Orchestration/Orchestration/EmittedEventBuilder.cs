using System.Buffers;
using System.Text.Json;
using Arvo.Domains;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Internal;
using Arvo.Machines;
using Arvo.Subjects;
using Arvo.Telemetry;

namespace Arvo.Orchestration;

/// <summary>
/// The one stage that turns what an orchestration asks to emit into <see cref="ArvoEvent"/>s (orchestrator.md 7 steps
/// 13–15, section 8, and section 9 for system errors): the raw events of a machine or a resumable handler as they were
/// returned, and the completion payload. Here, and only here, data is serialized (with the orchestration's serializer
/// options), validated once against its contract (undeclared keys removed, defaults applied), routed (<c>to</c>,
/// <c>redirectto</c>, subjects of child workflows), spread over its resolved domains and given ids, execution units and
/// the execution span's trace headers. Immutable and thread-safe.
/// </summary>
internal sealed class EmittedEventBuilder
{
    private const string OutputIdKey = "__id";
    private const string OutputExecutionUnitsKey = "__executionunits";
    private const string OutputDomainKey = "__domain";

    private readonly string _source;
    private readonly double _executionUnits;
    private readonly ArvoEventEmissionDomains _domains;
    private readonly ArvoEventCreationOptions _creationOptions;
    private readonly VersionedArvoContract _systemErrorContract;
    private readonly ArvoOrchestratorEventFactory _systemErrorFactory;

    /// <summary>Creates the stage of one orchestration.</summary>
    /// <param name="source"><c>arvo.orc.&lt;name&gt;</c>: the source and default <c>redirectto</c> of every emitted event.</param>
    /// <param name="executionUnits">The default <c>executionunits</c>.</param>
    /// <param name="domains">The default domains of raw events, the completion and system errors.</param>
    /// <param name="creationOptions">Clock, id generator and serializer options.</param>
    /// <param name="systemErrorContract">The self contract version system errors are built with.</param>
    public EmittedEventBuilder(
        string source,
        double executionUnits,
        ArvoEventEmissionDomains domains,
        ArvoEventCreationOptions creationOptions,
        VersionedArvoContract systemErrorContract)
    {
        _source = source;
        _executionUnits = executionUnits;
        _domains = domains;
        _creationOptions = creationOptions;
        _systemErrorContract = systemErrorContract;
        _systemErrorFactory = new ArvoOrchestratorEventFactory(systemErrorContract, creationOptions);
    }

    private enum EmittableKind
    {
        Completion,
        Service,
        ChildOrchestration,
        Undeclared,
    }

    /// <summary>Steps 13–15: the raw events (in order), then the completion, as routed events (all domains, in order).</summary>
    /// <param name="emission">The consumed event, the raw events and the facts they are built from.</param>
    /// <returns>The events; empty when nothing was emitted.</returns>
    /// <exception cref="ContractViolation">Data of a declared type fails its schema.</exception>
    /// <exception cref="ExecutionViolation">A child init names an invalid <c>parentSubject$$</c>, or its subject cannot be created.</exception>
    /// <exception cref="ArvoEventValidationException">Data is not a JSON object, or an event attribute is invalid.</exception>
    public ArvoEvent[] Build(in OrchestrationEmission emission)
    {
        var raws = emission.Events;
        if (raws.Count == 0 && emission.Output is null)
        {
            return [];
        }

        // One event per raw event and domain: sized for one domain each, grown only when an event has more.
        var events = new EventList(raws.Count + (emission.Output is null ? 0 : 1));
        var subjects = new DomainSubjects(emission.ParentSubject, emission.Subject);

        // 13. Every raw event without a domain gets the default service domains.
        for (var i = 0; i < raws.Count; i++)
        {
            Add(ref events, Emittable.From(raws[i]), raws[i].Domain ?? _domains.Services, in emission, ref subjects);
        }

        // 14. The completion: to meta.redirectto ?? initiator of the consumed subject; reserved output keys apply.
        if (emission.Output is { } output)
        {
            var payload = output is JsonElement element ? element : ArvoEvent.ToData(output, _creationOptions.SerializerOptions);
            var completion = CompletionEvent(payload, emission.Subject, emission.Self, out var completionDomains);
            Add(ref events, completion, completionDomains ?? _domains.Complete, in emission, ref subjects);
        }

        return events.ToArray();
    }

    /// <summary>Section 9: the system-error events of a failed execution, one per resolved domain.</summary>
    /// <param name="consumed">The consumed event.</param>
    /// <param name="subject">Its parsed subject, or null when it is not an orchestration subject.</param>
    /// <param name="error">The failure.</param>
    /// <param name="parentSubject">The workflow's parent subject, or null.</param>
    /// <param name="initEventId">The stored init event id, or null.</param>
    /// <param name="headers">The execution span's trace headers.</param>
    /// <returns>The events, addressed to the initiator of the consumed subject under the parent's subject.</returns>
    public ArvoEvent[] BuildSystemErrors(
        ArvoEvent consumed, ArvoOrchestrationSubjectContent? subject, Exception error, string? parentSubject, string? initEventId, ArvoTraceHeaders headers)
    {
        // To the initiator of the consumed subject (not meta.redirectto), under the parent's subject.
        var to = subject?.Execution.Initiator ?? consumed.Source;
        var subjects = subject is null ? new DomainSubjects(parentSubject, consumed.Subject) : new DomainSubjects(parentSubject, subject);
        var domains = ArvoDomainResolution.ResolveDistinct(_domains.SystemError, ref subjects, _systemErrorContract, _systemErrorContract, consumed);
        var events = new ArvoEvent[domains.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = _systemErrorFactory.SystemError(
                new ArvoEventEnvelope
                {
                    Source = _source,
                    Subject = parentSubject ?? consumed.Subject,
                    Id = DerivedId(consumed, i),
                    To = to,
                    AccessControl = consumed.AccessControl,
                    ExecutionUnits = _executionUnits,
                    ParentId = initEventId ?? consumed.Id,
                    RedirectTo = null,
                    Domain = domains[i],
                    TraceParent = headers.TraceParent,
                    TraceState = headers.TraceState,
                },
                error);
        }

        return events;
    }

    private static Emittable CompletionEvent(JsonElement output, ArvoOrchestrationSubjectContent subject, VersionedArvoContract self, out IReadOnlyList<string?>? domains)
    {
        ArvoEventId? id = null;
        double? executionUnits = null;
        domains = null;
        var data = output;
        if (output.ValueKind == JsonValueKind.Object
            && (output.TryGetProperty(OutputIdKey, out _) || output.TryGetProperty(OutputExecutionUnitsKey, out _) || output.TryGetProperty(OutputDomainKey, out _)))
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var property in output.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case OutputIdKey:
                            id = ReadOutputId(property.Value);
                            break;
                        case OutputExecutionUnitsKey:
                            executionUnits = property.Value.ValueKind switch
                            {
                                JsonValueKind.Number => property.Value.GetDouble(),
                                JsonValueKind.Null => null,
                                _ => throw new InvalidOperationException($"The output key '{OutputExecutionUnitsKey}' must be a number, received {property.Value.ValueKind}"),
                            };
                            break;
                        case OutputDomainKey:
                            domains = ReadOutputDomains(property.Value);
                            break;
                        default:
                            property.WriteTo(writer);
                            break;
                    }
                }

                writer.WriteEndObject();
            }

            data = JsonSerializer.Deserialize<JsonElement>(buffer.WrittenSpan);
        }

        var to = subject.Meta.TryGetValue("redirectto", out var redirect) && !string.IsNullOrEmpty(redirect) ? redirect : subject.Execution.Initiator;
        return new Emittable
        {
            Type = ((ArvoOrchestratorContract)self.Contract).CompleteEventType,
            DataIsJson = true,
            DataElement = data,
            Id = id,
            To = to,
            ExecutionUnits = executionUnits,
        };
    }

    private static ArvoEventId? ReadOutputId(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("value", out var idValue) || idValue.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("deduplication", out var mode))
        {
            throw new InvalidOperationException($"The output key '{OutputIdKey}' must be {{ deduplication, value }}, received {value.GetRawText()}");
        }

        var deduplication = mode.ValueKind switch
        {
            JsonValueKind.Number when mode.TryGetInt32(out var number) && Enum.IsDefined((ArvoIdDeduplication)number) => (ArvoIdDeduplication)number,
            JsonValueKind.String => mode.GetString()!.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant() switch
            {
                "DEVELOPERMANAGED" => ArvoIdDeduplication.DeveloperManaged,
                "ARVOMANAGED" => ArvoIdDeduplication.ArvoManaged,
                _ => throw new InvalidOperationException($"Unknown id deduplication mode '{mode.GetString()}' in the output key '{OutputIdKey}'"),
            },
            _ => throw new InvalidOperationException($"Unknown id deduplication mode {mode.GetRawText()} in the output key '{OutputIdKey}'"),
        };
        return new ArvoEventId(deduplication, idValue.GetString()!);
    }

    private static string?[]? ReadOutputDomains(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw new InvalidOperationException($"The output key '{OutputDomainKey}' must be a non-empty array of domains, received {value.GetRawText()}");
        }

        var domains = new string?[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            domains[i++] = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Null => null,
                _ => throw new InvalidOperationException($"The output key '{OutputDomainKey}' must hold strings or null, received {item.GetRawText()}"),
            };
        }

        return domains;
    }

    private void Add(
        ref EventList events,
        in Emittable raw,
        IReadOnlyList<string?> rawDomains,
        in OrchestrationEmission emission,
        ref DomainSubjects subjects)
    {
        // The category decides the schema, the subject, the parentid and the domain's event contract.
        var consumed = emission.Consumed;
        var self = emission.Self;
        var type = raw.Type;
        var kind = EmittableKind.Undeclared;
        VersionedArvoContract? eventContract = null;
        ArvoSchema? schema = null;
        var dataschema = raw.DataSchema;
        if (type == ((ArvoOrchestratorContract)self.Contract).CompleteEventType && self.Emits.TryGetValue(type, out var completeSchema))
        {
            kind = EmittableKind.Completion;
            eventContract = self;
            schema = completeSchema;
            dataschema = self.Dataschema;
        }
        else if (emission.Services.TryGetValue(type, out var service))
        {
            kind = service.IsOrchestrator ? EmittableKind.ChildOrchestration : EmittableKind.Service;
            eventContract = service;
            schema = service.Accepts.Schema;
            dataschema = service.Dataschema;
        }

        // The data as the machine or handler returned it, serialized with the orchestration's options; declared types
        // are validated against their schema once, here (undeclared keys removed, defaults applied).
        // Data that is not a JSON object fails its schema (declared types) or ArvoEvent.Create (the others).
        var data = raw.DataIsJson ? raw.DataElement : ArvoEvent.ToData(raw.DataObject, _creationOptions.SerializerOptions);
        if (schema is not null)
        {
            if (!schema.TryParse(data, out var parsed, out var validation))
            {
                throw new ContractViolation(
                    $"[Emittable Event Creation] Invalid event data: Schema validation failed.\nEvent type: {type}\nDetails: {validation}");
            }

            data = parsed;
        }

        // Child orchestrations: parentSubject$$ must be null or a valid subject.
        string? childParent = null;
        if (kind == EmittableKind.ChildOrchestration)
        {
            childParent = data.TryGetProperty(ArvoOrchestratorContract.ParentSubjectProperty, out var parent) && parent.ValueKind == JsonValueKind.String
                ? parent.GetString()
                : null;
            if (childParent is not null && !ArvoOrchestrationSubject.IsValid(childParent))
            {
                throw new ExecutionViolation(
                    $"[Emittable Event Creation] Invalid parentSubject$$ for the event(type='{type}', uri='{raw.DataSchema ?? dataschema}'). It must be follow the ArvoOrchestrationSubject schema. The easiest way is to use the current orchestration subject by storing the subject via the context block in the machine definition.");
            }
        }

        // One event per distinct resolved domain (resolved first, then de-duplicated: port decision, O-17).
        var domains = ArvoDomainResolution.ResolveDistinct(rawDomains, ref subjects, self, eventContract, consumed);
        for (var d = 0; d < domains.Count; d++)
        {
            var domain = domains[d];
            var eventSubject = kind switch
            {
                EmittableKind.Completion => emission.ParentSubject ?? consumed.Subject,
                EmittableKind.ChildOrchestration => ChildSubject(in raw, eventContract!, childParent, domain),
                _ => consumed.Subject,
            };
            // The span name is only built when someone listens (it is a new string per event).
            using var span = ArvoActivities.Source.HasListeners() ? ArvoActivities.StartInternal("createArvoEvent<" + type + ">") : null;
            var evt = ArvoEvent.Create(
                new ArvoEventDraft
                {
                    Source = _source,
                    Type = type,
                    Subject = eventSubject,
                    Data = data,
                    Id = raw.Id ?? DerivedId(consumed, events.Count),
                    DataSchema = dataschema,
                    To = raw.To ?? type,
                    AccessControl = raw.AccessControl ?? consumed.AccessControl,
                    RedirectTo = raw.RedirectTo ?? _source,
                    ExecutionUnits = raw.ExecutionUnits ?? _executionUnits,
                    TraceParent = emission.Headers.TraceParent,
                    TraceState = emission.Headers.TraceState,
                    ParentId = kind == EmittableKind.Completion ? emission.InitEventId : consumed.Id,
                    Domain = domain,
                    Extensions = raw.Extensions,
                },
                _creationOptions);
            if (span is { IsAllDataRequested: true })
            {
                ExecutionTelemetry.SetEventTags(span, string.Empty, evt);
            }

            events.Add(evt);
        }
    }

    /// <summary>The deterministic id of the emitted event at <paramref name="position"/> (a redelivery answers under the same ids), or null.</summary>
    private ArvoEventId? DerivedId(ArvoEvent consumed, int position) => ArvoDerivedEventId.ForEmitted(_creationOptions, _source, consumed.Id, position);

    /// <summary>
    /// What one emitted event is built from: a raw event's members, or the completion's (which needs no
    /// <see cref="ArvoMachineEmit"/> object, nor a boxed payload). JSON data is <see cref="DataElement"/>; any other
    /// payload is <see cref="DataObject"/>, serialized with the orchestration's options (as <see cref="ArvoEvent.ToData"/> does).
    /// </summary>
    private readonly struct Emittable
    {
        public required string Type { get; init; }

        public object? DataObject { get; init; }

        public JsonElement DataElement { get; init; }

        public string? DataSchema { get; init; }

        public ArvoEventId? Id { get; init; }

        public string? To { get; init; }

        public string? AccessControl { get; init; }

        public string? RedirectTo { get; init; }

        public double? ExecutionUnits { get; init; }

        public IEnumerable<KeyValuePair<string, object?>>? Extensions { get; init; }

        /// <summary>Whether the payload is <see cref="DataElement"/> (otherwise <see cref="DataObject"/>, which may be null and is then rejected).</summary>
        public bool DataIsJson { get; init; }

        public static Emittable From(ArvoMachineEmit raw) => new()
        {
            Type = raw.Type,
            DataIsJson = raw.Data is JsonElement,
            DataObject = raw.Data,
            DataElement = raw.Data as JsonElement? ?? default,
            DataSchema = raw.DataSchema,
            Id = raw.Id,
            To = raw.To,
            AccessControl = raw.AccessControl,
            RedirectTo = raw.RedirectTo,
            ExecutionUnits = raw.ExecutionUnits,
            Extensions = raw.Extensions,
        };
    }

    /// <summary>The events of one build, in an array sized up front (no list, no final copy when the size was right).</summary>
    private struct EventList(int capacity)
    {
        private ArvoEvent[] _items = capacity == 0 ? [] : new ArvoEvent[capacity];

        public int Count { get; private set; }

        public void Add(ArvoEvent evt)
        {
            if (Count == _items.Length)
            {
                Array.Resize(ref _items, Math.Max(4, _items.Length * 2));
            }

            _items[Count++] = evt;
        }

        public readonly ArvoEvent[] ToArray() => Count == _items.Length ? _items : _items[..Count];
    }

    private string ChildSubject(in Emittable raw, VersionedArvoContract child, string? parentSubject, string? domain)
    {
        try
        {
            KeyValuePair<string, string>[] meta = [new("redirectto", raw.RedirectTo ?? _source)];
            return parentSubject is not null
                ? ArvoOrchestrationSubject.From(child.Accepts.Type, child.Version, parentSubject, domain, meta, _creationOptions.IdGenerator)
                : ArvoOrchestrationSubject.New(child.Accepts.Type, child.Version, _source, domain, meta, _creationOptions.IdGenerator);
        }
        catch (Exception exception) when (exception is not ArvoViolation)
        {
            throw new ExecutionViolation(
                $"[Emittable Event Creation] Orchestration subject creation failed due to invalid parameters - Event: {raw.Type} - {exception.Message}",
                innerException: exception);
        }
    }
}

/// <summary>What <see cref="EmittedEventBuilder.Build"/> turns into events.</summary>
/// <param name="Consumed">The consumed event.</param>
/// <param name="Subject">Its parsed subject (addressed to this orchestration).</param>
/// <param name="Self">The self contract version: completion schema, <c>dataschema</c> and domain resolution.</param>
/// <param name="Services">The service contract versions by accepted event type.</param>
/// <param name="Events">The raw events as the machine or the handler returned them, in emission order.</param>
/// <param name="Output">The completion payload (with the reserved keys) as JSON or as the handler returned it, or null.</param>
/// <param name="ParentSubject">The workflow's parent subject, or null.</param>
/// <param name="InitEventId">The stored init event id, else the consumed event's id.</param>
/// <param name="Headers">The execution span's trace headers.</param>
internal readonly record struct OrchestrationEmission(
    ArvoEvent Consumed,
    ArvoOrchestrationSubjectContent Subject,
    VersionedArvoContract Self,
    IReadOnlyDictionary<string, VersionedArvoContract> Services,
    IReadOnlyList<ArvoMachineEmit> Events,
    object? Output,
    string? ParentSubject,
    string InitEventId,
    ArvoTraceHeaders Headers);
