using System.Collections.Frozen;
using System.Diagnostics;
using Arvo.Events;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;

namespace Arvo.Orchestration;

/// <summary>
/// Configures an <see cref="ArvoOrchestrator"/> (reference <c>createArvoOrchestrator</c> options and the custom
/// <c>new ArvoOrchestrator({...})</c> constructor, spec README D13). Not thread-safe; the orchestrator
/// <see cref="Build"/> returns is immutable, thread-safe and unaffected by later changes to the builder. Start with
/// <see cref="ArvoOrchestrator.CreateBuilder"/>.
/// </summary>
/// <example>
/// <code>
/// var orchestrator = ArvoOrchestrator.CreateBuilder()
///     .Memory(memory)
///     .ExecutionUnits(0.1)
///     .Machines(machineV001, machineV002)
///     .DefaultEventEmissionDomains(new ArvoEventEmissionDomains { SystemError = [ArvoDomain.FromTriggeringEvent] })
///     .Build();
/// </code>
/// </example>
public sealed class ArvoOrchestratorBuilder
{
    /// <summary>
    /// The default <see cref="ExecutionTimeout"/>: 4 seconds, one second less than the default lock time-to-live of the
    /// stores (<see cref="SimpleMachineMemoryOptions.DefaultLockTimeToLive"/>, 5 s).
    /// </summary>
    public static readonly TimeSpan DefaultExecutionTimeout = TimeSpan.FromSeconds(4);

    private const string NoMachinesMessage = "At least one machine must be provided";

    private readonly List<ArvoMachine> _machines = [];
    private IMachineMemory<MachineMemoryRecord>? _memory;
    private double _executionUnits;
    private IMachineRegistry? _registry;
    private IMachineExecutionEngine? _engine;
    private bool? _requiresResourceLocking;
    private ArvoEventEmissionDomains _domains = ArvoEventEmissionDomains.Default;
    private ArvoSpanOptions _spanOptions = ArvoSpanOptions.Default;
    private ArvoEventCreationOptions _creationOptions = ArvoEventCreationOptions.Default;
    private int _inboxCapacity = MachineMemoryInbox.DefaultCapacity;
    private TimeSpan _executionTimeout = DefaultExecutionTimeout;
    private bool _strictAnswerValidation;

    internal ArvoOrchestratorBuilder()
    {
    }

    /// <summary>Sets the workflow memory (required).</summary>
    /// <param name="memory">The memory, shared by every execution.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorBuilder Memory(IMachineMemory<MachineMemoryRecord> memory)
    {
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        return this;
    }

    /// <summary>Sets the <c>executionunits</c> stamped on emitted events unless a raw event or the output overrides them. Default 0.</summary>
    /// <param name="executionUnits">A finite number.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="executionUnits"/> is NaN or infinite.</exception>
    public ArvoOrchestratorBuilder ExecutionUnits(double executionUnits)
    {
        _executionUnits = RunnableBuilderChecks.ExecutionUnits(executionUnits);
        return this;
    }

    /// <summary>
    /// Adds machines, served by the default <see cref="MachineRegistry"/> in the order added (the first is the
    /// representative). Exclusive with <see cref="Registry"/>.
    /// </summary>
    /// <param name="machines">Versions of one orchestrator contract.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorBuilder Machines(params IEnumerable<ArvoMachine> machines)
    {
        ArgumentNullException.ThrowIfNull(machines);
        foreach (var machine in machines)
        {
            _machines.Add(machine ?? throw new ArgumentException("A machine is null.", nameof(machines)));
        }

        return this;
    }

