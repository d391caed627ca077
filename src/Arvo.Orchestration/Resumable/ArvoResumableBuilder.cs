using System.Diagnostics;
using System.Runtime.CompilerServices;
using Arvo.Events;
using Arvo.Handlers;
using Arvo.Memory;
using Arvo.Orchestration;

namespace Arvo.Resumable;

/// <summary>
/// Configures an <see cref="ArvoResumable"/> (reference <c>createArvoResumable</c>): the memory, the service contracts,
/// one handler function per version of the self contract and the options the orchestrator builder has too. Not
/// thread-safe; the resumable <see cref="Build"/> returns is immutable, thread-safe and unaffected by later changes to
/// the builder. Start with <see cref="ArvoResumable.CreateBuilder{TContext}"/>.
/// </summary>
/// <typeparam name="TContext">The handler-owned context, stored as JSON (<c>state$$</c>) between calls.</typeparam>
/// <example>
/// <code>
/// var resumable = ArvoResumable.CreateBuilder&lt;SumContext&gt;(sumContract)
///     .Memory(new SimpleMachineMemory&lt;ArvoResumableState&gt;())
///     .Service("valueRead", valueRead.Version("0.0.1"))
///     .Version("0.0.1", ctx => ctx.Input is { } init
///         ? new() { Context = new SumContext(1), Services = [ArvoMachineEmit.Create("com.value.read", new { key = "a" })] }
///         : new() { Output = new { sum = ctx.Collected("evt.value.read.success").Count } })
///     .Build();
/// </code>
/// </example>
public sealed class ArvoResumableBuilder<TContext>
    where TContext : class
{
    private readonly ArvoOrchestratorContract _self;
    private readonly List<KeyValuePair<string, VersionedArvoContract>> _services = [];
    private readonly Dictionary<string, ArvoResumableHandler<TContext>> _handlers = new(StringComparer.Ordinal);
    private readonly List<string> _versionOrder = [];
    private IMachineMemory<ArvoResumableState>? _memory;
    private double _executionUnits;
    private bool? _requiresResourceLocking;
    private ArvoEventEmissionDomains _domains = ArvoEventEmissionDomains.Default;
    private ArvoSpanOptions _spanOptions = ArvoSpanOptions.Default;
    private ArvoEventCreationOptions _creationOptions = ArvoEventCreationOptions.Default;
    private int _inboxCapacity = MachineMemoryInbox.DefaultCapacity;
    private TimeSpan _executionTimeout = ArvoOrchestratorBuilder.DefaultExecutionTimeout;
    private bool _strictAnswerValidation;

    internal ArvoResumableBuilder(ArvoOrchestratorContract self) => _self = self;

    /// <summary>Sets the workflow memory (required).</summary>
    /// <param name="memory">The memory, shared by every execution.</param>
    /// <returns>This builder.</returns>
    public ArvoResumableBuilder<TContext> Memory(IMachineMemory<ArvoResumableState> memory)
    {
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        return this;
    }

    /// <summary>
    /// Registers a service contract version under <paramref name="name"/> (the name the handler sees in
    /// <see cref="ArvoResumableContracts.Services"/>). Checked in <see cref="Build"/>: names and URIs unique, not the self contract.
    /// </summary>
    /// <param name="name">The service name.</param>
    /// <param name="contract">The contract version (plain, simple or orchestrator contract).</param>
    /// <returns>This builder.</returns>
    public ArvoResumableBuilder<TContext> Service(string name, VersionedArvoContract contract)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(contract);
        _services.Add(new(name, contract));
        return this;
    }

    /// <summary>
    /// Registers the asynchronous handler of version <paramref name="version"/> of the self contract (replacing an
    /// earlier one). Versions are not checked against the contract (reference behaviour): an event of a version without
    /// a handler is a <see cref="ConfigViolation"/> at run time.
    /// </summary>
    /// <param name="version">A version of the self contract, e.g. <c>0.0.1</c>.</param>
    /// <param name="handler">The function; an exception it throws (other than a violation) fails the workflow with a system-error event.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="version"/> is not <c>MAJOR.MINOR.PATCH</c> (digits only), or is the wildcard <c>0.0.0</c>.</exception>
    public ArvoResumableBuilder<TContext> Version(string version, ArvoResumableHandler<TContext> handler)
    {
        RunnableBuilderChecks.Version(version);
        ArgumentNullException.ThrowIfNull(handler);
        if (_handlers.TryAdd(version, handler))
        {
            _versionOrder.Add(version);
        }
        else
        {
            _handlers[version] = handler;
        }

        return this;
    }

    /// <summary>Registers the synchronous handler of version <paramref name="version"/> of the self contract (replacing an earlier one).</summary>
    /// <param name="version">A version of the self contract, e.g. <c>0.0.1</c>.</param>
    /// <param name="handler">The function; null (or an empty result) keeps everything and emits nothing.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// Preferred over the asynchronous overload when a lambda fits both, so a body that only throws
    /// (<c>ctx =&gt; throw new InvalidOperationException("…")</c>) compiles without naming its return type.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="version"/> is not <c>MAJOR.MINOR.PATCH</c> (digits only), or is the wildcard <c>0.0.0</c>.</exception>
    [OverloadResolutionPriority(1)]
    public ArvoResumableBuilder<TContext> Version(string version, Func<ArvoResumableContext<TContext>, ArvoResumableResult<TContext>?> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Version(version, context => ValueTask.FromResult(handler(context)));
    }

    /// <inheritdoc cref="ArvoOrchestratorBuilder.ExecutionUnits"/>
    public ArvoResumableBuilder<TContext> ExecutionUnits(double executionUnits)
    {
        _executionUnits = RunnableBuilderChecks.ExecutionUnits(executionUnits);
        return this;
    }

    /// <summary>
    /// Sets whether every execution must hold the subject's lock. Default: true iff more than one service is registered
    /// (reference <c>createArvoResumable</c>).
    /// </summary>
    /// <param name="required">Whether locking is required.</param>
    /// <returns>This builder.</returns>
    public ArvoResumableBuilder<TContext> RequiresResourceLocking(bool required)
    {
        _requiresResourceLocking = required;
        return this;
    }

    /// <inheritdoc cref="ArvoOrchestratorBuilder.DefaultEventEmissionDomains"/>
    public ArvoResumableBuilder<TContext> DefaultEventEmissionDomains(ArvoEventEmissionDomains domains)
    {
        _domains = ArvoOrchestratorBuilder.CheckDomains(domains);
        return this;
    }

    /// <inheritdoc cref="ArvoOrchestratorBuilder.SystemErrorDomain"/>
    public ArvoResumableBuilder<TContext> SystemErrorDomain(params string?[] domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        return DefaultEventEmissionDomains(_domains with { SystemError = [.. domains] });
    }

    /// <summary>Sets the span options. Default <see cref="ArvoSpanOptions.Default"/> (kind Producer, name <c>Resumable&lt;self uri&gt;@&lt;event type&gt;</c>).</summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    public ArvoResumableBuilder<TContext> SpanOptions(ArvoSpanOptions options)
    {
        _spanOptions = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>
    /// Sets the clock, id generator and serializer options of emitted events; the serializer options also (de)serialize
    /// the context. Default <see cref="ArvoEventCreationOptions.Default"/>.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    public ArvoResumableBuilder<TContext> CreationOptions(ArvoEventCreationOptions options)
    {
        _creationOptions = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <inheritdoc cref="ArvoOrchestratorBuilder.InboxCapacity"/>
    public ArvoResumableBuilder<TContext> InboxCapacity(int capacity)
    {
        _inboxCapacity = RunnableBuilderChecks.InboxCapacity(capacity);
        return this;
    }

    /// <inheritdoc cref="ArvoOrchestratorBuilder.ExecutionTimeout"/>
    public ArvoResumableBuilder<TContext> ExecutionTimeout(TimeSpan timeout)
    {
        _executionTimeout = RunnableBuilderChecks.ExecutionTimeout(timeout);
        return this;
    }

    /// <inheritdoc cref="ArvoOrchestratorBuilder.StrictAnswerValidation"/>
    public ArvoResumableBuilder<TContext> StrictAnswerValidation(bool enabled = true)
    {
        _strictAnswerValidation = enabled;
        return this;
    }

    /// <summary>Builds the resumable from the current configuration; the builder can be changed and built again afterwards.</summary>
    /// <returns>An immutable, thread-safe resumable.</returns>
    /// <exception cref="ConfigViolation">
    /// A service name repeats (<c>In ArvoResumable, the service name '&lt;name&gt;' is registered twice</c>), two services
    /// share a URI (<c>In ArvoResumable, the service contracts must have unique URIs. …</c>) or the self contract is a
    /// service (<c>In ArvoResumable, Circular dependency detected: …</c>).
    /// </exception>
    /// <exception cref="InvalidOperationException">No memory was given, or no handler version was registered.</exception>
    public ArvoResumable Build()
    {
        var services = ArvoResumable.CheckServices(_self, _services);
        var memory = _memory ?? throw new InvalidOperationException("A memory is required: call Memory(...) before Build().");
        if (_handlers.Count == 0)
        {
            throw new InvalidOperationException($"ArvoResumable {_self.Uri} has no handler: call Version(\"<version>\", …) at least once before Build().");
        }

        var handlers = new Dictionary<string, ArvoResumableHandler<TContext>>(_handlers, StringComparer.Ordinal);
        return ArvoResumable.FromParts(
            _self,
            services,
            memory,
            handlers,
            [.. _versionOrder],
            new ResumableSettings(
                _executionUnits,
                _requiresResourceLocking ?? services.Count > 1,
                _domains,
                _spanOptions.WithKind(ActivityKind.Producer),
                _creationOptions,
                _inboxCapacity,
                _executionTimeout,
                _strictAnswerValidation));
    }
}
