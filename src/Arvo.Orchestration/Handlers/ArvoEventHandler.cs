using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Arvo.Contracts;
using Arvo.Domains;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Internal;
using Arvo.Telemetry;

namespace Arvo;

/// <summary>
/// A stateless, contract-bound event handler (reference <c>ArvoEventHandler</c>, event-handler.md): consumes the
/// events of one contract, runs the function registered for the event's contract version and returns the events it
/// emits, validated against that version. Immutable and thread-safe; build it once with <see cref="CreateBuilder"/>.
/// </summary>
/// <example>
/// <code>
/// var handler = ArvoEventHandler.CreateBuilder(helloContract)
///     .ExecutionUnits(100)
///     .Version("0.0.1", ctx =>
///     {
///         var input = ctx.GetData&lt;HelloInput&gt;()!;
///         return ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = $"Hello {input.Name}" });
///     })
///     .Build();
/// var result = await handler.ExecuteAsync(helloEvent);
/// </code>
/// </example>
public sealed class ArvoEventHandler : IArvoEventHandler
{
    private const string SpanKindValue = "handler.simple";
    private const string ExecutionStatusAttribute = ExecutionTelemetry.ExecutionStatusAttribute;

    private readonly Dictionary<string, VersionEntry> _versions;
    private readonly VersionEntry _latest;
    private readonly string _defaultSpanName;
    private readonly JsonSerializerOptions _serializerOptions;

    internal ArvoEventHandler(
        ArvoContract contract,
        double executionUnits,
        IReadOnlyDictionary<string, VersionFunction> functions,
        ArvoSpanOptions spanOptions,
        ArvoEventEmissionDomains domains,
        ArvoEventCreationOptions creationOptions)
    {
        Contract = contract;
        ExecutionUnits = executionUnits;
        SpanOptions = spanOptions;
        DefaultEventEmissionDomains = domains;
        CreationOptions = creationOptions;
        _serializerOptions = CreationOptions.SerializerOptions;
        _defaultSpanName = "Handler<" + contract.Uri + ">";
        _versions = new Dictionary<string, VersionEntry>(contract.Versions.Count, StringComparer.Ordinal);
        foreach (var version in contract.Versions)
        {
            _versions.Add(version.Version, new VersionEntry(version, new ArvoEventFactory(version, CreationOptions), functions[version.Version]));
        }

        _latest = _versions[contract.Latest.Version];
    }

    /// <summary>The contract (all versions) this handler serves.</summary>
    public ArvoContract Contract { get; }

    /// <inheritdoc />
    /// <remarks>The contract type.</remarks>
    public string Source => Contract.Type;

    /// <summary>The contract's domain.</summary>
    public string? Domain => Contract.Domain;

    /// <inheritdoc />
    public ArvoContractSystemError SystemErrorSchema => Contract.SystemError;

    /// <summary>The execution units stamped on every emitted event unless an output overrides them.</summary>
    public double ExecutionUnits { get; }

    /// <summary>The span kind, attributes and name overrides.</summary>
    public ArvoSpanOptions SpanOptions { get; }

    /// <summary>The domains of outputs that name none, and of system-error events.</summary>
    public ArvoEventEmissionDomains DefaultEventEmissionDomains { get; }

    /// <summary>The clock, id generator and serializer options used for emitted events.</summary>
    public ArvoEventCreationOptions CreationOptions { get; }

    /// <summary>
    /// Starts a builder for a handler of <paramref name="contract"/> (reference <c>createArvoEventHandler</c>):
    /// register one function per contract version with <see cref="ArvoEventHandlerBuilder.Version(string, Func{ArvoHandlerContext, ArvoHandlerResult})"/>,
    /// then call <see cref="ArvoEventHandlerBuilder.Build"/>.
    /// </summary>
    /// <param name="contract">An unversioned contract; every version needs a function.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="contract"/> is null.</exception>
    public static ArvoEventHandlerBuilder CreateBuilder(ArvoContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return new ArvoEventHandlerBuilder(contract);
    }

