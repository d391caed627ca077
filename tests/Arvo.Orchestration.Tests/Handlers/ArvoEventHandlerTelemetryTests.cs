// H-4 throws a plain Error in the reference; its C# counterpart is System.Exception.
#pragma warning disable CA2201

using System.Diagnostics;
using Arvo.Handlers;
using Arvo.Telemetry;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Handlers;

/// <summary>The handler span (telemetry.md 1–6). Not parallel: an ActivityListener sees every test's spans.</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class ArvoEventHandlerTelemetryTests : IDisposable
{
    private const string InputTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string InputSpanId = "00f067aa0ba902b7";
    private const string InputTraceParent = "00-" + InputTraceId + "-" + InputSpanId + "-01";
    private const string SpanName = "Handler<#/test/ArvoEventHandler>";

    private static readonly ActivitySource Ambient = new("Arvo.Tests.Ambient");

    private readonly SpanRecorder _spans = new("Arvo.Tests.Ambient");

    public void Dispose() => _spans.Dispose();

    private Activity HandlerSpan(string name = SpanName) => _spans.Stopped.Should().ContainSingle(a => a.OperationName == name).Subject;

    [Fact]
    public async Task ExecuteAsync_Success_RecordsHandlerSpanWithAttributes()
    {
        var input = HelloFixture.Event();

        var evt = (await HelloFixture.Handler().ExecuteAsync(input)).All.Single();

        var span = HandlerSpan();
        span.Kind.Should().Be(ActivityKind.Consumer);
        span.Source.Name.Should().Be(ArvoTelemetry.ActivitySourceName);
        span.Status.Should().Be(ActivityStatusCode.Ok);
        span.GetTagItem("arvo.span.kind").Should().Be("handler.simple");
        span.GetTagItem("openinference.span.kind").Should().Be("CHAIN");
        span.GetTagItem("arvo.handler.source").Should().Be("com.hello.world");
        span.GetTagItem("arvo.contract.uri").Should().Be("#/test/ArvoEventHandler");
        span.GetTagItem("arvo.handler.execution.type").Should().Be("handler");
        span.GetTagItem("arvo.handler.execution.status").Should().Be("normal");
        span.GetTagItem("consumable.0.cloudevents.event_id").Should().Be(input.Id);
        span.GetTagItem("emittables.0.cloudevents.event_id").Should().Be(evt.Id);
        span.GetTagItem("emittables.0.cloudevents.event_type").Should().Be("evt.hello.world.success");
        evt.TraceParent.Should().Be(span.Id);
    }

    [Fact]
    public async Task ExecuteAsync_FactorySpans_AreChildrenOfTheHandlerSpan()
    {
        await HelloFixture.Handler().ExecuteAsync(HelloFixture.Event());

        var span = HandlerSpan();
        var factory = _spans.Stopped.Should().ContainSingle(a => a.OperationName == "EventFactory.emits<evt.hello.world.success>").Subject;
        factory.ParentSpanId.Should().Be(span.SpanId);
    }

    [Fact]
    public async Task ExecuteAsync_EventTraceParent_IsTheRemoteParentAndTraceStateFlows()
    {
        var evt = (await HelloFixture.Handler().ExecuteAsync(HelloFixture.Event(traceParent: InputTraceParent, traceState: "vendor=x"))).All.Single();

        var span = HandlerSpan();
        span.TraceId.ToHexString().Should().Be(InputTraceId);
        span.ParentSpanId.ToHexString().Should().Be(InputSpanId);
        span.HasRemoteParent.Should().BeTrue();
        evt.TraceParent.Should().Be($"00-{InputTraceId}-{span.SpanId.ToHexString()}-01");
        evt.TraceState.Should().Be("vendor=x");
    }

    [Fact]
    public async Task ExecuteAsync_InheritFromContext_UsesTheAmbientActivity()
    {
        using (var ambient = Ambient.StartActivity("ambient"))
        {
            await HelloFixture.Handler().ExecuteAsync(
                HelloFixture.Event(traceParent: InputTraceParent),
                new ArvoExecutionOptions { InheritFrom = ArvoTraceParentSource.Context });

            var span = HandlerSpan();
            span.ParentSpanId.Should().Be(ambient!.SpanId);
            span.TraceId.Should().Be(ambient.TraceId);
        }
    }

    [Fact]
    public async Task ExecuteAsync_EventWithoutTraceParent_FallsBackToTheAmbientActivity()
    {
        var input = HelloFixture.Event().WithTraceContext(null, null);
        using var ambient = Ambient.StartActivity("ambient");

        await HelloFixture.Handler().ExecuteAsync(input);

        HandlerSpan().ParentSpanId.Should().Be(ambient!.SpanId);
    }

    [Fact]
    public async Task ExecuteAsync_FunctionThrows_MarksTheSpanFailedAndStampsTheErrorEvent()
    {
        var evt = (await HelloFixture.Handler(function: _ => throw new Exception("Test error")).ExecuteAsync(HelloFixture.Event())).All.Single();

        var span = HandlerSpan();
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().Be("Event processing failed: Test error");
        span.GetTagItem("arvo.handler.execution.status").Should().Be("failure");
        span.Events.Should().Contain(e => e.Name == "exception");
        span.GetTagItem("emittables.0.cloudevents.event_type").Should().Be("sys.com.hello.world.error");
        evt.TraceParent.Should().Be(span.Id);
    }

    [Fact]
    public async Task ExecuteAsync_Violation_MarksTheSpanFailedAndThrows()
    {
        var act = async () => await HelloFixture.Handler().ExecuteAsync(HelloFixture.Event().WithDataSchema("#/test/ArvoEventHandler/0.0.0"));

        await act.Should().ThrowAsync<ConfigViolation>();
        var span = HandlerSpan();
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().StartWith("Event processing failed: ViolationError<Config> Invalid contract version: 0.0.0");
        span.GetTagItem("arvo.handler.execution.status").Should().Be("failure");
    }

    [Fact]
    public async Task ExecuteAsync_SpanOptions_OverrideNameKindAndSpanKindButNotSource()
    {
        var handler = HelloFixture.Handler(configure: h => h.SpanOptions(new ArvoSpanOptions
        {
            Kind = ActivityKind.Server,
            SpanName = c => "Custom<" + c.SelfContractUri + "@" + c.ConsumedEvent.Type + ">",
            Attributes = new Dictionary<string, object?>
            {
                ["custom.attribute"] = "test-value",
                ["arvo.span.kind"] = "mine",
                ["arvo.handler.source"] = "ignored",
            },
        }));

        await handler.ExecuteAsync(HelloFixture.Event());

        var span = HandlerSpan("Custom<#/test/ArvoEventHandler@com.hello.world>");
        span.Kind.Should().Be(ActivityKind.Server);
        span.GetTagItem("custom.attribute").Should().Be("test-value");
        span.GetTagItem("arvo.span.kind").Should().Be("mine");
        span.GetTagItem("openinference.span.kind").Should().Be("CHAIN");
        span.GetTagItem("arvo.handler.source").Should().Be("com.hello.world");
    }

    [Fact]
    public async Task ExecuteAsync_SpanNameFunctionReturnsEmpty_UsesTheDefaultName()
    {
        var handler = HelloFixture.Handler(configure: h => h.SpanOptions(new ArvoSpanOptions { SpanName = _ => "" }));

        await handler.ExecuteAsync(HelloFixture.Event());

        HandlerSpan().Should().NotBeNull();
    }

    [Fact]
    public async Task ExecuteAsync_ContextSeesTheHandlerSpanAndHeaders()
    {
        ArvoTraceHeaders headers = default;
        Activity? seen = null;
        var handler = HelloFixture.Handler(function: ctx =>
        {
            headers = ctx.SpanHeaders;
            seen = ctx.Activity;
            return HelloFixture.Hello(ctx);
        });

        await handler.ExecuteAsync(HelloFixture.Event(traceParent: InputTraceParent, traceState: "vendor=x"));

        var span = HandlerSpan();
        seen.Should().BeSameAs(span);
        headers.Should().Be(new ArvoTraceHeaders(span.Id, "vendor=x"));
    }

    [Fact]
    public async Task ExecuteAsync_NonSubjectWithOrchestrationContext_RecordsParseFailureWithoutFailing()
    {
        var evt = (await HelloFixture.Handler().ExecuteAsync(HelloFixture.Event(domain: "test.test"))).All.Single();

        var span = HandlerSpan();
        evt.Domain.Should().BeNull();
        span.Status.Should().Be(ActivityStatusCode.Ok);
        span.GetTagItem("exception.message").Should().BeOfType<string>()
            .Which.Should().StartWith("Unable to parse the provided subject. Falling back to ArvoDomain.LOCAL. Error: ");
    }

    [Fact]
    public async Task ExecuteAsync_ManyConcurrentCalls_EachEventCarriesItsOwnSpan()
    {
        var handler = HelloFixture.Handler();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () => await handler.ExecuteAsync(HelloFixture.Event()))));

        var spanIds = _spans.Stopped.Where(a => a.OperationName == SpanName).Select(a => a.Id).ToHashSet();
        spanIds.Should().HaveCount(50);
        results.Select(r => r.All.Single().TraceParent).Should().OnlyHaveUniqueItems().And.OnlyContain(id => spanIds.Contains(id!));
    }
}

/// <summary>Trace headers without a listener (not parallel: a listener in another test would create spans).</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class ArvoEventHandlerNoTracingTests
{
    [Fact]
    public async Task ExecuteAsync_NoListener_EmitsNullTraceHeadersEvenWhenTheInputHasThem()
    {
        ArvoTraceHeaders headers = new("x", "y");
        var handler = HelloFixture.Handler(function: ctx =>
        {
            headers = ctx.SpanHeaders;
            return HelloFixture.Hello(ctx);
        });

        var evt = (await handler.ExecuteAsync(HelloFixture.Event(traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", traceState: "vendor=x"))).All.Single();

        evt.TraceParent.Should().BeNull();
        evt.TraceState.Should().BeNull();
        headers.Should().Be(default(ArvoTraceHeaders));
    }

    [Fact]
    public async Task ExecuteAsync_NoListenerAndFailure_EmitsNullTraceHeaders()
    {
        var evt = (await HelloFixture.Handler(function: _ => throw new InvalidOperationException("x")).ExecuteAsync(HelloFixture.Event(traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))).All.Single();

        evt.TraceParent.Should().BeNull();
        evt.TraceState.Should().BeNull();
    }
}
