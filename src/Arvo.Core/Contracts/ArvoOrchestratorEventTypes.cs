namespace Arvo.Contracts;

/// <summary>The event types of an orchestrator named <c>&lt;name&gt;</c> (reference <c>ArvoOrchestratorEventTypeGen</c>).</summary>
public static class ArvoOrchestratorEventTypes
{
    /// <summary>The reserved prefix of orchestrator event types, <c>arvo.orc</c>.</summary>
    public const string Prefix = "arvo.orc";

    /// <summary>The init (accepted) event type, <c>arvo.orc.&lt;name&gt;</c>.</summary>
    /// <param name="name">The orchestrator name, e.g. <c>payment</c>.</param>
    public static string Init(string name) => $"{Prefix}.{name}";

    /// <summary>The completion event type, <c>arvo.orc.&lt;name&gt;.done</c>.</summary>
    /// <param name="name">The orchestrator name, e.g. <c>payment</c>.</param>
    public static string Complete(string name) => $"{Prefix}.{name}.done";

    /// <summary>The system error event type, <c>sys.arvo.orc.&lt;name&gt;.error</c>.</summary>
    /// <param name="name">The orchestrator name, e.g. <c>payment</c>.</param>
    public static string SystemError(string name) => $"sys.{Prefix}.{name}.error";

    /// <summary>True when <paramref name="type"/> starts with <c>arvo.orc</c> (no trailing dot, as in the reference).</summary>
    /// <param name="type">An event type.</param>
    public static bool IsOrchestratorEventType(string? type) => type is not null && type.StartsWith(Prefix, StringComparison.Ordinal);
}
