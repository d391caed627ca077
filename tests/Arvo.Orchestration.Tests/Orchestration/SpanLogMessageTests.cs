using System.Diagnostics;
using Arvo.Telemetry;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// <see cref="ExecutionTelemetry.Log(Activity?, string, ref SpanLogMessage)"/>: an interpolated log message is formatted
/// only for a span that records it, so executions without a listener build no message strings.
/// </summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class SpanLogMessageTests
{
    private static readonly ActivitySource Source = new("Arvo.Tests.SpanLogMessage");

    [Fact]
    public void Log_WithoutActivity_DoesNotFormatTheMessage()
    {
        var part = new CountingPart("subject-1");

        ExecutionTelemetry.Log(null, "INFO", $"Acquired lock for event (subject={part})");

        part.Formatted.Should().Be(0);
    }

    [Fact]
    public void Log_OnARecordingSpan_AddsTheFormattedMessageOnce()
    {
        using var listener = Listen(ActivitySamplingResult.AllDataAndRecorded);
        using var activity = Source.StartActivity("recorded")!;
        var part = new CountingPart("subject-1");

        ExecutionTelemetry.Log(activity, "WARNING", $"Acquired lock for event (subject={part}), attempt {2}");

        var log = activity.Events.Should().ContainSingle().Subject;
        part.Formatted.Should().Be(1);
        log.Name.Should().Be("log");
        log.Tags.Should().Contain(new KeyValuePair<string, object?>("log.severity", "WARNING"));
        log.Tags.Should().Contain(new KeyValuePair<string, object?>("log.message", "Acquired lock for event (subject=subject-1), attempt 2"));
    }

    [Fact]
    public void Log_OnASpanThatOnlyPropagates_DoesNotFormatTheMessage()
    {
        using var listener = Listen(ActivitySamplingResult.PropagationData);
        using var activity = Source.StartActivity("propagated")!;
        activity.IsAllDataRequested.Should().BeFalse();
        var part = new CountingPart("subject-1");

        ExecutionTelemetry.Log(activity, "INFO", $"Acquired lock for event (subject={part})");

        part.Formatted.Should().Be(0);
        activity.Events.Should().BeEmpty();
    }

    [Fact]
    public void LogCurrent_UsesTheAmbientActivity()
    {
        var unformatted = new CountingPart("none");
        ExecutionTelemetry.LogCurrent("INFO", $"no ambient span: {unformatted}");
        unformatted.Formatted.Should().Be(0);

        using var listener = Listen(ActivitySamplingResult.AllDataAndRecorded);
        using var activity = Source.StartActivity("ambient")!;
        ExecutionTelemetry.LogCurrent("ERROR", $"Memory unlock operation failed - Possible resource leak: {new CountingPart("boom")}");

        activity.Events.Should().ContainSingle().Which.Tags.Should().Contain(
            new KeyValuePair<string, object?>("log.message", "Memory unlock operation failed - Possible resource leak: boom"));
    }

    private static ActivityListener Listen(ActivitySamplingResult sampling)
    {
        // Source exists before the listener is added (the listener is attached to the sources that exist then).
        var tested = Source;
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source == tested,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>A message part that counts how often it is formatted.</summary>
    private sealed class CountingPart(string text)
    {
        public int Formatted { get; private set; }

        public override string ToString()
        {
            Formatted++;
            return text;
        }
    }
}
