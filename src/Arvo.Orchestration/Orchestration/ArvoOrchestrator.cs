using Arvo.Contracts;
using Arvo.Events;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Orchestration;
using Arvo.Telemetry;

namespace Arvo;

/// <summary>
/// Runs versioned state machines (<see cref="ArvoMachine"/>) as event-driven workflows (reference
/// <c>ArvoOrchestrator</c>, orchestrator.md 6–15): for every event it locks the workflow's subject (when required),
/// reads the stored record, runs the machine of the subject's version from the stored snapshot, turns the machine's raw
/// events and completion into routed <see cref="ArvoEvent"/>s, persists the new record and returns the events.
/// Immutable and thread-safe; build it once with <see cref="CreateBuilder"/>.
/// </summary>
/// <remarks>
/// <para>The pipeline itself (orchestrator.md section 7, steps 1–18) lives in <c>OrchestrationPipeline</c>, shared
/// with the resumable; this class contributes steps 10–12: resolve the machine, validate the event, run the engine.</para>
/// <para>Outcomes: violations (<see cref="ExecutionViolation"/>, <see cref="ConfigViolation"/>,
/// <see cref="ContractViolation"/>, <see cref="TransactionViolation"/>) are thrown and leave memory untouched, so the
/// event can be retried. Any other failure inside the machine marks the workflow failed (a
/// <see cref="MachineMemoryFailureRecord"/>) and returns <c>sys.arvo.orc.&lt;name&gt;.error</c> events to the
/// workflow's initiator; later events of that workflow are ignored.</para>
/// <para>Port decisions: domains are de-duplicated after resolution (O-17); a machine reaching a final state always
/// completes once, also with an empty output (E-4); failure records are written compare-and-set against the record
/// that was read and store <c>{name, message, stack}</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// var memory = new SimpleMachineMemory&lt;MachineMemoryRecord&gt;();
/// var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(counterMachine).Build();
/// var broker = SimpleEventBroker.Create([orchestrator, incrementHandler]);
/// var done = await broker.ResolveAsync(initEvent); // arvo.orc.counter.done
/// </code>
/// </example>
public sealed class ArvoOrchestrator : IArvoOutboxHandler
{
    private readonly OrchestrationPipeline<MachineMemoryRecord> _pipeline;

    internal ArvoOrchestrator(
        IMachineMemory<MachineMemoryRecord> memory,
        double executionUnits,
        IMachineRegistry registry,
        IMachineExecutionEngine executionEngine,
        bool requiresResourceLocking,
        ArvoEventEmissionDomains domains,
        ArvoSpanOptions spanOptions,
        ArvoEventCreationOptions creationOptions,
        int inboxCapacity,
        TimeSpan executionTimeout,
        bool strictAnswerValidation)
    {
        var representative = registry.Machines[0];
        Registry = registry;
        ExecutionEngine = executionEngine;
        Domain = representative.Self.Domain;
        SystemErrorSchema = representative.Self.SystemError;
        _pipeline = new OrchestrationPipeline<MachineMemoryRecord>(
            new OrchestrationPipelineSettings<MachineMemoryRecord>
            {
                Source = representative.Source,
                SelfUri = representative.Self.Uri,
                ExecutionUnits = executionUnits,
                Resource = new SyncEventResource<MachineMemoryRecord>(memory, requiresResourceLocking),
                Domains = domains,
                SpanOptions = spanOptions,
                CreationOptions = creationOptions,
                SystemErrorContract = representative.Self,
                Kind = OrchestrationKind.StateMachine,
                InboxCapacity = inboxCapacity,
                ExecutionTimeout = executionTimeout,
                StrictAnswerValidation = strictAnswerValidation,
                ServiceSources = ArvoOrchestratorBuilder.ServiceSources(registry.Machines),
            },
            new MachineCore(registry, executionEngine));
    }

    /// <inheritdoc />
    /// <remarks><c>arvo.orc.&lt;name&gt;</c>: the machines' init type.</remarks>
    public string Source => _pipeline.Source;

