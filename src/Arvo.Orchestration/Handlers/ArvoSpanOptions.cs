using System.Diagnostics;

namespace Arvo.Handlers;

/// <summary>
/// Overrides for the span of one execution of a handler, an orchestrator or a resumable (telemetry.md section 4,
/// <c>spanOptions</c>): the user's kind and attributes are applied first; the library then sets <c>arvo.span.kind</c>
/// and <c>openinference.span.kind</c> unless given here, and always sets <c>arvo.handler.source</c> and
/// <c>arvo.contract.uri</c>.
/// </summary>
/// <example>
/// <code>
/// var handler = ArvoEventHandler.CreateBuilder(contract)
///     .SpanOptions(new ArvoSpanOptions { Kind = ActivityKind.Internal, SpanName = ctx => "greet " + ctx.ConsumedEvent.Id })
///     .Version("1.0.0", Greet)
///     .Build();
/// </code>
/// </example>
public sealed record ArvoSpanOptions
{
    /// <summary>The default options: the runnable's default kind, no attributes, the default name.</summary>
    public static ArvoSpanOptions Default { get; } = new();

    /// <summary>The span kind; a built runnable's <c>SpanOptions</c> always report the kind in use.</summary>
    /// <value>
    /// Default null: the reference's kind for the runnable, <see cref="ActivityKind.Consumer"/> for an
    /// <see cref="ArvoEventHandler"/> and <see cref="ActivityKind.Producer"/> for an <see cref="ArvoOrchestrator"/> or an
    /// <see cref="ArvoResumable"/>.
    /// </value>
    public ActivityKind? Kind { get; init; }

    /// <summary>Extra span attributes.</summary>
    /// <value>Default null: none.</value>
    public IReadOnlyDictionary<string, object?>? Attributes { get; init; }

    /// <summary>A custom span name; a null or empty result falls back to the default name.</summary>
    /// <value>
    /// Default null: <c>Handler&lt;contract uri&gt;</c> for a handler, <c>Orchestrator&lt;self uri&gt;@&lt;event type&gt;</c>
    /// for an orchestrator, <c>Resumable&lt;self uri&gt;@&lt;event type&gt;</c> for a resumable.
    /// </value>
    public Func<ArvoSpanNameContext, string?>? SpanName { get; init; }

    /// <summary>These options with <see cref="Kind"/> set to <paramref name="defaultKind"/> when it is null (what a built runnable reports).</summary>
    internal ArvoSpanOptions WithKind(ActivityKind defaultKind) => Kind is null ? this with { Kind = defaultKind } : this;
}
