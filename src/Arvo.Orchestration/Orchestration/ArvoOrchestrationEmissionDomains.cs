using Arvo.Handlers;
using Arvo.Machines;

namespace Arvo.Orchestration;

/// <summary>
/// The domains an orchestrator (or resumable) gives its events when they name none (reference
/// <c>defaultEventEmissionDomains</c>, orchestrator.md 6.2). Each list holds literals, null (<see cref="ArvoDomain.Local"/>)
/// or <see cref="ArvoDomain"/> symbols; one event copy is emitted per distinct <b>resolved</b> domain.
/// </summary>
/// <remarks>
/// A literal <c>"default"</c> is emitted as null (it shares the default bucket); avoid the literal <c>"all"</c>, which
/// collides with <see cref="ArvoExecutionResult.AllKey"/> in <see cref="ArvoExecutionResult.DomainedEvents"/>.
/// </remarks>
public sealed record ArvoOrchestrationEmissionDomains
{
    private static readonly string?[] LocalOnly = [ArvoDomain.Local];
    private static readonly string?[] OrchestrationContextOnly = [ArvoDomain.OrchestrationContext];

    /// <summary>The 3.0.25 defaults: services <c>[Local]</c>, completion and system errors <c>[OrchestrationContext]</c>.</summary>
    public static ArvoOrchestrationEmissionDomains Default { get; } = new();

    /// <summary>Domains of raw (service) events without a <see cref="ArvoMachineEmit.Domain"/>. Default <c>[ArvoDomain.Local]</c>.</summary>
    public IReadOnlyList<string?> Services { get; init; } = LocalOnly;

    /// <summary>Domains of the completion event when the output has no <c>__domain</c>. Default <c>[ArvoDomain.OrchestrationContext]</c>.</summary>
    public IReadOnlyList<string?> Complete { get; init; } = OrchestrationContextOnly;

    /// <summary>Domains of system-error events. Default <c>[ArvoDomain.OrchestrationContext]</c> (normally one null-domain event).</summary>
    public IReadOnlyList<string?> SystemError { get; init; } = OrchestrationContextOnly;
}
