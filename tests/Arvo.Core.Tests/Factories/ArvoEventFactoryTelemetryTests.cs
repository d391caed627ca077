using System.Diagnostics;
using Arvo.Factories;
using Arvo.Telemetry;

namespace Arvo.Tests.Factories;

/// <summary>Factory spans and trace headers. Not parallel: an ActivityListener sees every test's spans.</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class ArvoEventFactoryTelemetryTests
{
    private static readonly ArvoEventFactory Factory = new(ArvoEventFactoryTests.Mock.Version("0.0.1"));

    [Fact]
    public void Accepts_WithListener_StampsFactorySpanHeadersAndTags()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArvoTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var evt = Factory.Accepts(new ArvoEventEnvelope { Source = "com.test.test", Subject = "s" }, new { input = "x" });

        var span = stopped.Should().ContainSingle(a => a.OperationName == "EventFactory.accepts<test.input.0>").Subject;
        evt.TraceParent.Should().Be(span.Id);
        span.Status.Should().Be(ActivityStatusCode.Ok);
        span.GetTagItem(ArvoTelemetry.ContractUriAttribute).Should().Be("#/mock/contract");
        span.GetTagItem(ArvoTelemetry.ContractVersionAttribute).Should().Be("0.0.1");
        span.GetTagItem("cloudevents.event_type").Should().Be("test.input.0");
    }

    [Fact]
    public void Accepts_NoListener_LeavesTraceHeadersNull()
    {
        var evt = Factory.Accepts(new ArvoEventEnvelope { Source = "com.test.test", Subject = "s" }, new { input = "x" });

        evt.TraceParent.Should().BeNull();
        evt.TraceState.Should().BeNull();
    }

    [Fact]
    public void Accepts_CallerTraceHeaders_Win()
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        var evt = Factory.Accepts(new ArvoEventEnvelope { Source = "com.test.test", Subject = "s", TraceParent = traceParent, TraceState = "vendor=x" }, new { input = "x" });

        evt.TraceParent.Should().Be(traceParent);
        evt.TraceState.Should().Be("vendor=x");
    }
}
