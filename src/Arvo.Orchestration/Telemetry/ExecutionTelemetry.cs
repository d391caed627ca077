using System.Diagnostics;
using System.Runtime.CompilerServices;
using Arvo.Handlers;
using Arvo.Internal;

namespace Arvo.Telemetry;

/// <summary>
/// The span helpers shared by handlers, orchestrators and resumables (telemetry.md 1–5): the unmanaged execution span,
/// the <c>consumable.*</c>/<c>emittables.*</c> event attributes and <c>log</c> span events.
/// </summary>
internal static class ExecutionTelemetry
{
    /// <summary>Attribute <c>arvo.handler.execution.status</c> (<c>normal</c> or <c>failure</c>).</summary>
    public const string ExecutionStatusAttribute = "arvo.handler.execution.status";

    /// <summary>Attribute <c>arvo.handler.execution.type</c> (<c>handler</c>, <c>orchestrator</c> or <c>resumable</c>).</summary>
    public const string ExecutionTypeAttribute = "arvo.handler.execution.type";

    /// <summary>
    /// Starts an execution span (unmanaged: the caller sets the status and ends it). The parent is the consumed event's
    /// trace headers when <paramref name="options"/> says <see cref="ArvoTraceParentSource.Event"/> and the event carries a
    /// valid <c>traceparent</c>, else the ambient activity. The user's attributes are applied first; then
    /// <c>arvo.span.kind</c> and <c>openinference.span.kind</c> unless the user gave them, and always
    /// <c>arvo.handler.source</c> and <c>arvo.contract.uri</c>.
    /// </summary>
    /// <returns>The activity, or null when nobody listens.</returns>
    public static Activity? StartExecutionSpan(
        string name,
        ActivityKind kind,
        IReadOnlyDictionary<string, object?>? attributes,
        string spanKind,
        string source,
        string contractUri,
        ArvoEvent consumed,
        ArvoExecutionOptions options)
    {
        var activity = StartActivity(name, kind, consumed, options);
        if (activity is { IsAllDataRequested: true })
        {
            if (attributes is not null)
            {
                foreach (var (key, value) in attributes)
                {
                    activity.SetTag(key, value);
                }
            }

            if (attributes?.ContainsKey(ArvoTelemetry.SpanKindAttribute) != true)
            {
                activity.SetTag(ArvoTelemetry.SpanKindAttribute, spanKind);
            }

            if (attributes?.ContainsKey(ArvoTelemetry.OpenInferenceSpanKindAttribute) != true)
            {
                activity.SetTag(ArvoTelemetry.OpenInferenceSpanKindAttribute, "CHAIN");
            }

            activity.SetTag("arvo.handler.source", source);
            activity.SetTag(ArvoTelemetry.ContractUriAttribute, contractUri);
        }

        return activity;
    }

    /// <summary>
    /// Starts a managed internal span (engine, registry: telemetry.md 1) with status OK: parent chosen like
    /// <see cref="StartExecutionSpan"/>, the internal span kinds and the consumed event's attributes.
    /// </summary>
    /// <returns>The activity, or null when nobody listens.</returns>
    public static Activity? StartInternalSpan(string name, ArvoEvent consumed, ArvoExecutionOptions options)
    {
        var activity = StartActivity(name, ActivityKind.Internal, consumed, options);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ArvoTelemetry.SpanKindAttribute, ArvoTelemetry.InternalSpanKind);
            activity.SetTag(ArvoTelemetry.OpenInferenceSpanKindAttribute, "INTERNAL");
            SetEventTags(activity, string.Empty, consumed);
        }

        activity?.SetStatus(ActivityStatusCode.Ok);
        return activity;
    }

    /// <summary>Sets the event's OpenTelemetry attributes with <paramref name="prefix"/> (e.g. <c>consumable.0.</c>).</summary>
    public static void SetEventTags(Activity activity, string prefix, ArvoEvent evt)
    {
        foreach (var (key, value) in evt.GetOtelAttributes())
        {
            activity.SetTag(prefix + key, value);
        }
    }

    /// <summary>Adds a <c>log</c> span event (<c>log.severity</c>, <c>log.message</c>, <c>log.timestamp</c>); no-op without a recording span.</summary>
    public static void Log(Activity? activity, string level, string message)
    {
        if (activity is { IsAllDataRequested: true })
        {
            AddLogEvent(activity, level, message);
        }
    }

    /// <summary>
    /// Adds a <c>log</c> span event whose text is an interpolated string, formatted only when the span records it (the
    /// hot path runs with no listener: no message string is built).
    /// </summary>
    public static void Log(Activity? activity, string level, [InterpolatedStringHandlerArgument(nameof(activity))] ref SpanLogMessage message)
    {
        if (activity is { IsAllDataRequested: true })
        {
            AddLogEvent(activity, level, message.ToStringAndClear());
        }
    }

    /// <summary>As <see cref="Log(Activity?, string, ref SpanLogMessage)"/>, on the ambient activity (<see cref="Activity.Current"/>).</summary>
    public static void LogCurrent(string level, ref SpanLogMessage message)
    {
        if (Activity.Current is { IsAllDataRequested: true } activity)
        {
            AddLogEvent(activity, level, message.ToStringAndClear());
        }
    }

    private static void AddLogEvent(Activity activity, string level, string message) =>
        activity.AddEvent(new ActivityEvent("log", tags: new ActivityTagsCollection
        {
            { "log.severity", level },
            { "log.message", message },
            { "log.timestamp", Stopwatch.GetTimestamp() },
        }));

    /// <summary>
    /// Starts an activity whose parent is the consumed event's trace headers when <paramref name="options"/> says
    /// <see cref="ArvoTraceParentSource.Event"/> and the event carries a valid <c>traceparent</c>, else the ambient activity.
    /// </summary>
    private static Activity? StartActivity(string name, ActivityKind kind, ArvoEvent consumed, ArvoExecutionOptions options)
    {
        var activitySource = ArvoActivities.Source;
        if (!activitySource.HasListeners())
        {
            return null;
        }

        return options.InheritFrom == ArvoTraceParentSource.Event
            && consumed.TraceParent is { } traceParent
            && ActivityContext.TryParse(traceParent, consumed.TraceState, isRemote: true, out var parent)
                ? activitySource.StartActivity(name, kind, parent)
                : activitySource.StartActivity(name, kind);
    }
}
