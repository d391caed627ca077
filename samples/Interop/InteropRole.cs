namespace Arvo.Samples.Interop;

/// <summary>Which part of the counter system an <see cref="InteropTool"/> plays.</summary>
public enum InteropRole
{
    /// <summary>The <c>arvo.orc.counter</c> orchestrator only: events addressed to it are executed once.</summary>
    Orchestrator,

    /// <summary>The counter handlers only (increment, decrement, notification): each event is executed once.</summary>
    Handlers,

    /// <summary>The orchestrator and the handlers: an event is routed between them until it leaves the system.</summary>
    All,
}
