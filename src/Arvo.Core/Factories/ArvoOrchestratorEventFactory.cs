using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Internal;
using Arvo.Subjects;

namespace Arvo;

/// <summary>
/// Creates validated events for one version of an <see cref="ArvoOrchestratorContract"/>: the init event
/// (with the parent-subject rules of contracts.md 7.3), the completion event and the system-error event.
/// Immutable and thread-safe.
/// </summary>
public sealed class ArvoOrchestratorEventFactory
{
    private readonly ArvoEventFactory _events;
    private readonly ArvoEventCreationOptions _options;
    private readonly ArvoSubjectOptions? _subjectOptions;
    private readonly ArvoOrchestratorContract _orchestrator;

    /// <summary>Creates a factory for an orchestrator contract version.</summary>
    /// <param name="contract">A version of an <see cref="ArvoOrchestratorContract"/>.</param>
    /// <param name="options">Clock and id generator; null means <see cref="ArvoEventCreationOptions.Default"/>.</param>
    /// <param name="subjectOptions">Limits for generated and parsed subjects; null means the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="contract"/> is null.</exception>
    /// <exception cref="ArgumentException">The contract is not an orchestrator contract (<c>This factory can only be used for ArvoOrchestratorContract</c>).</exception>
    public ArvoOrchestratorEventFactory(VersionedArvoContract contract, ArvoEventCreationOptions? options = null, ArvoSubjectOptions? subjectOptions = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        _orchestrator = contract.Contract as ArvoOrchestratorContract
            ?? throw new ArgumentException("This factory can only be used for ArvoOrchestratorContract", nameof(contract));
        _options = options ?? ArvoEventCreationOptions.Default;
        _subjectOptions = subjectOptions;
        _events = new ArvoEventFactory(contract, _options, subjectOptions);
    }

    /// <summary>The orchestrator contract version this factory builds events for.</summary>
    public VersionedArvoContract Contract => _events.Contract;

    /// <summary>
    /// Creates the init event <c>arvo.orc.&lt;name&gt;</c>. When the data has no <c>parentSubject$$</c> (a typed init
    /// record need not declare it), <c>parentSubject$$: null</c> is added: a root workflow. Without an explicit subject:
    /// when <c>parentSubject$$</c> is a subject, the new subject is its child (initiator = the parent orchestrator,
    /// <c>meta.redirectto</c> = the envelope's redirect or else the parent's initiator); otherwise a new root subject with
    /// initiator = source.
    /// </summary>
    /// <param name="envelope">Source and routing attributes; <see cref="ArvoEventAttributes.RedirectTo"/> becomes the event's <c>redirectto</c>.</param>
    /// <param name="data">
    /// The init payload: a record or anonymous object (serialized with <see cref="ArvoEventCreationOptions.SerializerOptions"/>)
    /// or JSON, with or without <c>parentSubject$$</c>.
    /// </param>
    /// <returns>The validated init event.</returns>
    /// <exception cref="ContractViolation">The data does not satisfy the init schema (<c>Init Event data validation failed: …</c>). Whatever the data holds, a rejection is this violation, its message listing the issues with their paths: a lone UTF-16 surrogate, a number beyond the double range such as <c>1e309</c>, nesting deeper than 256 levels and a pattern match timeout included (see <see cref="ArvoSchema.Validate"/>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="envelope"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArvoOrchestrationSubjectException">The parent subject cannot be parsed, or a subject cannot be generated.</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is invalid.</exception>
    public ArvoEvent Init(ArvoEventEnvelope envelope, object data) => Init(envelope, data, parentSubject: null);

