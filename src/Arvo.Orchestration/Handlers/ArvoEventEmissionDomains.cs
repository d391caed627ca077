namespace Arvo.Handlers;

/// <summary>
/// The domains a handler, an orchestrator or a resumable gives the events it emits when they name none (reference
/// <c>defaultEventEmissionDomains</c>, event-handler.md 2, orchestrator.md 6.2). Each list holds literals, null
/// (<see cref="ArvoDomain.Local"/>) or <see cref="ArvoDomain"/> symbols; one event copy is emitted per distinct
/// <b>resolved</b> domain. Each runnable reads the lists that apply to it and ignores the others.
/// </summary>
/// <remarks>
/// The builders refuse a literal that is not a domain (lowercase letters, digits and dots) when the lists are configured,
/// not at the first event. A literal <c>"default"</c> is emitted as null (it shares the default bucket); avoid the literal <c>"all"</c>, which
/// collides with <see cref="ArvoExecutionResult.AllKey"/> in <see cref="ArvoExecutionResult.DomainedEvents"/>.
/// </remarks>
/// <example>
/// <code>
/// .DefaultEventEmissionDomains(new ArvoEventEmissionDomains { SystemError = [ArvoDomain.FromTriggeringEvent] })
/// </code>
/// </example>
public sealed record ArvoEventEmissionDomains
{
    private static readonly string?[] LocalOnly = [ArvoDomain.Local];
    private static readonly string?[] OrchestrationContextOnly = [ArvoDomain.OrchestrationContext];

    /// <summary>The 3.0.25 defaults: handler outputs, completions and system errors to the orchestration context, service commands local.</summary>
    public static ArvoEventEmissionDomains Default { get; } = new();

    /// <summary>
    /// Domains of a handler's outputs without <see cref="ArvoHandlerOutput.Domain"/> (<see cref="ArvoEventHandler"/> only;
    /// an empty list emits nothing for such outputs).
    /// </summary>
    /// <value>Default <c>[ArvoDomain.OrchestrationContext]</c>.</value>
    public IReadOnlyList<string?> Emits { get; init; } = OrchestrationContextOnly;

    /// <summary>
    /// Domains of the service commands (raw events) of an orchestrator or a resumable without an
    /// <see cref="Machines.ArvoMachineEmit.Domain"/>; must not be empty.
    /// </summary>
    /// <value>Default <c>[ArvoDomain.Local]</c>.</value>
    public IReadOnlyList<string?> Services { get; init; } = LocalOnly;

    /// <summary>Domains of the completion event of an orchestrator or a resumable when the output has no <c>__domain</c>; must not be empty.</summary>
    /// <value>Default <c>[ArvoDomain.OrchestrationContext]</c>.</value>
    public IReadOnlyList<string?> Complete { get; init; } = OrchestrationContextOnly;

    /// <summary>Domains of system-error events, resolved then de-duplicated (every runnable); must not be empty for orchestrators and resumables.</summary>
    /// <value>Default <c>[ArvoDomain.OrchestrationContext]</c> (normally one null-domain event).</value>
    public IReadOnlyList<string?> SystemError { get; init; } = OrchestrationContextOnly;
}
