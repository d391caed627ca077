namespace Arvo.Handlers;

/// <summary>Where the span of an execution takes its parent from (reference <c>inheritFrom</c>).</summary>
public enum ArvoTraceParentSource
{
    /// <summary>The consumed event's <c>traceparent</c>/<c>tracestate</c>; the ambient activity when the event has none.</summary>
    Event,

    /// <summary>The ambient <see cref="System.Diagnostics.Activity.Current"/> (a new root when there is none).</summary>
    Context,
}

/// <summary>Options of one <see cref="IArvoEventHandler.ExecuteAsync"/> call. Immutable.</summary>
public sealed record ArvoExecutionOptions
{
    /// <summary>Parent from the event (the reference default).</summary>
    public static ArvoExecutionOptions Default { get; } = new();

    /// <summary>Where the execution span's parent comes from. Default <see cref="ArvoTraceParentSource.Event"/>.</summary>
    public ArvoTraceParentSource InheritFrom { get; init; } = ArvoTraceParentSource.Event;
}
