using System.Text.Json;
using Arvo.Contracts;
using Arvo.Events;
using Arvo.Handlers;
using Arvo.Memory;
using Arvo.Orchestration;
using Arvo.Resumable;
using Arvo.Telemetry;

namespace Arvo;

/// <summary>
/// An imperative workflow (reference <c>ArvoResumable</c>, resumable.md): one handler function per version of an
/// orchestrator contract instead of a state machine. For every event it locks the workflow's subject (when required),
/// reads the stored <see cref="ArvoResumableState"/>, collects the response into the expected-event map, calls the
/// handler of the subject's version with the stored context and the collected responses, turns the returned service
/// events and output into routed <see cref="ArvoEvent"/>s, persists the new record and returns the events.
/// Immutable and thread-safe; build it once with <see cref="CreateBuilder{TContext}"/>.
/// </summary>
/// <remarks>
/// <para>The pipeline (orchestrator.md section 7: span, subject check, lock, read, failure record, init check, parent
/// subject, raw events → events, completion, child subjects, domains, persist, system errors, release) is the one
/// <see cref="ArvoOrchestrator"/> runs; this class contributes the steps of resumable.md 4: resolve the handler,
/// validate the event, skip a finished workflow, collect the response, call the handler, build the record.</para>
/// <para>Outcomes are the orchestrator's: violations are thrown and leave memory untouched; any other failure (a
/// throwing handler) stores a failure record and returns <c>sys.arvo.orc.&lt;name&gt;.error</c> events.</para>
/// <para>Port decision (spec README bug 9, scenario X-8): an init event whose dataschema names a version the self
/// contract does not declare (including the wildcard <c>0.0.0</c>) is a <see cref="ContractViolation"/>; the reference
/// fails the workflow instead.</para>
/// </remarks>
public sealed class ArvoResumable : IArvoOutboxHandler
{
    /// <summary>The status of an active workflow.</summary>
    public const string ActiveStatus = "active";

    /// <summary>The status of a completed workflow.</summary>
    public const string DoneStatus = "done";

    private readonly OrchestrationPipeline<ArvoResumableState> _pipeline;

    private ArvoResumable(
        ArvoOrchestratorContract self,
        IReadOnlyDictionary<string, VersionedArvoContract> services,
        IMachineMemory<ArvoResumableState> memory,
        IReadOnlyList<string> versions,
        ResumableSettings options,
        IOrchestrationCore<ArvoResumableState> core)
    {
        Self = self;
        Services = services;
        HandlerVersions = versions;
        _pipeline = new OrchestrationPipeline<ArvoResumableState>(
            new OrchestrationPipelineSettings<ArvoResumableState>
            {
                Source = self.Type,
                SelfUri = self.Uri,
                ExecutionUnits = options.ExecutionUnits,
                Resource = new SyncEventResource<ArvoResumableState>(memory, options.RequiresResourceLocking),
                Domains = options.Domains,
                SpanOptions = options.SpanOptions,
                CreationOptions = options.CreationOptions,
                SystemErrorContract = self.Latest,
                Kind = OrchestrationKind.Imperative,
                InboxCapacity = options.InboxCapacity,
                ExecutionTimeout = options.ExecutionTimeout,
                StrictAnswerValidation = options.StrictAnswerValidation,
                ServiceSources = ArvoOrchestratorBuilder.ServiceSources(services.Values, versions),
            },
            core);
    }

    /// <inheritdoc />
    /// <remarks><c>arvo.orc.&lt;name&gt;</c>: the self contract's init type.</remarks>
    public string Source => _pipeline.Source;

    /// <summary>The self contract's domain.</summary>
    public string? Domain => Self.Domain;

    /// <inheritdoc />
    public ArvoContractSystemError SystemErrorSchema => Self.SystemError;

    /// <summary>The self orchestrator contract (all versions).</summary>
    public ArvoOrchestratorContract Self { get; }

    /// <summary>The service contract versions by name.</summary>
    public IReadOnlyDictionary<string, VersionedArvoContract> Services { get; }

    /// <summary>The versions that have a handler.</summary>
    public IReadOnlyList<string> HandlerVersions { get; }

    /// <summary>The <c>executionunits</c> stamped on emitted events unless a raw event or the output overrides them.</summary>
    public double ExecutionUnits => _pipeline.ExecutionUnits;