    /// <summary>The self contract's domain (of the first machine).</summary>
    public string? Domain { get; }

    /// <inheritdoc />
    /// <remarks><c>sys.arvo.orc.&lt;name&gt;.error</c> of the first machine's self contract.</remarks>
    public ArvoContractSystemError SystemErrorSchema { get; }

    /// <summary>The <c>executionunits</c> stamped on emitted events unless a raw event or the output overrides them.</summary>
    public double ExecutionUnits => _pipeline.ExecutionUnits;

    /// <summary>The workflow memory.</summary>
    public IMachineMemory<MachineMemoryRecord> Memory => _pipeline.Resource.Memory;

    /// <inheritdoc />
    public IMachineMemoryOutbox Outbox => _pipeline.Resource.Memory;

    /// <summary>Whether every execution holds the subject's lock.</summary>
    public bool RequiresResourceLocking => _pipeline.Resource.RequiresResourceLocking;

    /// <summary>Picks the machine for an event's subject; <see cref="IMachineRegistry.Machines"/>[0] is the representative.</summary>
    public IMachineRegistry Registry { get; }

    /// <summary>Runs the machines.</summary>
    public IMachineExecutionEngine ExecutionEngine { get; }

    /// <summary>The domains of events that name none.</summary>
    public ArvoEventEmissionDomains DefaultEventEmissionDomains => _pipeline.Domains;

    /// <summary>The span kind, attributes and name overrides.</summary>
    public ArvoSpanOptions SpanOptions => _pipeline.SpanOptions;

    /// <summary>The clock, id generator and serializer options used for emitted events.</summary>
    public ArvoEventCreationOptions CreationOptions => _pipeline.CreationOptions;

    /// <summary>How long an execution holding the subject's lock may run (see <see cref="ArvoOrchestratorBuilder.ExecutionTimeout"/>).</summary>
    public TimeSpan ExecutionTimeout => _pipeline.ExecutionTimeout;

    /// <summary>Whether answers are validated strictly (see <see cref="ArvoOrchestratorBuilder.StrictAnswerValidation"/>).</summary>
    public bool StrictAnswerValidation => _pipeline.StrictAnswerValidation;

    /// <summary>
    /// Starts a builder for an orchestrator (reference <c>createArvoOrchestrator</c>): give it the memory
    /// (<see cref="ArvoOrchestratorBuilder.Memory"/>) and the machines (<see cref="ArvoOrchestratorBuilder.Machines"/>,
    /// versions of one orchestrator contract; locking is then required iff any machine requires it) or a custom
    /// registry, then call <see cref="ArvoOrchestratorBuilder.Build"/>.
    /// </summary>
    /// <returns>A new builder.</returns>
    public static ArvoOrchestratorBuilder CreateBuilder() => new();

