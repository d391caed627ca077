using System.Diagnostics;

namespace Arvo.Telemetry;

/// <summary>
/// Arvo's tracing: one <see cref="ActivitySource"/> named <c>arvo-instrumentation</c> for every Arvo
/// package, and the attribute names its spans use. Subscribe with
/// <c>tracerProviderBuilder.AddSource(ArvoTelemetry.ActivitySourceName)</c>.
/// </summary>
public static class ArvoTelemetry
{
    /// <summary>The activity source name, <c>arvo-instrumentation</c> (the reference's tracer name).</summary>
    public const string ActivitySourceName = "arvo-instrumentation";

    /// <summary>Attribute <c>arvo.span.kind</c>.</summary>
    public const string SpanKindAttribute = "arvo.span.kind";

    /// <summary>Attribute <c>openinference.span.kind</c>.</summary>
    public const string OpenInferenceSpanKindAttribute = "openinference.span.kind";

    /// <summary>Attribute <c>arvo.contract.uri</c>.</summary>
    public const string ContractUriAttribute = "arvo.contract.uri";

    /// <summary>Attribute <c>arvo.contract.version</c>.</summary>
    public const string ContractVersionAttribute = "arvo.contract.version";

    /// <summary>Span kind value for internal spans (factories, engine, registry, memory).</summary>
    public const string InternalSpanKind = "internal";

    /// <summary>
    /// The W3C trace headers of <paramref name="activity"/>: <c>traceparent</c> (<c>00-trace-span-flags</c>) and
    /// its trace state; both null when there is no activity (tracing off), as in the reference.
    /// </summary>
    public static (string? TraceParent, string? TraceState) GetTraceHeaders(Activity? activity) =>
        activity is null || activity.IdFormat != ActivityIdFormat.W3C
            ? (null, null)
            : (activity.Id, string.IsNullOrEmpty(activity.TraceStateString) ? null : activity.TraceStateString);
}