    /// <summary>The workflow memory.</summary>
    public IMachineMemory<ArvoResumableState> Memory => _pipeline.Resource.Memory;

    /// <inheritdoc />
    public IMachineMemoryOutbox Outbox => _pipeline.Resource.Memory;

    /// <summary>Whether every execution holds the subject's lock.</summary>
    public bool RequiresResourceLocking => _pipeline.Resource.RequiresResourceLocking;

    /// <summary>The domains of events that name none.</summary>
    public ArvoEventEmissionDomains DefaultEventEmissionDomains => _pipeline.Domains;

    /// <summary>The span kind, attributes and name override.</summary>
    public ArvoSpanOptions SpanOptions => _pipeline.SpanOptions;

    /// <summary>The clock, id generator and serializer options used for emitted events and the context.</summary>
    public ArvoEventCreationOptions CreationOptions => _pipeline.CreationOptions;

    /// <summary>How long an execution holding the subject's lock may run (see <see cref="ArvoOrchestratorBuilder.ExecutionTimeout"/>).</summary>
    public TimeSpan ExecutionTimeout => _pipeline.ExecutionTimeout;

    /// <summary>Whether answers are validated strictly (see <see cref="ArvoOrchestratorBuilder.StrictAnswerValidation"/>).</summary>
    public bool StrictAnswerValidation => _pipeline.StrictAnswerValidation;

    /// <summary>
    /// Starts a builder for a resumable over <paramref name="self"/> (reference <c>createArvoResumable</c>): give it the
    /// memory (<see cref="ArvoResumableBuilder{TContext}.Memory"/>), the services
    /// (<see cref="ArvoResumableBuilder{TContext}.Service"/>) and one handler per version
    /// (<see cref="ArvoResumableBuilder{TContext}.Version(string, ArvoResumableHandler{TContext})"/>), then call
    /// <see cref="ArvoResumableBuilder{TContext}.Build"/>.
    /// </summary>
    /// <typeparam name="TContext">The handler-owned context, stored as JSON (<c>state$$</c>) between calls.</typeparam>
    /// <param name="self">The orchestrator contract (all versions).</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="self"/> is null.</exception>
    public static ArvoResumableBuilder<TContext> CreateBuilder<TContext>(ArvoOrchestratorContract self)
        where TContext : class
    {
        ArgumentNullException.ThrowIfNull(self);
        return new ArvoResumableBuilder<TContext>(self);
    }