    /// <inheritdoc />
    /// <exception cref="ExecutionViolation">
    /// The subject is not an orchestration subject; an action threw it; or a child init carries an invalid
    /// <c>parentSubject$$</c> (<c>[Emittable Event Creation] Invalid parentSubject$$ …</c>).
    /// </exception>
    /// <exception cref="TransactionViolation">
    /// The memory failed to lock, read or write, another execution holds the lock (<c>LOCK_UNACQUIRED</c>), or the
    /// execution ran out of its <see cref="ExecutionTimeout"/> (<c>EXECUTION_TIMEOUT</c>, <c>Execution timeout - …</c>).
    /// </exception>
    /// <exception cref="ConfigViolation">No machine for the subject's name and version, or the event matches none of the machine's contracts.</exception>
    /// <exception cref="ContractViolation">
    /// The event or an emitted event does not satisfy its contract; an init's <c>parentSubject$$</c> is not an
    /// orchestration subject; or, with <see cref="StrictAnswerValidation"/>, the event's sender or <c>to</c> is not allowed.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled during memory I/O.</exception>
    public ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        return _pipeline.ExecuteAsync(arvoEvent, options ?? ArvoExecutionOptions.Default, cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => $"ArvoOrchestrator(source={Source}, versions={string.Join(", ", Registry.Machines.Select(m => m.Version))})";

    /// <summary>Steps 10–12 for state machines, and the <see cref="MachineMemoryRecord"/> shapes.</summary>
    private sealed class MachineCore(IMachineRegistry registry, IMachineExecutionEngine engine) : IOrchestrationCore<MachineMemoryRecord>
    {
        public MachineMemoryRecord CreateFailureRecord(string subject, Exception error) =>
            new MachineMemoryFailureRecord { Subject = subject, Error = MachineMemoryError.FromException(error) };

        public ValueTask<OrchestrationCoreResult<MachineMemoryRecord>> ExecuteAsync(OrchestrationCoreInput<MachineMemoryRecord> input, CancellationToken cancellationToken)
        {
            // 10. Resolve the machine by the subject's orchestrator name and version.
            var orchestrator = input.Subject.Orchestrator;
            var machine = registry.Resolve(input.Event, input.Subject, input.ChildSpanOptions) ?? throw new ConfigViolation(
                $"Machine resolution failed: No machine found matching orchestrator name='{orchestrator.Name}' and version='{orchestrator.Version}'.");

            // 11. Validate the event against the machine's self and service contracts.
            ExecutionTelemetry.Log(input.Activity, "INFO", $"Input validation started for event {input.Event.Type} on machine {machine.Source}@{machine.Version}");
            if (machine.ValidateInput(input.Event).ToViolation("machine") is { } violation)
            {
                throw violation;
            }

            // 12. Run the machine from the stored snapshot (none for a new workflow).
            var snapshot = input.Record is MachineMemoryStateRecord stored ? ArvoMachineSnapshot.Parse(stored.State) : null;
            var result = engine.Execute(machine, snapshot, input.Event, input.ChildSpanOptions);
            ExecutionTelemetry.Log(input.Activity, "INFO", "Machine execution completed");
            return ValueTask.FromResult<OrchestrationCoreResult<MachineMemoryRecord>>(new MachineStep
            {
                Self = machine.Self,
                Services = machine.ServicesByAcceptType,
                Events = result.Events,
                Output = result.FinalOutput,
                Status = result.Snapshot.StatusText,
                Snapshot = result.Snapshot,
                Definition = machine.Definition,
            });
        }
    }

    /// <summary>The engine's outcome and the normal record it produces (orchestrator.md 13).</summary>
    internal sealed class MachineStep : OrchestrationCoreResult<MachineMemoryRecord>
    {
        public required ArvoMachineSnapshot Snapshot { get; init; }

        /// <summary>The machine's JSON definition (<see cref="ArvoMachine.Definition"/>, written once per machine), stored as <c>machineDefinition</c>.</summary>
        public required string Definition { get; init; }

        public override MachineMemoryRecord CreateRecord(in OrchestrationRecordInput input)
        {
            // The run wrote the snapshot once and parsed it into a document that owns its bytes: the record's state
            // and its "value" member (same JSON as ValueToJson: the state name, or { parallel: { region: state } })
            // are that document. A snapshot made otherwise (an ignored event on a done machine) is written here.
            var state = Snapshot.Json ?? SnapshotScratch.WriteAndParse(Snapshot, static (writer, snapshot) => snapshot.WriteTo(writer));
            return new MachineMemoryStateRecord
            {
                Subject = input.Consumed.Subject,
                InitEventId = input.InitEventId,
                ParentSubject = input.ParentSubject,
                Status = Snapshot.StatusText,
                Value = state.GetProperty(ArvoMachineSnapshot.ValueProperty),
                State = state,
                Events = new MachineMemoryEvents { Consumed = input.Consumed, Produced = input.Emitted },
                MachineDefinition = Definition,
            };
        }
    }
}
