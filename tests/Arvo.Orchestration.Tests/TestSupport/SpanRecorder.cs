using System.Diagnostics;
using Arvo.Telemetry;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// Records every stopped activity of the Arvo source (and of the given extra sources) while alive. Use only in the
/// <see cref="TelemetryTestGroup"/> collection: listeners are process-wide.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public SpanRecorder(params string[] extraSources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArvoTelemetry.ActivitySourceName || extraSources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>A snapshot of the activities stopped so far, in stop order.</summary>
    public IReadOnlyList<Activity> Stopped
    {
        get
        {
            lock (_stopped)
            {
                return [.. _stopped];
            }
        }
    }

    /// <summary>Forgets the activities recorded so far.</summary>
    public void Clear()
    {
        lock (_stopped)
        {
            _stopped.Clear();
        }
    }

    public void Dispose() => _listener.Dispose();
}
