using System.Diagnostics;

namespace Arvo.Handlers;

/// <summary>
/// Overrides for the execution span (telemetry.md section 4, <c>spanOptions</c>): the user's kind and attributes are
/// applied first; the library then sets <c>arvo.span.kind</c> and <c>openinference.span.kind</c> unless given here, and
/// always sets <c>arvo.handler.source</c> and <c>arvo.contract.uri</c>.
/// </summary>
public sealed record ArvoHandlerSpanOptions
{
    /// <summary>The default options: kind <see cref="ActivityKind.Consumer"/>, no attributes, the default name.</summary>
    public static ArvoHandlerSpanOptions Default { get; } = new();

    /// <summary>The span kind. Default <see cref="ActivityKind.Consumer"/>.</summary>
    public ActivityKind Kind { get; init; } = ActivityKind.Consumer;

    /// <summary>Extra span attributes; null for none.</summary>
    public IReadOnlyDictionary<string, object?>? Attributes { get; init; }

    /// <summary>A custom span name; a null or empty result falls back to <c>Handler&lt;contract uri&gt;</c>. Null for the default name.</summary>
    public Func<ArvoSpanNameContext, string?>? SpanName { get; init; }
}