    /// <inheritdoc />
    /// <exception cref="ConfigViolation">The event's type is not the contract type, or its dataschema names an unknown version.</exception>
    /// <exception cref="ContractViolation">The dataschema names another contract, the data is invalid, or an output cannot be built.</exception>
    /// <exception cref="ExecutionViolation">The function threw it.</exception>
    /// <exception cref="OperationCanceledException">The function observed <paramref name="cancellationToken"/> being cancelled.</exception>
    public ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        return ExecuteCoreAsync(arvoEvent, options ?? ArvoExecutionOptions.Default, cancellationToken);
    }

    private async ValueTask<ArvoExecutionResult> ExecuteCoreAsync(ArvoEvent consumed, ArvoExecutionOptions options, CancellationToken cancellationToken)
    {
        // 1. Span (unmanaged: status and end are ours).
        using var activity = StartSpan(consumed, options);
        var (traceParent, traceState) = ArvoTelemetry.GetTraceHeaders(activity);
        var headers = new ArvoTraceHeaders(traceParent, traceState);
        var tagged = activity is { IsAllDataRequested: true };
        if (tagged)
        {
            activity!.SetTag(ExecutionStatusAttribute, "normal");
            activity.SetTag("arvo.handler.execution.type", "handler");
            activity.SetStatus(ActivityStatusCode.Ok);
            SetTags(activity, "consumable.0.", consumed);
        }

        ArvoEvent[] emitted;
        var outcome = ArvoExecutionOutcome.Executed;
        try
        {
            // 2–4. Type, dataschema/version, input validation.
            var version = ArvoContractResolver.ResolveHandlerInput(Contract, consumed.Type, consumed.DataSchema, consumed.Data, out var usedLatest);
            if (usedLatest && tagged)
            {
                Log(activity!, "WARNING", $"Version resolution failed for event with type={consumed.Type}. Defaulting to latest version={version.Version} of contract(uri={Contract.Uri})");
            }

            // 5. Invoke.
            var entry = _versions[version.Version];
            var context = new ArvoHandlerContext(consumed, Source, version, activity, headers, _serializerOptions, cancellationToken);
            var result = entry.Function.Sync is { } sync
                ? sync(context)
                : await entry.Function.Async!(context).ConfigureAwait(false);

            // 6–7. Outputs.
            emitted = result.Count == 0 ? [] : BuildOutputs(entry, consumed, result, headers);
        }
        catch (Exception exception)
        {
            // 9. Failure.
            if (activity is not null)
            {
                if (activity.IsAllDataRequested)
                {
                    activity.SetTag(ExecutionStatusAttribute, "failure");
                }

                ArvoActivities.RecordFailure(activity, exception);
                activity.SetStatus(ActivityStatusCode.Error, "Event processing failed: " + exception.Message);
            }

            if (exception is ArvoViolation || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw;
            }

            emitted = BuildSystemErrors(consumed, exception, headers);
            outcome = ArvoExecutionOutcome.Failed;
        }

        // 8. Return.
        if (tagged)
        {
            for (var i = 0; i < emitted.Length; i++)
            {
                SetTags(activity!, "emittables." + i.ToString(CultureInfo.InvariantCulture) + ".", emitted[i]);
            }

            Log(activity!, "INFO", "Execution completed with issues and emitted " + emitted.Length.ToString(CultureInfo.InvariantCulture) + " events");
        }

        return ArvoExecutionResult.From(emitted, outcome);
    }

    private ArvoEvent[] BuildOutputs(VersionEntry entry, ArvoEvent consumed, ArvoHandlerResult result, ArvoTraceHeaders headers)
    {
        var count = result.Count;
        if (count == 1)
        {
            var output = result[0] ?? throw new ContractViolation("Emit Event data validation failed: the handler returned a null output");
            var domains = output.Domain ?? DefaultEventEmissionDomains.Emits;
            if (domains.Count == 1)
            {
                var domain = ResolveDomain(domains[0], consumed, entry.Version);
                return [BuildOutput(entry, consumed, output, domain, headers, position: 0)];
            }
        }

        var events = new List<ArvoEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var output = result[i] ?? throw new ContractViolation("Emit Event data validation failed: the handler returned a null output");
            var resolved = ResolveDistinct(output.Domain ?? DefaultEventEmissionDomains.Emits, consumed, entry.Version);
            for (var d = 0; d < resolved.Count; d++)
            {
                events.Add(BuildOutput(entry, consumed, output, resolved[d], headers, events.Count));
            }
        }

        return [.. events];
    }

    private ArvoEvent BuildOutput(VersionEntry entry, ArvoEvent consumed, ArvoHandlerOutput output, string? domain, ArvoTraceHeaders headers, int position)
    {
        var envelope = new ArvoEventEnvelope
        {
            Source = Source,
            Subject = consumed.Subject,
            Id = output.Id ?? DerivedId(consumed, position),
            Time = output.Time,
            To = output.To ?? consumed.RedirectTo ?? consumed.Source,
            RedirectTo = output.RedirectTo,
            AccessControl = output.AccessControl ?? consumed.AccessControl,
            ExecutionUnits = output.ExecutionUnits ?? ExecutionUnits,
            ParentId = consumed.Id,
            Domain = domain,
            TraceParent = headers.TraceParent,
            TraceState = headers.TraceState,
            Extensions = output.Extensions,
        };
        try
        {
            return entry.Factory.Emits(envelope, output.Type, output.Data);
        }
        catch (ContractViolation)
        {
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new ContractViolation(exception.Message, innerException: exception);
        }
    }

    private ArvoEvent[] BuildSystemErrors(ArvoEvent consumed, Exception exception, ArvoTraceHeaders headers)
    {
        var domains = ResolveDistinct(DefaultEventEmissionDomains.SystemError, consumed, _latest.Version);
        var events = new ArvoEvent[domains.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = _latest.Factory.SystemError(
                new ArvoEventEnvelope
                {
                    Source = Source,
                    Subject = consumed.Subject,
                    Id = DerivedId(consumed, i),
                    To = consumed.Source,
                    AccessControl = consumed.AccessControl,
                    ExecutionUnits = ExecutionUnits,
                    ParentId = consumed.Id,
                    Domain = domains[i],
                    TraceParent = headers.TraceParent,
                    TraceState = headers.TraceState,
                },
                exception);
        }

        return events;
    }

    /// <summary>The deterministic id of the emitted event at <paramref name="position"/> (a redelivery answers under the same ids), or null.</summary>
    private ArvoEventId? DerivedId(ArvoEvent consumed, int position) => ArvoDerivedEventId.ForEmitted(CreationOptions, Source, consumed.Id, position);

    private static string? ResolveDomain(string? value, ArvoEvent consumed, VersionedArvoContract version) =>
        ArvoDomain.Normalize(ArvoDomain.Resolve(value, null, consumed.Subject, version, version, consumed));

    private static IReadOnlyList<string?> ResolveDistinct(IReadOnlyList<string?> values, ArvoEvent consumed, VersionedArvoContract version) =>
        ArvoDomainResolution.ResolveDistinct(values, null, consumed.Subject, version, version, consumed);

    private Activity? StartSpan(ArvoEvent consumed, ArvoExecutionOptions options)
    {
        if (!ArvoActivities.Source.HasListeners())
        {
            return null;
        }

        var name = SpanOptions.SpanName?.Invoke(new ArvoSpanNameContext(Contract.Uri, consumed));
        return ExecutionTelemetry.StartExecutionSpan(
            string.IsNullOrEmpty(name) ? _defaultSpanName : name,
            SpanOptions.Kind ?? ActivityKind.Consumer,
            SpanOptions.Attributes,
            SpanKindValue,
            Source,
            Contract.Uri,
            consumed,
            options);
    }

    private static void SetTags(Activity activity, string prefix, ArvoEvent evt) => ExecutionTelemetry.SetEventTags(activity, prefix, evt);

    private static void Log(Activity activity, string level, string message) => ExecutionTelemetry.Log(activity, level, message);

    internal sealed record VersionFunction(
        Func<ArvoHandlerContext, ArvoHandlerResult>? Sync,
        Func<ArvoHandlerContext, ValueTask<ArvoHandlerResult>>? Async);

    private sealed record VersionEntry(VersionedArvoContract Version, ArvoEventFactory Factory, VersionFunction Function);
}