    /// <summary>
    /// Creates the init event <c>arvo.orc.&lt;name&gt;</c> of a child workflow of <paramref name="parentSubject"/> (see
    /// <see cref="Init(ArvoEventEnvelope, object)"/>): the data's <c>parentSubject$$</c> is set to
    /// <paramref name="parentSubject"/>, so a typed init record need not declare it.
    /// </summary>
    /// <param name="envelope">Source and routing attributes; <see cref="ArvoEventAttributes.RedirectTo"/> becomes the event's <c>redirectto</c>.</param>
    /// <param name="data">The init payload, with or without <c>parentSubject$$</c>.</param>
    /// <param name="parentSubject">
    /// The parent workflow's subject, or null for a root workflow (then <c>parentSubject$$</c> is the data's own, or null when
    /// it has none).
    /// </param>
    /// <returns>The validated init event.</returns>
    /// <exception cref="ContractViolation">The data does not satisfy the init schema (<c>Init Event data validation failed: …</c>; see <see cref="Init(ArvoEventEnvelope, object)"/>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="envelope"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data holds another non-null <c>parentSubject$$</c> than <paramref name="parentSubject"/>.</exception>
    /// <exception cref="ArvoOrchestrationSubjectException">The parent subject cannot be parsed, or a subject cannot be generated.</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is invalid.</exception>
    public ArvoEvent Init(ArvoEventEnvelope envelope, object data, string? parentSubject)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        using var activity = ArvoEventFactory.StartSpan("OrchestratorEventFactory.init<", _orchestrator.InitEventType, Contract);
        try
        {
            const string ErrorPrefix = "Init Event data validation failed: ";
            var element = WithParentSubject(ArvoEventFactory.ToElement(data, ErrorPrefix, _options.SerializerOptions), parentSubject);
            var parsed = ArvoEventFactory.ParseElement(Contract.Accepts.Schema, element, ErrorPrefix);
            var subject = envelope.Subject ?? InitSubject(envelope, parsed);
            return _events.BuildParsed(activity, envelope with { Subject = subject }, _orchestrator.InitEventType, parsed, _orchestrator.InitEventType, Contract.Dataschema);
        }
        catch (Exception exception)
        {
            ArvoActivities.RecordFailure(activity, exception);
            throw;
        }
    }

    /// <summary>Creates the completion event <c>arvo.orc.&lt;name&gt;.done</c>, data validated against the complete schema.</summary>
    /// <param name="envelope">Source and routing attributes.</param>
    /// <param name="data">The completion payload.</param>
    /// <returns>The validated completion event.</returns>
    /// <exception cref="ContractViolation">The data does not satisfy the complete schema (<c>Emit Event data validation failed: …</c>). Whatever the data holds, a rejection is this violation, its message listing the issues with their paths: a lone UTF-16 surrogate, a number beyond the double range such as <c>1e309</c>, nesting deeper than 256 levels and a pattern match timeout included (see <see cref="ArvoSchema.Validate"/>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="envelope"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArvoOrchestrationSubjectException">No subject was given and one could not be generated.</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is invalid.</exception>
    public ArvoEvent Complete(ArvoEventEnvelope envelope, object data)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        using var activity = ArvoEventFactory.StartSpan("OrchestratorEventFactory.complete", Contract);
        var type = _orchestrator.CompleteEventType;
        if (!Contract.Emits.TryGetValue(type, out var schema))
        {
            var violation = new ContractViolation("Emit Event data validation failed: No schema available for " + type);
            ArvoActivities.RecordFailure(activity, violation);
            throw violation;
        }

        return _events.Build(activity, envelope, type, schema, data, "Emit Event data validation failed: ", type, Contract.Dataschema);
    }

    /// <summary>Creates the system-error event <c>sys.arvo.orc.&lt;name&gt;.error</c> describing <paramref name="error"/>.</summary>
    /// <param name="envelope">Source and routing attributes.</param>
    /// <param name="error">The failure to describe.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArvoOrchestrationSubjectException">No subject was given and one could not be generated.</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is invalid.</exception>
    public ArvoEvent SystemError(ArvoEventEnvelope envelope, Exception error)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(error);
        using var activity = ArvoEventFactory.StartSpan("OrchestratorEventFactory.systemError<", Contract.SystemError.Type, Contract);
        return ArvoEventFactory.BuildSystemError(activity, Contract, envelope, error, _options, _subjectOptions);
    }

    /// <summary>
    /// Gives an init object its <c>parentSubject$$</c>: <paramref name="parentSubject"/> when given, else null when the data has
    /// none. Anything but an object, and data the schema step rejects before reading it (<see cref="UntrustedData"/>), is
    /// returned as it is, so the violation reports it as for any contract.
    /// </summary>
    private static JsonElement WithParentSubject(JsonElement data, string? parentSubject)
    {
        const string Property = ArvoOrchestratorContract.ParentSubjectProperty;
        if (data.ValueKind != JsonValueKind.Object)
        {
            return data;
        }

        if (data.TryGetProperty(Property, out var existing))
        {
            if (parentSubject is null || (existing.ValueKind == JsonValueKind.String && existing.ValueEquals(parentSubject)))
            {
                return data;
            }

            if (existing.ValueKind != JsonValueKind.Null)
            {
                throw new ArgumentException(
                    $"The init data's '{Property}' ({existing.GetRawText()}) differs from the parentSubject argument ('{parentSubject}'); give the parent subject once.",
                    nameof(parentSubject));
            }
        }

        if (UntrustedData.Check(data) is not null)
        {
            return data;
        }

        // The other members are copied as their JSON text (duplicates and nesting as they came); the check above bounds the depth.
        var buffer = new ArrayBufferWriter<byte>(JsonMarshal.GetRawUtf8Value(data).Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteString(Property, parentSubject);
            foreach (var member in data.EnumerateObject())
            {
                if (!member.NameEquals(Property))
                {
                    writer.WritePropertyName(member.Name);
                    writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(member.Value), skipInputValidation: true);
                }
            }

            writer.WriteEndObject();
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan, new JsonReaderOptions { MaxDepth = UntrustedData.MaxDepth + 1 });
        return JsonElement.ParseValue(ref reader);
    }

    private string InitSubject(ArvoEventEnvelope envelope, JsonElement data)
    {
        var parentSubject = data.TryGetProperty(ArvoOrchestratorContract.ParentSubjectProperty, out var parent) && parent.ValueKind == JsonValueKind.String
            ? parent.GetString()
            : null;
        if (parentSubject is null)
        {
            return ArvoOrchestrationSubject.New(
                _orchestrator.InitEventType, Contract.Version, envelope.Source, envelope.Domain,
                ArvoEventFactory.RedirectMeta(envelope.RedirectTo), _options.IdGenerator, _subjectOptions);
        }

        var parentContent = ArvoOrchestrationSubject.Parse(parentSubject, _subjectOptions);
        var redirect = string.IsNullOrEmpty(envelope.RedirectTo) ? parentContent.Execution.Initiator : envelope.RedirectTo;
        return ArvoOrchestrationSubject.From(
            _orchestrator.InitEventType, Contract.Version, parentSubject, envelope.Domain,
            ArvoEventFactory.RedirectMeta(redirect), _options.IdGenerator, _subjectOptions);
    }
}
