using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Arvo.Events;
using Arvo.Handlers;
using Arvo.Internal;
using Arvo.Memory;
using Arvo.Subjects;
using Arvo.Telemetry;

namespace Arvo.Orchestration;

/// <summary>Which kind of orchestration runs the pipeline (span name, span kind attribute, execution type).</summary>
internal enum OrchestrationKind
{
    /// <summary><see cref="ArvoOrchestrator"/>: <c>Orchestrator&lt;uri&gt;@&lt;type&gt;</c>, <c>handler.orchestrator.statemachine</c>.</summary>
    StateMachine,

    /// <summary>The resumable: <c>Resumable&lt;uri&gt;@&lt;type&gt;</c>, <c>handler.orchestrator.imperative</c>.</summary>
    Imperative,
}

/// <summary>The fixed configuration of an <see cref="OrchestrationPipeline{TRecord}"/>.</summary>
/// <typeparam name="TRecord">The record kept in memory per workflow.</typeparam>
internal sealed record OrchestrationPipelineSettings<TRecord>
    where TRecord : class, IOrchestrationRecord
{
    /// <summary><c>arvo.orc.&lt;name&gt;</c>: the init type, the subjects' orchestrator name and the source of emitted events.</summary>
    public required string Source { get; init; }

    /// <summary>The self contract uri (span name, <c>arvo.contract.uri</c>).</summary>
    public required string SelfUri { get; init; }

    /// <summary>The default <c>executionunits</c> of emitted events.</summary>
    public required double ExecutionUnits { get; init; }

    /// <summary>Memory and locking.</summary>
    public required SyncEventResource<TRecord> Resource { get; init; }

    /// <summary>The default emission domains.</summary>
    public required ArvoEventEmissionDomains Domains { get; init; }

    /// <summary>The span options.</summary>
    public required ArvoSpanOptions SpanOptions { get; init; }

    /// <summary>Clock, id generator and serializer options of emitted events.</summary>
    public required ArvoEventCreationOptions CreationOptions { get; init; }

    /// <summary>The self contract version system errors are built with (first machine / latest version).</summary>
    public required VersionedArvoContract SystemErrorContract { get; init; }

    /// <summary>State machine or imperative.</summary>
    public required OrchestrationKind Kind { get; init; }

    /// <summary>How many consumed event ids each workflow's inbox remembers (<see cref="MachineMemoryInbox.DefaultCapacity"/>).</summary>
    public int InboxCapacity { get; init; } = MachineMemoryInbox.DefaultCapacity;

    /// <summary>
    /// How long an execution that holds the subject's lease may run before it is abandoned (measured with
    /// <see cref="ArvoEventCreationOptions.TimeProvider"/>); <see cref="Timeout.InfiniteTimeSpan"/> for no bound.
    /// </summary>
    public TimeSpan ExecutionTimeout { get; init; } = ArvoOrchestratorBuilder.DefaultExecutionTimeout;

    /// <summary>Whether answers must come from a service of the machine's contracts and be addressed to this orchestration.</summary>
    public bool StrictAnswerValidation { get; init; }

    /// <summary>
    /// The sources that may answer a workflow of a given version (the accepted event types of its service contracts),
    /// or null for a version this orchestration does not know (resolution reports it). Required for strict validation.
    /// </summary>
    public Func<string, IReadOnlySet<string>?> ServiceSources { get; init; } = static _ => null;
}

