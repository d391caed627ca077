using System.Diagnostics;
using Arvo.Memory;
using Arvo.OpenTelemetry.Tests.TestSupport;
using Arvo.Resumable;
using Arvo.Samples.Counter;
using Arvo.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Arvo.OpenTelemetry.Tests.Trace;

/// <summary>Tracing through a real host: one counter workflow is one trace whose spans link as the events flowed.</summary>
public sealed class ArvoInstrumentationTracerProviderBuilderExtensionsTests
{
    private const string InitFactory = "OrchestratorEventFactory.init<arvo.orc.counter>";
    private const string OrchestratorInit = "Orchestrator<#/test/machine>@arvo.orc.counter";
    private const string IncrementHandler = "Handler<#/test/service/increment>";
    private const string OrchestratorResume = "Orchestrator<#/test/machine>@evt.number.increment.success";

    // The notification contract of the counter sample has the uri #/test/notification/decrement.
    private const string NotificationHandler = "Handler<#/test/notification/decrement>";

    [Fact]
    public void AddArvoInstrumentation_NullBuilder_Throws()
    {
        var act = () => ArvoInstrumentationTracerProviderBuilderExtensions.AddArvoInstrumentation(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("builder");
    }

    [Fact]
    public void AddArvoInstrumentation_CalledTwice_ExportsEachSpanOnce()
    {
        var spans = new List<Activity>();
        using var source = new ActivitySource(ArvoTelemetry.ActivitySourceName);
        using (var provider = Sdk.CreateTracerProviderBuilder().AddArvoInstrumentation().AddArvoInstrumentation().AddInMemoryExporter(spans).Build())
        {
            source.StartActivity("one")!.Dispose();
        }

        spans.Select(span => span.DisplayName).Should().Equal("one");
    }

    [Fact]
    public async Task AddArvoInstrumentation_CounterWorkflowThroughTheHost_IsOneTraceLinkedEventByEvent()
    {
        await using var host = await CounterHost.StartAsync();
        var init = CounterWorkflows.CreateInit("increment", 2);

        await host.Dispatcher.DispatchAsync(init);
        await host.WaitUntilDoneAsync(init.Subject);
        host.FlushSpans();

        // The init's traceparent is the span of the factory that created it (tracing is on); every span follows it.
        var traceId = ActivityContext.Parse(init.TraceParent!, null).TraceId;
        var trace = host.Spans.Where(span => span.TraceId == traceId).ToList();
        trace.Should().HaveCount(host.Spans.Count, "every span the host exported belongs to the one workflow");
        var byId = trace.ToDictionary(span => span.SpanId);
        string? ParentName(Activity span) => byId.TryGetValue(span.ParentSpanId, out var parent) ? parent.DisplayName : null;

        // Each execution's span is the child of the span that emitted the event it consumed (the event's traceparent).
        trace.Select(span => (span.DisplayName, ParentName(span), span.Kind)).Should().BeEquivalentTo(new (string, string?, ActivityKind)[]
        {
            (InitFactory, null, ActivityKind.Internal),
            (OrchestratorInit, InitFactory, ActivityKind.Producer),
            ("Resolve Machine", OrchestratorInit, ActivityKind.Internal),
            ("Execute Machine", OrchestratorInit, ActivityKind.Internal),
            ("createArvoEvent<com.number.increment>", OrchestratorInit, ActivityKind.Internal),
            (IncrementHandler, OrchestratorInit, ActivityKind.Consumer),
            ("EventFactory.emits<evt.number.increment.success>", IncrementHandler, ActivityKind.Internal),
            (OrchestratorResume, IncrementHandler, ActivityKind.Producer),
            ("Resolve Machine", OrchestratorResume, ActivityKind.Internal),
            ("Execute Machine", OrchestratorResume, ActivityKind.Internal),
            ("createArvoEvent<notif.number.update>", OrchestratorResume, ActivityKind.Internal),
            ("createArvoEvent<arvo.orc.counter.done>", OrchestratorResume, ActivityKind.Internal),
            (NotificationHandler, OrchestratorResume, ActivityKind.Consumer),
        });
        trace.Should().OnlyContain(span => span.Status == ActivityStatusCode.Ok);
        trace.Single(span => span.DisplayName == InitFactory).ParentSpanId.Should().Be(default(ActivitySpanId), "the test had no ambient activity");
    }

    [Fact]
    public async Task AddArvoInstrumentation_ExecutionSpans_CarryTheHandlerSourceAndOrchestrationStatus()
    {
        await using var host = await CounterHost.StartAsync();
        var init = CounterWorkflows.CreateInit("increment", 2);

        await host.Dispatcher.DispatchAsync(init);
        await host.WaitUntilDoneAsync(init.Subject);
        host.FlushSpans();

        Activity Span(string name) => host.Spans.Single(span => span.DisplayName == name);
        Span(OrchestratorInit).GetTagItem("arvo.handler.source").Should().Be("arvo.orc.counter");
        Span(OrchestratorInit).GetTagItem("arvo.handler.execution.type").Should().Be("orchestrator");
        Span(OrchestratorInit).GetTagItem("arvo.orchestration.status").Should().Be("active");
        Span(OrchestratorResume).GetTagItem("arvo.orchestration.status").Should().Be("done");
        Span(IncrementHandler).GetTagItem("arvo.handler.source").Should().Be("com.number.increment");
        Span(IncrementHandler).GetTagItem("arvo.handler.execution.type").Should().Be("handler");
        Span(NotificationHandler).GetTagItem("arvo.handler.source").Should().Be("notif.number.update");
    }

    [Fact]
    public async Task AddArvoInstrumentation_LockDeniedOnce_RecordsTheFailedAttemptAsAFailedSiblingSpan()
    {
        await using var host = await CounterHost.StartAsync(
            orchestrator => orchestrator.RequiresResourceLocking(true),
            arvo => arvo.UseMemory(_ => new LockDenyingMemory(), _ => new SimpleMachineMemory<ArvoResumableState>()));
        var init = CounterWorkflows.CreateInit("increment", 2);

        await host.Dispatcher.DispatchAsync(init);
        await host.WaitUntilDoneAsync(init.Subject);
        host.FlushSpans();

        // Both attempts consumed the same init, so both are children of its traceparent; only the second emitted.
        var attempts = host.Spans.Where(span => span.DisplayName == OrchestratorInit).ToList();
        var factory = host.Spans.Single(span => span.DisplayName == InitFactory);
        attempts.Should().HaveCount(2).And.OnlyContain(span => span.ParentSpanId == factory.SpanId);
        attempts[0].Status.Should().Be(ActivityStatusCode.Error);
        attempts[0].StatusDescription.Should().StartWith("ViolationError<OrchestratorTransaction> [LOCK_UNACQUIRED]");
        attempts[0].GetTagItem("arvo.handler.execution.status").Should().Be("failure");
        attempts[1].Status.Should().Be(ActivityStatusCode.Ok);
        host.Spans.Single(span => span.DisplayName == IncrementHandler).ParentSpanId.Should().Be(attempts[1].SpanId);
    }
}
