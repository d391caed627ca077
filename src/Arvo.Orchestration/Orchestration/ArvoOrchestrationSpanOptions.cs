using System.Diagnostics;
using Arvo.Handlers;

namespace Arvo.Orchestration;

/// <summary>
/// Overrides for the span of an orchestrator (or resumable) execution (telemetry.md 4, <c>spanOptions</c>): the user's
/// kind and attributes are applied first; the library then sets <c>arvo.span.kind</c> and
/// <c>openinference.span.kind</c> unless given here, and always sets <c>arvo.handler.source</c> and
/// <c>arvo.contract.uri</c>.
/// </summary>
public sealed record ArvoOrchestrationSpanOptions
{
    /// <summary>The default options: kind <see cref="ActivityKind.Producer"/>, no attributes, the default name.</summary>
    public static ArvoOrchestrationSpanOptions Default { get; } = new();

    /// <summary>The span kind. Default <see cref="ActivityKind.Producer"/>.</summary>
    public ActivityKind Kind { get; init; } = ActivityKind.Producer;

    /// <summary>Extra span attributes; null for none.</summary>
    public IReadOnlyDictionary<string, object?>? Attributes { get; init; }

    /// <summary>
    /// A custom span name; a null or empty result falls back to <c>Orchestrator&lt;self uri&gt;@&lt;event type&gt;</c>
    /// (resumables: <c>Resumable&lt;…&gt;@&lt;…&gt;</c>). Null for the default name.
    /// </summary>
    public Func<ArvoSpanNameContext, string?>? SpanName { get; init; }
}
