using System.Diagnostics;
using System.Runtime.CompilerServices;
using Arvo.Events;

namespace Arvo.Handlers;

/// <summary>
/// Configures an <see cref="ArvoEventHandler"/> (reference <c>createArvoEventHandler</c>): one function per contract
/// version, execution units, span options, emission domains and event-creation services. Not thread-safe; the handler
/// <see cref="Build"/> returns is immutable, thread-safe and unaffected by later changes to the builder. Start with
/// <see cref="ArvoEventHandler.CreateBuilder"/>.
/// </summary>
/// <example>
/// <code>
/// var handler = ArvoEventHandler.CreateBuilder(helloContract)
///     .ExecutionUnits(100)
///     .Version("0.0.1", ctx => ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = "Hello " + ctx.GetData&lt;HelloInput&gt;()!.Name }))
///     .Build();
/// </code>
/// </example>
public sealed class ArvoEventHandlerBuilder
{
    private readonly ArvoContract _contract;
    private readonly Dictionary<string, ArvoEventHandler.VersionFunction> _functions = new(StringComparer.Ordinal);
    private double _executionUnits;
    private ArvoSpanOptions _spanOptions = ArvoSpanOptions.Default;
    private ArvoEventEmissionDomains _domains = ArvoEventEmissionDomains.Default;
    private ArvoEventCreationOptions _creationOptions = ArvoEventCreationOptions.Default;

    internal ArvoEventHandlerBuilder(ArvoContract contract) => _contract = contract;

    /// <summary>Sets the <c>executionunits</c> stamped on every emitted event unless an output overrides them. Default 0.</summary>
    /// <param name="executionUnits">A finite number.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="executionUnits"/> is NaN or infinite.</exception>
    public ArvoEventHandlerBuilder ExecutionUnits(double executionUnits)
    {
        _executionUnits = RunnableBuilderChecks.ExecutionUnits(executionUnits);
        return this;
    }

    /// <summary>Registers the asynchronous function for contract version <paramref name="version"/> (replacing an earlier one).</summary>
    /// <param name="version">A contract version, e.g. <c>0.0.1</c>; versions the contract does not declare are ignored.</param>
    /// <param name="handler">The function; an exception it throws (other than a violation) becomes a <c>sys.&lt;type&gt;.error</c> event.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="version"/> is not <c>MAJOR.MINOR.PATCH</c> (digits only), or is the wildcard <c>0.0.0</c>.</exception>
    public ArvoEventHandlerBuilder Version(string version, Func<ArvoHandlerContext, ValueTask<ArvoHandlerResult>> handler)
    {
        RunnableBuilderChecks.Version(version);
        ArgumentNullException.ThrowIfNull(handler);
        _functions[version] = new ArvoEventHandler.VersionFunction(null, handler);
        return this;
    }

    /// <summary>Registers the synchronous function for contract version <paramref name="version"/> (replacing an earlier one).</summary>
    /// <param name="version">A contract version, e.g. <c>0.0.1</c>; versions the contract does not declare are ignored.</param>
    /// <param name="handler">The function; an exception it throws (other than a violation) becomes a <c>sys.&lt;type&gt;.error</c> event.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="version"/> is not <c>MAJOR.MINOR.PATCH</c> (digits only), or is the wildcard <c>0.0.0</c>.</exception>
    /// <remarks>
    /// Preferred over the asynchronous overload when a lambda fits both, so a body that only throws
    /// (<c>ctx =&gt; throw new InvalidOperationException("…")</c>) compiles without naming its return type.
    /// </remarks>
    [OverloadResolutionPriority(1)]
    public ArvoEventHandlerBuilder Version(string version, Func<ArvoHandlerContext, ArvoHandlerResult> handler)
    {
        RunnableBuilderChecks.Version(version);
        ArgumentNullException.ThrowIfNull(handler);
        _functions[version] = new ArvoEventHandler.VersionFunction(handler, null);
        return this;
    }

    /// <summary>Sets the span options (kind, attributes, name). Default <see cref="ArvoSpanOptions.Default"/> (kind Consumer, name <c>Handler&lt;contract uri&gt;</c>).</summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    public ArvoEventHandlerBuilder SpanOptions(ArvoSpanOptions options)
    {
        _spanOptions = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>
    /// Sets the default emission domains; a handler reads <see cref="ArvoEventEmissionDomains.Emits"/> and
    /// <see cref="ArvoEventEmissionDomains.SystemError"/>. Default <see cref="ArvoEventEmissionDomains.Default"/>.
    /// </summary>
    /// <param name="domains">The domains.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domains"/>, or a list a handler reads, is null.</exception>
    /// <exception cref="ArgumentException">
    /// A list a handler reads holds a literal that is not a domain (lowercase letters, digits and dots), e.g.
    /// <c>ArvoEventEmissionDomains.Emits[0] = 'Audit Log' is not a valid domain: …</c>.
    /// </exception>
    public ArvoEventHandlerBuilder DefaultEventEmissionDomains(ArvoEventEmissionDomains domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        RunnableBuilderChecks.DomainList(domains.Emits, nameof(ArvoEventEmissionDomains.Emits), allowEmpty: true);
        RunnableBuilderChecks.DomainList(domains.SystemError, nameof(ArvoEventEmissionDomains.SystemError), allowEmpty: true);
        _domains = domains;
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
        return DefaultEventEmissionDomains(_domains with { SystemError = [.. domains] });
    }

    /// <summary>Sets the clock, id generator and serializer options used for emitted events. Default <see cref="ArvoEventCreationOptions.Default"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    public ArvoEventHandlerBuilder CreationOptions(ArvoEventCreationOptions options)
    {
        _creationOptions = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>Builds the handler from the current configuration; the builder can be changed and built again afterwards.</summary>
    /// <returns>An immutable, thread-safe handler.</returns>
    /// <exception cref="InvalidOperationException">
    /// A contract version has no function: <c>Contract &lt;uri&gt; requires handler implementation for version &lt;v&gt;</c>.
    /// </exception>
    public ArvoEventHandler Build()
    {
        var functions = new Dictionary<string, ArvoEventHandler.VersionFunction>(_contract.Versions.Count, StringComparer.Ordinal);
        foreach (var version in _contract.Versions)
        {
            if (!_functions.TryGetValue(version.Version, out var function))
            {
                throw new InvalidOperationException(
                    $"Contract {_contract.Uri} requires handler implementation for version {version.Version}: call Version(\"{version.Version}\", …) before Build().");
            }

            functions.Add(version.Version, function);
        }

        return new ArvoEventHandler(_contract, _executionUnits, functions, _spanOptions.WithKind(ActivityKind.Consumer), _domains, _creationOptions);
    }
}