/// <summary>
/// One event through an orchestration: orchestrator.md section 7 (the pipeline, steps 1–18 with its catch and finally
/// blocks). The steps that differ between the state-machine orchestrator and the resumable (10–12) are delegated to an
/// <see cref="IOrchestrationCore{TRecord}"/>; what the stored record says (steps 6–7) is read from the record itself
/// (<see cref="IOrchestrationRecord"/>); every event that leaves the pipeline, emitted (section 8) or system error
/// (section 9), is built by its <see cref="EmittedEventBuilder"/>. Immutable and thread-safe.
/// </summary>
/// <typeparam name="TRecord">The record kept in memory per workflow.</typeparam>
internal sealed class OrchestrationPipeline<TRecord>
    where TRecord : class, IOrchestrationRecord
{
    private const string LockDeniedMessage = "Lock acquisition denied - Unable to obtain exclusive access to event processing";

    private static readonly ArvoExecutionOptions ChildSpanOptions = new() { InheritFrom = ArvoTraceParentSource.Context };

    private readonly IOrchestrationCore<TRecord> _core;
    private readonly SyncEventResource<TRecord> _resource;
    private readonly ArvoEventEmissionDomains _domains;
    private readonly ArvoSpanOptions _spanOptions;
    private readonly ArvoEventCreationOptions _creationOptions;
    private readonly EmittedEventBuilder _emitter;
    private readonly string _spanKind;
    private readonly string _executionType;
    private readonly string _spanNamePrefix;
    private readonly int _inboxCapacity;
    private readonly TimeSpan _executionTimeout;
    private readonly bool _strictAnswerValidation;
    private readonly Func<string, IReadOnlySet<string>?> _serviceSources;

    public OrchestrationPipeline(OrchestrationPipelineSettings<TRecord> settings, IOrchestrationCore<TRecord> core)
    {
        Source = settings.Source;
        SelfUri = settings.SelfUri;
        ExecutionUnits = settings.ExecutionUnits;
        _core = core;
        _resource = settings.Resource;
        _domains = settings.Domains;
        _spanOptions = settings.SpanOptions;
        _creationOptions = settings.CreationOptions;
        _emitter = new EmittedEventBuilder(settings.Source, settings.ExecutionUnits, settings.Domains, settings.CreationOptions, settings.SystemErrorContract);
        _inboxCapacity = settings.InboxCapacity;
        _executionTimeout = settings.ExecutionTimeout;
        _strictAnswerValidation = settings.StrictAnswerValidation;
        _serviceSources = settings.ServiceSources;
        (_spanKind, _executionType, _spanNamePrefix) = settings.Kind == OrchestrationKind.StateMachine
            ? ("handler.orchestrator.statemachine", "orchestrator", "Orchestrator<")
            : ("handler.orchestrator.imperative", "resumable", "Resumable<");
    }

    /// <summary><c>arvo.orc.&lt;name&gt;</c>.</summary>
    public string Source { get; }

    /// <summary>The self contract uri.</summary>
    public string SelfUri { get; }

    /// <summary>The default <c>executionunits</c> of emitted events.</summary>
    public double ExecutionUnits { get; }

    /// <summary>Memory and locking.</summary>
    public SyncEventResource<TRecord> Resource => _resource;

    /// <summary>The default emission domains.</summary>
    public ArvoEventEmissionDomains Domains => _domains;

    /// <summary>The span options.</summary>
    public ArvoSpanOptions SpanOptions => _spanOptions;

    /// <summary>Clock, id generator and serializer options of emitted events.</summary>
    public ArvoEventCreationOptions CreationOptions => _creationOptions;

    /// <summary>How long an execution holding the subject's lease may run.</summary>
    public TimeSpan ExecutionTimeout => _executionTimeout;

    /// <summary>Whether answers are checked against the machine's service contracts and the orchestration's source.</summary>
    public bool StrictAnswerValidation => _strictAnswerValidation;

    // ─────────────────────────────────────────────────────────────────────────────────────────────────────────────
    // Section 7 — the pipeline.
    // ─────────────────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Runs one event through the orchestration (orchestrator.md 7).</summary>
    public async ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent consumed, ArvoExecutionOptions options, CancellationToken cancellationToken)
    {
        // 1. Span (unmanaged: status and end are ours); its W3C headers go on every emitted event.
        using var activity = StartSpan(consumed, options);
        var (traceParent, traceState) = ArvoTelemetry.GetTraceHeaders(activity);
        var headers = new ArvoTraceHeaders(traceParent, traceState);
        ExecutionTelemetry.Log(activity, "INFO", $"Starting execution for {consumed.Type} on subject {consumed.Subject}");

        var owner = default(MachineMemoryLockToken);
        var acquired = AcquiredLockStatus.Noop;
        ExecutionDeadline? deadline = null;
        var token = cancellationToken;
        MachineMemoryEntry<TRecord>? entry = null;
        TRecord? record = null;
        ArvoOrchestrationSubjectContent? subject = null;
        string? parentSubject = null;
        string? initEventId = null;
        try
        {
            // ── Phase A ──
            // 2. Subject validation: it must be an orchestration subject.
            if (!ArvoOrchestrationSubject.TryParse(consumed.Subject, out subject))
            {
                throw SyncEventResource<TRecord>.InvalidSubject(consumed);
            }

            // 3. A subject naming another orchestrator is not ours: no lock, no read, nothing persisted.
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("arvo.parsed.subject.orchestrator.name", subject.Orchestrator.Name);
                activity.SetTag("arvo.parsed.subject.orchestrator.version", subject.Orchestrator.Version);
            }

            if (subject.Orchestrator.Name != Source)
            {
                ExecutionTelemetry.Log(
                    activity,
                    "WARNING",
                    $"Event subject mismatch detected. Expected orchestrator '{Source}' but subject names '{subject.Orchestrator.Name}'. This event is ignored.");
                return Completed(activity, [], ArvoExecutionOutcome.IgnoredOtherOrchestrator);
            }

            // 3a. Who may send it: an init's parentSubject$$ must be an orchestration subject (in strict mode, one of the
            // init's source); in strict mode an answer must come from a service of the machine and be addressed to us.
            CheckSender(consumed, subject);

            // 4. Lock the subject (when required).
            if (_resource.RequiresResourceLocking)
            {
                owner = MachineMemoryLockToken.NewToken();
            }

            acquired = await _resource.AcquireLockAsync(consumed, owner, cancellationToken).ConfigureAwait(false);
            if (acquired == AcquiredLockStatus.NotAcquired)
            {
                throw new TransactionViolation(TransactionViolationCause.LockUnacquired, LockDeniedMessage, consumed);
            }

            if (acquired == AcquiredLockStatus.Acquired)
            {
                ExecutionTelemetry.Log(activity, "INFO", $"Acquired lock for event (subject={consumed.Subject})");

                // 4a. The lease bounds the execution: it is abandoned before persisting once ExecutionTimeout (shorter
                // than the lease) has passed, so no write happens after another execution may have taken the lease.
                if (_executionTimeout != Timeout.InfiniteTimeSpan)
                {
                    deadline = new ExecutionDeadline(_executionTimeout, _creationOptions.TimeProvider, cancellationToken);
                    token = deadline.Token;
                }
            }

            // 5. Read the workflow record.
            entry = await _resource.AcquireStateAsync(consumed, token).ConfigureAwait(false);
            record = entry?.Record;

            // 5a. Inbox: an event this workflow already applied is not applied again; the events its first execution
            // emitted are returned (same ids), so a caller that crashed before publishing them can simply retry.
            if (entry is not null && entry.Inbox.TryGet(consumed.Id, out var applied))
            {
                ExecutionTelemetry.Log(activity, "INFO", $"Event id {consumed.Id} was already applied to this workflow; returning the events of its first execution");
                return Completed(activity, applied.Emitted as ArvoEvent[] ?? [.. applied.Emitted], ArvoExecutionOutcome.Replayed);
            }

            // 6. A failed workflow ignores every later event.
            if (record is not null && record.IsFailure)
            {
                if (activity is not null)
                {
                    activity.SetTag(ExecutionTelemetry.ExecutionStatusAttribute, "failure");
                    activity.SetStatus(
                        ActivityStatusCode.Error,
                        $"The orchestration has failed in a previous event. Ignoring event id: {consumed.Id} with event subject: {consumed.Subject}");
                }

                return Completed(activity, [], ArvoExecutionOutcome.IgnoredFailedWorkflow);
            }

            // 7. What the stored record knows about the workflow.
            parentSubject = record?.ParentSubject;
            initEventId = record?.InitEventId;

            // 8. New vs existing: only the init type may start a workflow.
            if (record is null && consumed.Type != Source)
            {
                ExecutionTelemetry.Log(activity, "WARNING", $"Invalid initialization event detected. Expected type '{Source}' but received '{consumed.Type}'.");
                return Completed(activity, [], ArvoExecutionOutcome.IgnoredNotInitialized);
            }

            ExecutionTelemetry.Log(activity, "INFO", record is null ? "Initializing new execution state" : "Resuming execution from the stored state");

            // 9. An init event names the parent workflow (also on an existing record: the reference overwrites it).
            if (consumed.Type == Source)
            {
                parentSubject = ParentSubjectOf(consumed);
            }

            // ── Phase B ──
            // 10–12. Resolve the logic for the subject's version, validate the event, run it.
            var step = await _core.ExecuteAsync(
                new OrchestrationCoreInput<TRecord>(consumed, subject, record, parentSubject, ChildSpanOptions, activity),
                token).ConfigureAwait(false);
            activity?.SetTag("arvo.orchestration.status", step.Status);

            // 13–15. The raw events, as returned, and the completion become routed events (section 8), in one stage.
            var emitted = _emitter.Build(new OrchestrationEmission(
                consumed, subject, step.Self, step.Services, step.Events, step.Output, parentSubject, initEventId ?? consumed.Id, headers));

            // 16. The new record.
            var newRecord = step.CreateRecord(new OrchestrationRecordInput(consumed, initEventId ?? consumed.Id, parentSubject, emitted));

            // ── Phase C ──
            // 17. Persist record, inbox and outbox in one write, compare-and-set on the version that was read.
            // The write is made only while the execution is within its timeout, and is cancelled when it runs out.
            token.ThrowIfCancellationRequested();
            ExecutionTelemetry.Log(activity, "INFO", "Persisting the execution state");
            await _resource.PersistStateAsync(consumed, NewWrite(entry, newRecord, consumed, emitted), token).ConfigureAwait(false);

            // 18. Return the emitted events.
            return Completed(activity, emitted, ArvoExecutionOutcome.Executed);
        }
        catch (Exception caught)
        {
            // An execution that ran out of its timeout is abandoned whatever it failed with: nothing more is written.
            var exception = caught is not ArvoViolation && deadline is { Expired: true } ? deadline.Violation(consumed, caught) : caught;
            if (activity is not null)
            {
                activity.SetTag(ExecutionTelemetry.ExecutionStatusAttribute, "failure");
                ArvoActivities.RecordFailure(activity, exception);
            }

            if (!ReferenceEquals(exception, caught))
            {
                throw exception;
            }

            // Violations (and cancellation) surface to the caller; nothing is persisted, the event can be retried.
            if (exception is ArvoViolation || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw;
            }

            // Any other error fails the workflow: system errors to the initiator (section 9), persisted with the failure record.
            var systemErrors = _emitter.BuildSystemErrors(consumed, subject, exception, parentSubject, initEventId, headers);
            await PersistFailureAsync(consumed, exception, entry, systemErrors, activity, deadline, token).ConfigureAwait(false);
            return Completed(activity, systemErrors, ArvoExecutionOutcome.Failed);
        }
        finally
        {
            // Release the lock if (and only if) this execution acquired it; errors are logged, never thrown.
            await _resource.ReleaseLockAsync(consumed, acquired, owner, CancellationToken.None).ConfigureAwait(false);
            deadline?.Dispose();
        }
    }

    /// <summary>Step 3a: the checks of who may send <paramref name="consumed"/>, before anything is locked or read.</summary>
    private void CheckSender(ArvoEvent consumed, ArvoOrchestrationSubjectContent subject)
    {
        if (consumed.Type == Source)
        {
            // A child's completion goes out under parentSubject$$: it must be a well-formed orchestration subject, and
            // in strict mode one of the orchestrator that sent the init (the parent sends its children's inits).
            if (ParentSubjectOf(consumed) is not { } parent)
            {
                return;
            }

            if (!ArvoOrchestrationSubject.TryParse(parent, out var parentSubject))
            {
                throw new ContractViolation(
                    $"Invalid parentSubject$$ of the init event (id={consumed.Id}, source='{consumed.Source}'): expected null or an ArvoOrchestrationSubject, received '{parent}'");
            }

            if (_strictAnswerValidation && parentSubject.Orchestrator.Name != consumed.Source)
            {
                throw new ContractViolation(
                    $"[Strict answer validation] The init event (id={consumed.Id}) names parentSubject$$ of orchestrator '{parentSubject.Orchestrator.Name}', but its source is '{consumed.Source}': only the parent orchestrator may start a child workflow under its subject");
            }

            return;
        }

        if (!_strictAnswerValidation)
        {
            return;
        }

        if (consumed.To != Source)
        {
            throw new ContractViolation(
                $"[Strict answer validation] The event (id={consumed.Id}, type={consumed.Type}, source='{consumed.Source}') is addressed to '{consumed.To}', expected to '{Source}'");
        }

        if (_serviceSources(subject.Orchestrator.Version) is { } sources && !sources.Contains(consumed.Source))
        {
            throw new ContractViolation(
                $"[Strict answer validation] The event (id={consumed.Id}, type={consumed.Type}) has source '{consumed.Source}', which is not a service of '{Source}' version {subject.Orchestrator.Version}; expected one of: {string.Join(", ", sources.Order(StringComparer.Ordinal))}");
        }
    }

    private Activity? StartSpan(ArvoEvent consumed, ArvoExecutionOptions options)
    {
        if (!ArvoActivities.Source.HasListeners())
        {
            return null;
        }

        var name = _spanOptions.SpanName?.Invoke(new ArvoSpanNameContext(SelfUri, consumed));
        if (string.IsNullOrEmpty(name))
        {
            name = _spanNamePrefix + SelfUri + ">@" + consumed.Type;
        }

        var activity = ExecutionTelemetry.StartExecutionSpan(name, _spanOptions.Kind ?? ActivityKind.Producer, _spanOptions.Attributes, _spanKind, Source, SelfUri, consumed, options);
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Ok);
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(ExecutionTelemetry.ExecutionTypeAttribute, _executionType);
                activity.SetTag(ExecutionTelemetry.ExecutionStatusAttribute, "normal");
                ExecutionTelemetry.SetEventTags(activity, "consumable.0.", consumed);
            }
        }

        return activity;
    }

    private static string? ParentSubjectOf(ArvoEvent consumed) =>
        consumed.Data.ValueKind == JsonValueKind.Object
        && consumed.Data.TryGetProperty(ArvoOrchestratorContract.ParentSubjectProperty, out var parent)
        && parent.ValueKind == JsonValueKind.String
            ? parent.GetString()
            : null;

    private MachineMemoryWrite<TRecord> NewWrite(MachineMemoryEntry<TRecord>? entry, TRecord record, ArvoEvent consumed, ArvoEvent[] emitted) => new()
    {
        Record = record,
        ExpectedVersion = entry?.Version ?? 0,
        Inbox = (entry?.Inbox ?? MachineMemoryInbox.Empty).Append(consumed.Id, emitted, _inboxCapacity),
        Outbox = emitted,
    };

    private async ValueTask PersistFailureAsync(
        ArvoEvent consumed,
        Exception exception,
        MachineMemoryEntry<TRecord>? entry,
        ArvoEvent[] systemErrors,
        Activity? activity,
        ExecutionDeadline? deadline,
        CancellationToken cancellationToken)
    {
        try
        {
            // Compare-and-set against the version that was read (the reference passes null).
            var write = NewWrite(entry, _core.CreateFailureRecord(consumed.Subject, exception), consumed, systemErrors);
            await _resource.PersistStateAsync(consumed, write, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException cancelled) when (deadline is { Expired: true })
        {
            // Out of time during the failure write: abandoned like any other write (retry the event).
            throw deadline.Violation(consumed, cancelled);
        }
#pragma warning disable CA1031 // The reference only logs a failed failure-record write; the system errors are still returned.
        catch (Exception writeError)
#pragma warning restore CA1031
        {
            ExecutionTelemetry.Log(activity, "CRITICAL", $"Failed to persist the failure state of the orchestration (subject={consumed.Subject}): {writeError.Message}");
        }
    }

    private static ArvoExecutionResult Completed(Activity? activity, ArvoEvent[] emitted, ArvoExecutionOutcome outcome)
    {
        if (activity is { IsAllDataRequested: true })
        {
            for (var i = 0; i < emitted.Length; i++)
            {
                ExecutionTelemetry.SetEventTags(activity, "emittables." + i.ToString(CultureInfo.InvariantCulture) + ".", emitted[i]);
            }

            ExecutionTelemetry.Log(activity, "INFO", "Execution completed with issues and emitted " + emitted.Length.ToString(CultureInfo.InvariantCulture) + " events");
        }

        return ArvoExecutionResult.From(emitted, outcome);
    }

    /// <summary>
    /// The bound on one leased execution: a token cancelled after the execution timeout (on the orchestration's clock) or
    /// when the caller cancels, and the <see cref="TransactionViolation"/> an execution that ran out of time ends with.
    /// </summary>
    private sealed class ExecutionDeadline : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly CancellationTokenRegistration _caller;
        private readonly CancellationToken _callerToken;
        private readonly TimeSpan _timeout;

        public ExecutionDeadline(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
        {
            _timeout = timeout;
            _callerToken = cancellationToken;
            _source = new CancellationTokenSource(timeout, timeProvider);
            _caller = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _source);
        }

        public CancellationToken Token => _source.Token;

        /// <summary>True when the timeout (not the caller) cancelled the execution.</summary>
        public bool Expired => _source.IsCancellationRequested && !_callerToken.IsCancellationRequested;

        public TransactionViolation Violation(ArvoEvent consumed, Exception cause) => new(
            TransactionViolationCause.ExecutionTimeout,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Execution timeout - the execution of event (id={consumed.Id}, subject={consumed.Subject}) held the lock for longer than its execution timeout of {_timeout.TotalMilliseconds} ms and was abandoned before persisting, so nothing is written after the lease may have expired. Nothing was persisted and the lock was released; retry the event, or raise the execution timeout together with the memory's lock time-to-live."),
            consumed,
            new TimeoutException(
                string.Create(CultureInfo.InvariantCulture, $"The execution exceeded its execution timeout of {_timeout.TotalMilliseconds} ms"),
                cause));

        public void Dispose()
        {
            _caller.Dispose();
            _source.Dispose();
        }
    }
}
