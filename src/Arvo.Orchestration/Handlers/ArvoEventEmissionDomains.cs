namespace Arvo.Handlers;

/// <summary>
/// The domains used when an output names none, and the domains of system-error events (reference
/// <c>defaultEventEmissionDomains</c>). Each list holds literals, null or <see cref="ArvoDomain"/> symbols.
/// </summary>
public sealed record ArvoEventEmissionDomains
{
    private static readonly string?[] OrchestrationContextOnly = [ArvoDomain.OrchestrationContext];

    /// <summary>Both lists <c>[ArvoDomain.OrchestrationContext]</c> (the 3.0.25 default).</summary>
    public static ArvoEventEmissionDomains Default { get; } = new();

    /// <summary>Domains for outputs without <see cref="ArvoHandlerOutput.Domain"/>. Default <c>[OrchestrationContext]</c>.</summary>
    public IReadOnlyList<string?> Emits { get; init; } = OrchestrationContextOnly;

    /// <summary>Domains for system-error events, resolved then de-duplicated. Default <c>[OrchestrationContext]</c>.</summary>
    public IReadOnlyList<string?> SystemError { get; init; } = OrchestrationContextOnly;
}
