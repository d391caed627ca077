using Arvo.Events;

namespace Arvo.Handlers;

/// <summary>
/// Configures an <see cref="ArvoEventHandler"/>: one function per contract version, span options, emission domains and
/// event-creation services. Used through <see cref="ArvoEventHandler.Create"/>.
/// </summary>
public sealed class ArvoEventHandlerBuilder
{
    private readonly Dictionary<string, ArvoEventHandler.VersionFunction> _functions = new(StringComparer.Ordinal);

    internal ArvoEventHandlerBuilder()
    {
    }

    internal IReadOnlyDictionary<string, ArvoEventHandler.VersionFunction> Functions => _functions;

    internal ArvoHandlerSpanOptions SpanOptionsValue { get; private set; } = ArvoHandlerSpanOptions.Default;

    internal ArvoEventEmissionDomains DomainsValue { get; private set; } = ArvoEventEmissionDomains.Default;

    internal ArvoEventCreationOptions CreationOptionsValue { get; private set; } = ArvoEventCreationOptions.Default;

    /// <summary>Registers the asynchronous function for contract version <paramref name="version"/> (replacing an earlier one).</summary>
    /// <param name="version">A contract version, e.g. <c>0.0.1</c>; versions the contract does not declare are ignored.</param>
    /// <param name="handler">The function.</param>
    /// <returns>This builder.</returns>
    public ArvoEventHandlerBuilder Version(string version, Func<ArvoHandlerContext, ValueTask<ArvoHandlerResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(handler);
        _functions[version] = new ArvoEventHandler.VersionFunction(null, handler);
        return this;
    }

    /// <summary>Registers the synchronous function for contract version <paramref name="version"/> (replacing an earlier one).</summary>
    /// <param name="version">A contract version, e.g. <c>0.0.1</c>; versions the contract does not declare are ignored.</param>
    /// <param name="handler">The function.</param>
    /// <returns>This builder.</returns>
    public ArvoEventHandlerBuilder Version(string version, Func<ArvoHandlerContext, ArvoHandlerResult> handler)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(handler);
        _functions[version] = new ArvoEventHandler.VersionFunction(handler, null);
        return this;
    }

    /// <summary>Sets the span options (kind, attributes, name). Default <see cref="ArvoHandlerSpanOptions.Default"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    public ArvoEventHandlerBuilder SpanOptions(ArvoHandlerSpanOptions options)
    {
        SpanOptionsValue = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>Sets the default emission domains. Default <see cref="ArvoEventEmissionDomains.Default"/>.</summary>
    /// <param name="domains">The domains.</param>
    /// <returns>This builder.</returns>
    public ArvoEventHandlerBuilder DefaultEventEmissionDomains(ArvoEventEmissionDomains domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(domains.Emits);
        ArgumentNullException.ThrowIfNull(domains.SystemError);
        DomainsValue = domains;
        return this;
    }

    /// <summary>
    /// Alias that sets <see cref="ArvoEventEmissionDomains.SystemError"/> (the <c>systemErrorDomain</c> option of older
    /// builds, spec README D3).
    /// </summary>
    /// <param name="domains">Literals, null or <see cref="ArvoDomain"/> symbols.</param>
    /// <returns>This builder.</returns>
    public ArvoEventHandlerBuilder SystemErrorDomain(params string?[] domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        DomainsValue = DomainsValue with { SystemError = [.. domains] };
        return this;
    }

    /// <summary>Sets the clock, id generator and serializer options used for emitted events. Default <see cref="ArvoEventCreationOptions.Default"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    public ArvoEventHandlerBuilder CreationOptions(ArvoEventCreationOptions options)
    {
        CreationOptionsValue = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }
}
