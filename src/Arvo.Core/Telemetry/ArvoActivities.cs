using System.Diagnostics;
using System.Reflection;
using Arvo.Telemetry;

namespace Arvo.Internal;

/// <summary>
/// Starts Arvo's spans. Shared source: each Arvo assembly compiles its own copy, so each has its own
/// <see cref="ActivitySource"/> named <see cref="ArvoTelemetry.ActivitySourceName"/> (listeners subscribe by name)
/// and no package reaches into another's internals.
/// </summary>
internal static class ArvoActivities
{
    /// <summary>This assembly's activity source. Activities are only created when someone listens.</summary>
    internal static ActivitySource Source { get; } = new(ArvoTelemetry.ActivitySourceName, typeof(ArvoActivities).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0");

    /// <summary>
    /// Starts an internal span whose parent is the ambient activity. Sets the Arvo span kinds and status OK
    /// (managed mode); callers record failures with <see cref="RecordFailure"/>.
    /// </summary>
    internal static Activity? StartInternal(string name)
    {
        var activity = Source.StartActivity(name, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ArvoTelemetry.SpanKindAttribute, ArvoTelemetry.InternalSpanKind);
            activity.SetTag(ArvoTelemetry.OpenInferenceSpanKindAttribute, "INTERNAL");
            activity.SetStatus(ActivityStatusCode.Ok);
        }

        return activity;
    }

    /// <summary>Records an exception on the span and sets status ERROR with its message.</summary>
    internal static void RecordFailure(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("exception.type", exception.GetType().Name);
            activity.SetTag("exception.message", exception.Message);
            activity.AddException(exception);
        }
    }
}
