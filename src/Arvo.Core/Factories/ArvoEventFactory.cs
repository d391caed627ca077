using System.Diagnostics;
using System.Text.Json;
using Arvo.Contracts;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Internal;
using Arvo.Subjects;
using Arvo.Telemetry;

namespace Arvo;

/// <summary>
/// Creates validated events for one contract version (contracts.md section 7): the accepted event,
/// the emitted events and the system-error event, each with <c>dataschema</c> =
/// <c>&lt;uri&gt;/&lt;version&gt;</c> and data parsed by the schema (undeclared keys removed,
/// defaults applied). Immutable and thread-safe.
/// </summary>
/// <example>
/// <code>
/// var factory = new ArvoEventFactory(contract.Version("0.0.1"));
/// var command = factory.Accepts(new ArvoEventEnvelope { Source = "com.test.client" }, new { delta = 2 });
/// </code>
/// </example>
public sealed class ArvoEventFactory
{
    private readonly ArvoEventCreationOptions _options;
    private readonly ArvoSubjectOptions? _subjectOptions;

    /// <summary>Creates a factory for <paramref name="contract"/>.</summary>
    /// <param name="contract">The contract version events are built for.</param>
    /// <param name="options">Clock and id generator; null means <see cref="ArvoEventCreationOptions.Default"/>.</param>
    /// <param name="subjectOptions">Limits for generated subjects; null means the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="contract"/> is null.</exception>
    public ArvoEventFactory(VersionedArvoContract contract, ArvoEventCreationOptions? options = null, ArvoSubjectOptions? subjectOptions = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        Contract = contract;
        _options = options ?? ArvoEventCreationOptions.Default;
        _subjectOptions = subjectOptions;
    }

    /// <summary>The contract version this factory builds events for.</summary>
    public VersionedArvoContract Contract { get; }