    /// <summary>
    /// Checks the services of a resumable (resumable.md 1: unique names and URIs, not the self contract) and returns
    /// them by name, in registration order.
    /// </summary>
    internal static Dictionary<string, VersionedArvoContract> CheckServices(
        ArvoOrchestratorContract self, IReadOnlyList<KeyValuePair<string, VersionedArvoContract>> services)
    {
        var byName = new Dictionary<string, VersionedArvoContract>(services.Count, StringComparer.Ordinal);
        var byUri = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, contract) in services)
        {
            if (byName.ContainsKey(name))
            {
                throw new ConfigViolation($"In ArvoResumable, the service name '{name}' is registered twice");
            }

            if (byUri.TryGetValue(contract.Uri, out var existing))
            {
                throw new ConfigViolation(
                    $"In ArvoResumable, the service contracts must have unique URIs. Multiple versions of the same contract are not allow. The contracts '{name}' and '{existing}' have the same URI '{contract.Uri}'");
            }

            if (contract.Uri == self.Uri)
            {
                throw new ConfigViolation(
                    $"In ArvoResumable, Circular dependency detected: Machine with URI '{self.Uri}' is registered as service '{name}'. Self-referential services create execution loops and are prohibited.");
            }

            byUri.Add(contract.Uri, name);
            byName.Add(name, contract);
        }

        return byName;
    }

    /// <summary>Creates a resumable from checked parts (<see cref="ArvoResumableBuilder{TContext}.Build"/>).</summary>
    internal static ArvoResumable FromParts<TContext>(
        ArvoOrchestratorContract self,
        Dictionary<string, VersionedArvoContract> services,
        IMachineMemory<ArvoResumableState> memory,
        Dictionary<string, ArvoResumableHandler<TContext>> handlers,
        IReadOnlyList<string> versions,
        ResumableSettings settings)
        where TContext : class
    {
        var byAcceptType = new Dictionary<string, VersionedArvoContract>(StringComparer.Ordinal);
        foreach (var contract in services.Values)
        {
            byAcceptType[contract.Accepts.Type] = contract;
        }

        var core = new ResumableCore<TContext>(self, services, byAcceptType, handlers, settings.CreationOptions.SerializerOptions);
        return new ArvoResumable(self, services, memory, versions, settings, core);
    }

    /// <inheritdoc />
    /// <exception cref="ExecutionViolation">The subject is not an orchestration subject, or a child init carries an invalid <c>parentSubject$$</c>.</exception>
    /// <exception cref="TransactionViolation">
    /// The memory failed to lock, read or write, another execution holds the lock, or the execution ran out of its
    /// <see cref="ExecutionTimeout"/> (<c>EXECUTION_TIMEOUT</c>, <c>Execution timeout - …</c>).
    /// </exception>
    /// <exception cref="ConfigViolation">
    /// No handler for the subject's version (<c>Handler resolution failed: …</c>), or the event matches none of the
    /// contracts (<c>… in the resumable</c>).
    /// </exception>
    /// <exception cref="ContractViolation">
    /// The event or an emitted event does not satisfy its contract, an init names an undeclared version or a
    /// <c>parentSubject$$</c> that is not an orchestration subject, or (with <see cref="StrictAnswerValidation"/>)
    /// the event's sender or <c>to</c> is not allowed.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        return _pipeline.ExecuteAsync(arvoEvent, options ?? ArvoExecutionOptions.Default, cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => $"ArvoResumable(source={Source}, versions={string.Join(", ", HandlerVersions)})";

    /// <summary>resumable.md 4, steps 1–6 and 9, and the <see cref="ArvoResumableState"/> shapes.</summary>
    private sealed class ResumableCore<TContext>(
        ArvoOrchestratorContract self,
        IReadOnlyDictionary<string, VersionedArvoContract> services,
        IReadOnlyDictionary<string, VersionedArvoContract> servicesByAcceptType,
        IReadOnlyDictionary<string, ArvoResumableHandler<TContext>> handlers,
        JsonSerializerOptions serializerOptions) : IOrchestrationCore<ArvoResumableState>
        where TContext : class
    {
        private static readonly IReadOnlyDictionary<string, IReadOnlyList<ArvoEvent>> NoEvents = new Dictionary<string, IReadOnlyList<ArvoEvent>>();

        private readonly JsonSerializerOptions _serializerOptions = serializerOptions;
        private readonly VersionedArvoContract[] _serviceList = [.. services.Values];

        public ArvoResumableState CreateFailureRecord(string subject, Exception error) => new()
        {
            ExecutionStatus = MachineExecutionStatus.Failure,
            Subject = subject,
            Error = MachineMemoryError.FromException(error),
        };

        public async ValueTask<OrchestrationCoreResult<ArvoResumableState>> ExecuteAsync(OrchestrationCoreInput<ArvoResumableState> input, CancellationToken cancellationToken)
        {
            var consumed = input.Event;
            var version = input.Subject.Orchestrator.Version;

            // 1. The handler of the subject's version.
            if (!handlers.TryGetValue(version, out var handler) || !self.TryGetVersion(version, out var selfVersion))
            {
                throw new ConfigViolation(
                    $"Handler resolution failed: No handler found matching orchestrator name='{input.Subject.Orchestrator.Name}' and version='{version}'.");
            }

            // 2. Validate against the unversioned self contract and the services (an undeclared init version is a ContractViolation).
            ExecutionTelemetry.Log(input.Activity, "INFO", $"Input validation started for event {consumed.Type} on resumable {self.Type}@{version}");
            var validation = ArvoContractResolver.ValidateInput(consumed.Id, consumed.Type, consumed.DataSchema, consumed.Data, self, _serviceList);
            if (validation.ToViolation("resumable") is { } violation)
            {
                throw violation;
            }

            var record = input.Record;

            // 3. A finished workflow: the handler is not called, the record is written back unchanged.
            if (record is { IsDone: true })
            {
                ExecutionTelemetry.Log(input.Activity, "INFO", "The workflow is already done; the event is ignored");
                return new ResumableStep(_ => record)
                {
                    Self = selfVersion,
                    Services = servicesByAcceptType,
                    Events = [],
                    Status = DoneStatus,
                };
            }

            // 4. Collect the response under the emitted event it answers.
            var expected = record?.Events?.Expected;
            if (expected is not null && consumed.ParentId is { } parentId && expected.TryGetValue(parentId, out var answers))
            {
                var updated = new Dictionary<string, IReadOnlyList<ArvoEvent>>(expected.Count, StringComparer.Ordinal);
                foreach (var (id, list) in expected)
                {
                    updated.Add(id, id == parentId ? [.. answers, consumed] : list);
                }

                expected = updated;
            }

            // 5–6. Group the collected responses by type (request order) and call the handler.
            var isInit = consumed.Type == self.Type;
            var context = record?.State is { ValueKind: not JsonValueKind.Null } stored ? stored.Deserialize<TContext>(_serializerOptions) : null;
            var (traceParent, traceState) = ArvoTelemetry.GetTraceHeaders(input.Activity);
            var handlerContext = new ArvoResumableContext<TContext>(
                isInit ? consumed : null,
                isInit ? null : consumed,
                context,
                record,
                Collect(expected),
                new ArvoHandlerDomains(self.Domain, consumed.Domain),
                new ArvoResumableContracts(selfVersion, services),
                input.Activity,
                new ArvoTraceHeaders(traceParent, traceState),
                _serializerOptions,
                cancellationToken);
            var result = await handler(handlerContext).ConfigureAwait(false) ?? new ArvoResumableResult<TContext>();
            ExecutionTelemetry.Log(input.Activity, "INFO", "Resumable handler execution completed");

            // 7–9. Raw events and output go, as returned, to the one emission stage; the record is built from what it emitted.
            var output = result.Output;
            var state = result.Context is not null
                ? JsonSerializer.SerializeToElement(result.Context, _serializerOptions)
                : record?.State;
            var status = output is null ? ActiveStatus : DoneStatus;
            var previousExpected = expected;
            return new ResumableStep(recordInput => new ArvoResumableState
            {
                ExecutionStatus = MachineExecutionStatus.Normal,
                Status = status,
                InitEventId = recordInput.InitEventId,
                ParentSubject = recordInput.ParentSubject,
                Subject = recordInput.Consumed.Subject,
                Events = new ArvoResumableEvents
                {
                    Consumed = recordInput.Consumed,
                    Produced = recordInput.Emitted,
                    Expected = recordInput.Emitted.Count > 0 ? ExpectNew(recordInput.Emitted) : previousExpected,
                },
                State = state,
            })
            {
                Self = selfVersion,
                Services = servicesByAcceptType,
                Events = result.Services ?? [],
                Output = output,
                Status = status,
            };
        }

        private static IReadOnlyDictionary<string, IReadOnlyList<ArvoEvent>> Collect(IReadOnlyDictionary<string, IReadOnlyList<ArvoEvent>>? expected)
        {
            if (expected is null || expected.Count == 0)
            {
                return NoEvents;
            }

            Dictionary<string, List<ArvoEvent>>? byType = null;
            foreach (var list in expected.Values)
            {
                foreach (var evt in list)
                {
                    byType ??= new Dictionary<string, List<ArvoEvent>>(StringComparer.Ordinal);
                    if (!byType.TryGetValue(evt.Type, out var group))
                    {
                        byType.Add(evt.Type, group = []);
                    }

                    group.Add(evt);
                }
            }

            return byType is null ? NoEvents : byType.ToDictionary(p => p.Key, p => (IReadOnlyList<ArvoEvent>)p.Value, StringComparer.Ordinal);
        }

        private static Dictionary<string, IReadOnlyList<ArvoEvent>> ExpectNew(IReadOnlyList<ArvoEvent> emitted)
        {
            var map = new Dictionary<string, IReadOnlyList<ArvoEvent>>(emitted.Count, StringComparer.Ordinal);
            foreach (var evt in emitted)
            {
                map[evt.Id] = [];
            }

            return map;
        }
    }

    /// <summary>The handler's outcome and the record it produces.</summary>
    private sealed class ResumableStep(Func<OrchestrationRecordInput, ArvoResumableState> createRecord) : OrchestrationCoreResult<ArvoResumableState>
    {
        public override ArvoResumableState CreateRecord(in OrchestrationRecordInput input) => createRecord(input);
    }
}
