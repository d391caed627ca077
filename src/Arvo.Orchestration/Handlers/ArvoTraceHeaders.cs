namespace Arvo.Handlers;

/// <summary>The W3C trace headers of a span, stamped on every event an execution emits; both null when tracing is off.</summary>
/// <param name="TraceParent">The <c>traceparent</c> (<c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>), or null.</param>
/// <param name="TraceState">The <c>tracestate</c>, or null.</param>
public readonly record struct ArvoTraceHeaders(string? TraceParent, string? TraceState);