    /// <summary>
    /// Creates the event the contract accepts: type = contract type, data validated against the accepts schema.
    /// A generated subject names the contract type as its orchestrator.
    /// </summary>
    /// <param name="envelope">Source and routing attributes.</param>
    /// <param name="data">The payload: a JSON object element, a <c>JsonObject</c> or any object serializable to one.</param>
    /// <returns>The validated event.</returns>
    /// <exception cref="ContractViolation">The data does not satisfy the accepts schema (<c>Accept Event data validation failed: …</c>). Whatever the data holds, a rejection is this violation, its message listing the issues with their paths: a lone UTF-16 surrogate, a number beyond the double range such as <c>1e309</c>, nesting deeper than 256 levels and a pattern match timeout included (see <see cref="ArvoSchema.Validate"/>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="envelope"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArvoOrchestrationSubjectException">No subject was given and one could not be generated (e.g. the source is not a reverse-DNS type).</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is invalid.</exception>
    public ArvoEvent Accepts(ArvoEventEnvelope envelope, object data)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        using var activity = StartSpan("EventFactory.accepts<", Contract.Type, Contract);
        return Build(activity, envelope, Contract.Type, Contract.Accepts.Schema, data, "Accept Event data validation failed: ", Contract.Type, Contract.Dataschema);
    }

    /// <summary>Creates an event of one of the version's emit types, data validated against that type's schema.</summary>
    /// <param name="envelope">Source and routing attributes.</param>
    /// <param name="type">One of the version's emit types.</param>
    /// <param name="data">The payload.</param>
    /// <returns>The validated event.</returns>
    /// <exception cref="ContractViolation">The type is not emitted by this version (<c>Emit Event data validation failed: No contract available for &lt;type&gt;</c>) or the data does not satisfy its schema. Whatever the data holds, a rejection is this violation, its message listing the issues with their paths: a lone UTF-16 surrogate, a number beyond the double range such as <c>1e309</c>, nesting deeper than 256 levels and a pattern match timeout included (see <see cref="ArvoSchema.Validate"/>).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="envelope"/>, <paramref name="type"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArvoOrchestrationSubjectException">No subject was given and one could not be generated.</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is invalid.</exception>
    public ArvoEvent Emits(ArvoEventEnvelope envelope, string type, object data)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(type);
        using var activity = StartSpan("EventFactory.emits<", type, Contract);
        if (!Contract.Emits.TryGetValue(type, out var schema))
        {
            var violation = new ContractViolation("Emit Event data validation failed: No contract available for " + type);
            ArvoActivities.RecordFailure(activity, violation);
            throw violation;
        }

        return Build(activity, envelope, type, schema, data, "Emit Event data validation failed: ", type, Contract.Dataschema);
    }

    /// <summary>
    /// Creates the contract's system-error event <c>sys.&lt;type&gt;.error</c> describing <paramref name="error"/>,
    /// with the wildcard dataschema <c>&lt;uri&gt;/0.0.0</c>.
    /// </summary>
    /// <param name="envelope">Source and routing attributes.</param>
    /// <param name="error">The failure to describe.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArvoOrchestrationSubjectException">No subject was given and one could not be generated.</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is invalid.</exception>
    public ArvoEvent SystemError(ArvoEventEnvelope envelope, Exception error)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(error);
        using var activity = StartSpan("EventFactory.systemError<", Contract.SystemError.Type, Contract);
        return BuildSystemError(activity, Contract, envelope, error, _options, _subjectOptions);
    }

    internal ArvoEvent Build(Activity? activity, ArvoEventEnvelope envelope, string type, ArvoSchema schema, object data, string errorPrefix, string subjectName, string dataschema)
    {
        try
        {
            var parsed = ParseData(schema, data, errorPrefix, _options.SerializerOptions);
            return BuildParsed(activity, envelope, type, parsed, subjectName, dataschema);
        }
        catch (Exception exception)
        {
            ArvoActivities.RecordFailure(activity, exception);
            throw;
        }
    }

    /// <summary>Builds an event from data the schema already parsed; failures propagate unrecorded.</summary>
    internal ArvoEvent BuildParsed(Activity? activity, ArvoEventEnvelope envelope, string type, JsonElement parsed, string subjectName, string dataschema)
    {
        var subject = envelope.Subject ?? ArvoOrchestrationSubject.New(
            subjectName, Contract.Version, envelope.Source, envelope.Domain, RedirectMeta(envelope.RedirectTo), _options.IdGenerator, _subjectOptions);
        return Create(activity, envelope, type, subject, parsed, dataschema, _options);
    }

    internal static ArvoEvent BuildSystemError(
        Activity? activity, VersionedArvoContract contract, ArvoEventEnvelope envelope, Exception error, ArvoEventCreationOptions options, ArvoSubjectOptions? subjectOptions)
    {
        try
        {
            var systemError = contract.SystemError;
            var subject = envelope.Subject ?? ArvoOrchestrationSubject.New(
                systemError.Type, contract.Version, envelope.Source, envelope.Domain, RedirectMeta(envelope.RedirectTo), options.IdGenerator, subjectOptions);
            return Create(activity, envelope, systemError.Type, subject, ArvoSystemErrorData.FromException(error).ToJsonElement(), systemError.Dataschema, options);
        }
        catch (Exception exception)
        {
            ArvoActivities.RecordFailure(activity, exception);
            throw;
        }
    }

    /// <summary>Starts the span <c>&lt;prefix&gt;&lt;type&gt;&gt;</c>; the name is only built when someone listens.</summary>
    internal static Activity? StartSpan(string prefix, string type, VersionedArvoContract contract) =>
        ArvoActivities.Source.HasListeners() ? StartSpan(prefix + type + ">", contract) : null;

    internal static Activity? StartSpan(string name, VersionedArvoContract contract)
    {
        var activity = ArvoActivities.StartInternal(name);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ArvoTelemetry.ContractUriAttribute, contract.Uri);
            activity.SetTag(ArvoTelemetry.ContractVersionAttribute, contract.Version);
        }

        return activity;
    }

    internal static JsonElement ParseData(ArvoSchema schema, object data, string errorPrefix, JsonSerializerOptions? serializerOptions) =>
        ParseElement(schema, ToElement(data, errorPrefix, serializerOptions), errorPrefix);

    /// <summary>The data as JSON: a <see cref="JsonElement"/> as it is, anything else serialized (a failure is a <see cref="ContractViolation"/>).</summary>
    internal static JsonElement ToElement(object data, string errorPrefix, JsonSerializerOptions? serializerOptions)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            // JSON data goes to the schema as it is, so bad text is reported at its schema path.
            return data is JsonElement json ? json : ArvoEvent.ToData(data, serializerOptions);
        }
        catch (ArvoEventValidationException invalid)
        {
            // Data no event can carry (a lone surrogate, too deep) is bad data for this contract, as documented.
            throw new ContractViolation(errorPrefix + invalid.Message, innerException: invalid);
        }
    }

    internal static JsonElement ParseElement(ArvoSchema schema, JsonElement element, string errorPrefix)
    {
        if (!schema.TryParse(element, out var parsed, out var validation))
        {
            throw new ContractViolation(errorPrefix + validation);
        }

        return parsed;
    }

    internal static KeyValuePair<string, string>[]? RedirectMeta(string? redirectTo) =>
        string.IsNullOrEmpty(redirectTo) ? null : [new("redirectto", redirectTo)];

    private static ArvoEvent Create(Activity? activity, ArvoEventEnvelope envelope, string type, string subject, JsonElement data, string dataschema, ArvoEventCreationOptions options)
    {
        // Caller headers win; otherwise the factory span's own headers (null when tracing is off).
        var (traceParent, traceState) = envelope.TraceParent is not null
            ? (envelope.TraceParent, envelope.TraceState)
            : ArvoTelemetry.GetTraceHeaders(activity);
        var evt = ArvoEvent.Create(
            new ArvoEventDraft
            {
                Source = envelope.Source,
                Type = type,
                Subject = subject,
                Data = data,
                Id = envelope.Id,
                Time = envelope.Time,
                DataSchema = dataschema,
                To = envelope.To,
                AccessControl = envelope.AccessControl,
                RedirectTo = envelope.RedirectTo,
                ExecutionUnits = envelope.ExecutionUnits,
                TraceParent = traceParent,
                TraceState = traceState,
                ParentId = envelope.ParentId,
                Domain = envelope.Domain,
                Extensions = envelope.Extensions,
            },
            options);
        if (activity is { IsAllDataRequested: true })
        {
            foreach (var (key, value) in evt.GetOtelAttributes())
            {
                activity.SetTag(key, value);
            }
        }

        return evt;
    }
}