    /// <summary>Uses a custom registry instead of <see cref="Machines"/>; its <see cref="IMachineRegistry.Machines"/>[0] is the representative.</summary>
    /// <param name="registry">The registry.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorBuilder Registry(IMachineRegistry registry)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        return this;
    }

    /// <summary>Uses a custom execution engine. Default <see cref="MachineExecutionEngine.Instance"/>.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorBuilder ExecutionEngine(IMachineExecutionEngine engine)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        return this;
    }

    /// <summary>
    /// Sets whether every execution must hold the subject's lock. Default: when machines are given with
    /// <see cref="Machines"/>, true iff any of them requires it (<see cref="ArvoMachine.RequiresResourceLocking"/>);
    /// with a custom <see cref="Registry"/>, true (spec README D13: not derivable, so the safe choice).
    /// </summary>
    /// <param name="required">Whether locking is required.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorBuilder RequiresResourceLocking(bool required)
    {
        _requiresResourceLocking = required;
        return this;
    }

    /// <summary>
    /// Sets the default emission domains; an orchestrator reads <see cref="ArvoEventEmissionDomains.Services"/>,
    /// <see cref="ArvoEventEmissionDomains.Complete"/> and <see cref="ArvoEventEmissionDomains.SystemError"/>.
    /// Default <see cref="ArvoEventEmissionDomains.Default"/>.
    /// </summary>
    /// <param name="domains">The domains.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domains"/>, or a list an orchestrator reads, is null.</exception>
    /// <exception cref="ArgumentException">
    /// A list an orchestrator reads is empty (use <c>[ArvoDomain.Local]</c> for no domain), or holds a literal that is not a
    /// domain (lowercase letters, digits and dots), e.g. <c>ArvoEventEmissionDomains.Services[0] = 'Audit Log' is not a valid domain: …</c>.
    /// </exception>
    public ArvoOrchestratorBuilder DefaultEventEmissionDomains(ArvoEventEmissionDomains domains)
    {
        _domains = CheckDomains(domains);
        return this;
    }

    /// <summary>Alias that sets <see cref="ArvoEventEmissionDomains.SystemError"/> (the older <c>systemErrorDomain</c> option, spec README D3).</summary>
    /// <param name="domains">Literals, null or <see cref="ArvoDomain"/> symbols; at least one.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorBuilder SystemErrorDomain(params string?[] domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        return DefaultEventEmissionDomains(_domains with { SystemError = [.. domains] });
    }

    /// <summary>Sets the span options. Default <see cref="ArvoSpanOptions.Default"/> (kind Producer, name <c>Orchestrator&lt;self uri&gt;@&lt;event type&gt;</c>).</summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorBuilder SpanOptions(ArvoSpanOptions options)
    {
        _spanOptions = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>Sets the clock, id generator and serializer options of emitted events. Default <see cref="ArvoEventCreationOptions.Default"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorBuilder CreationOptions(ArvoEventCreationOptions options)
    {
        _creationOptions = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>
    /// Sets how many consumed event ids each workflow's inbox remembers (a redelivery of one of them is answered with the
    /// events its first execution emitted instead of being applied again). Default <see cref="MachineMemoryInbox.DefaultCapacity"/> (64).
    /// </summary>
    /// <param name="capacity">Positive.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public ArvoOrchestratorBuilder InboxCapacity(int capacity)
    {
        _inboxCapacity = RunnableBuilderChecks.InboxCapacity(capacity);
        return this;
    }

    /// <summary>
    /// Bounds every execution that holds the subject's lock: once <paramref name="timeout"/> has passed since the lock was
    /// acquired (measured with <see cref="ArvoEventCreationOptions.TimeProvider"/> of <see cref="CreationOptions"/>), the
    /// execution's cancellation token is cancelled and the execution is abandoned before it persists anything, with a
    /// <see cref="TransactionViolation"/> (<c>EXECUTION_TIMEOUT</c>, <c>Execution timeout - …</c>, inner
    /// <see cref="TimeoutException"/>); the lock is released and the event can be retried. Keep it shorter than the
    /// memory's lock time-to-live, so that no write happens after another execution may have taken the lease over.
    /// Executions without a lock are not bounded. Default <see cref="DefaultExecutionTimeout"/> (4 s).
    /// </summary>
    /// <param name="timeout">Positive, or <see cref="Timeout.InfiniteTimeSpan"/> for no bound.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is neither positive nor infinite.</exception>
    public ArvoOrchestratorBuilder ExecutionTimeout(TimeSpan timeout)
    {
        _executionTimeout = RunnableBuilderChecks.ExecutionTimeout(timeout);
        return this;
    }

    /// <summary>
    /// Turns strict answer validation on or off. Off (the default, the reference behaviour), an event for an existing
    /// workflow is applied whatever its <c>source</c> claims and whatever its <c>to</c> says. On, such an event is applied
    /// only when its <c>source</c> is the accepted event type of one of the service contracts of the subject's machine
    /// version (the source of that service's handler or child orchestrator) and its <c>to</c> is this orchestrator's
    /// <see cref="ArvoOrchestrator.Source"/>; and an init event's <c>parentSubject$$</c>, when set, must name the
    /// orchestrator the init came from (its <c>source</c>: a parent orchestrator sends its children's inits). A rejected
    /// event is a <see cref="ContractViolation"/> (<c>[Strict answer validation] …</c>) thrown before anything is locked,
    /// read or written. Whatever the mode, a <c>parentSubject$$</c> that is not an orchestration subject is a
    /// <see cref="ContractViolation"/> (<c>Invalid parentSubject$$ of the init event …</c>).
    /// </summary>
    /// <param name="enabled">Whether to validate strictly.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorBuilder StrictAnswerValidation(bool enabled = true)
    {
        _strictAnswerValidation = enabled;
        return this;
    }

    /// <summary>Builds the orchestrator from the current configuration; the builder can be changed and built again afterwards.</summary>
    /// <returns>An immutable, thread-safe orchestrator.</returns>
    /// <exception cref="InvalidOperationException">
    /// No memory; both machines and a registry; or neither (<c>At least one machine must be provided</c>).
    /// </exception>
    /// <exception cref="ConfigViolation">
    /// The machines have different sources (<c>All the machines in the orchestrator must have type '&lt;source&gt;'</c>) or
    /// self contracts, or a version repeats (<c>An orchestrator must have unique machine versions. Machine ID:&lt;id&gt; has duplicate version &lt;version&gt;.</c>).
    /// </exception>
    public ArvoOrchestrator Build()
    {
        var memory = _memory ?? throw new InvalidOperationException("A memory is required: call Memory(...) before Build().");
        if (_registry is not null && _machines.Count > 0)
        {
            throw new InvalidOperationException("Give either machines (Machines(...)) or a custom registry (Registry(...)), not both.");
        }

        var registry = _registry ?? (_machines.Count == 0 ? throw new InvalidOperationException(NoMachinesMessage) : new MachineRegistry(_machines));
        var machines = registry.Machines;
        if (machines.Count == 0)
        {
            throw new InvalidOperationException(NoMachinesMessage);
        }

        CheckMachines(machines);
        var requiresLocking = _requiresResourceLocking ?? (_registry is null ? machines.Any(m => m.RequiresResourceLocking) : true);
        return new ArvoOrchestrator(
            memory,
            _executionUnits,
            registry,
            _engine ?? MachineExecutionEngine.Instance,
            requiresLocking,
            _domains,
            _spanOptions.WithKind(ActivityKind.Producer),
            _creationOptions,
            _inboxCapacity,
            _executionTimeout,
            _strictAnswerValidation);
    }

    /// <summary>Checks the domain lists an orchestrator or a resumable reads: present and not empty.</summary>
    internal static ArvoEventEmissionDomains CheckDomains(ArvoEventEmissionDomains domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        RunnableBuilderChecks.DomainList(domains.Services, nameof(ArvoEventEmissionDomains.Services), allowEmpty: false);
        RunnableBuilderChecks.DomainList(domains.Complete, nameof(ArvoEventEmissionDomains.Complete), allowEmpty: false);
        RunnableBuilderChecks.DomainList(domains.SystemError, nameof(ArvoEventEmissionDomains.SystemError), allowEmpty: false);
        return domains;
    }

    /// <summary>The sources that may answer each machine version (the accepted event types of its services).</summary>
    internal static Func<string, IReadOnlySet<string>?> ServiceSources(IReadOnlyList<ArvoMachine> machines)
    {
        var byVersion = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var machine in machines)
        {
            byVersion.TryAdd(machine.Version, machine.ServicesByAcceptType.Keys.ToFrozenSet(StringComparer.Ordinal));
        }

        var frozen = byVersion.ToFrozenDictionary(StringComparer.Ordinal);
        return version => frozen.GetValueOrDefault(version);
    }

    /// <summary>The sources that may answer a resumable: the same services for every version that has a handler.</summary>
    internal static Func<string, IReadOnlySet<string>?> ServiceSources(IEnumerable<VersionedArvoContract> services, IReadOnlyList<string> versions)
    {
        IReadOnlySet<string> sources = services.Select(s => s.Accepts.Type).ToFrozenSet(StringComparer.Ordinal);
        var known = versions.ToFrozenSet(StringComparer.Ordinal);
        return version => known.Contains(version) ? sources : null;
    }

    private static void CheckMachines(IReadOnlyList<ArvoMachine> machines)
    {
        var first = machines[0];
        foreach (var machine in machines)
        {
            if (machine.Source != first.Source)
            {
                throw new ConfigViolation($"All the machines in the orchestrator must have type '{first.Source}'");
            }

            if (machine.Self.Uri != first.Self.Uri)
            {
                throw new ConfigViolation(
                    $"All the machines in the orchestrator must be versions of one self contract: machine ID:{machine.Id} (version {machine.Version}) uses contract '{machine.Self.Uri}', expected '{first.Self.Uri}'.");
            }
        }

        var versions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var machine in machines)
        {
            if (!versions.Add(machine.Version))
            {
                throw new ConfigViolation($"An orchestrator must have unique machine versions. Machine ID:{machine.Id} has duplicate version {machine.Version}.");
            }
        }
    }
}
