namespace Arvo.Handlers;

/// <summary>Where the span of an execution takes its parent from (reference <c>inheritFrom</c>).</summary>
public enum ArvoTraceParentSource
{
    /// <summary>The consumed event's <c>traceparent</c>/<c>tracestate</c>; the ambient activity when the event has none.</summary>
    Event,

    /// <summary>The ambient <see cref="System.Diagnostics.Activity.Current"/> (a new root when there is none).</summary>
    Context,
}
