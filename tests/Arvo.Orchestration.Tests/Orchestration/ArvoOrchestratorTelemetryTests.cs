// Plain errors of the reference are System.Exception here.
#pragma warning disable CA2201

using System.Diagnostics;
using Arvo.Handlers;
using Arvo.Memory;
using Arvo.Orchestration;
using Arvo.Telemetry;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>The orchestrator span (telemetry.md 2–6). Not parallel: an ActivityListener sees every test's spans.</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class ArvoOrchestratorTelemetryTests : IDisposable
{
    private const string InputTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string InputSpanId = "00f067aa0ba902b7";
    private const string InputTraceParent = "00-" + InputTraceId + "-" + InputSpanId + "-01";
    private const string SpanName = "Orchestrator<#/test/machine>@arvo.orc.test";

    private static readonly ActivitySource Ambient = new("Arvo.Tests.OrchestratorAmbient");

    private readonly SpanRecorder _spans = new("Arvo.Tests.OrchestratorAmbient");
    private readonly SimpleMachineMemory<MachineMemoryRecord> _memory = new();

    public void Dispose() => _spans.Dispose();

    private ArvoOrchestrator Orchestrator(ArvoMachine? machine = null, Action<ArvoOrchestratorBuilder>? configure = null)
    {
        var builder = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(0.1).Machines(machine ?? CounterMachine.CreateTestMachine());
        configure?.Invoke(builder);
        return builder.Build();
    }

    private List<Activity> Spans(string name)
    {
        return [.. _spans.Stopped.Where(a => a.OperationName == name)];
    }

    private Activity Span(string name = SpanName) => Spans(name).Should().ContainSingle().Subject;

    private static List<string?> Logs(Activity span) =>
        [.. span.Events.Where(e => e.Name == "log").Select(e => e.Tags.First(t => t.Key == "log.message").Value as string)];

    [Fact]
    public async Task ExecuteAsync_Init_RecordsTheOrchestratorSpanWithAttributes()
    {
        var init = MachineEvents.Init();

        var evt = (await Orchestrator().ExecuteAsync(init)).All.Single();

        var span = Span();
        span.Kind.Should().Be(ActivityKind.Producer);
        span.Source.Name.Should().Be(ArvoTelemetry.ActivitySourceName);
        span.Status.Should().Be(ActivityStatusCode.Ok);
        span.GetTagItem("arvo.span.kind").Should().Be("handler.orchestrator.statemachine");
        span.GetTagItem("openinference.span.kind").Should().Be("CHAIN");
        span.GetTagItem("arvo.handler.source").Should().Be("arvo.orc.test");
        span.GetTagItem("arvo.contract.uri").Should().Be("#/test/machine");
        span.GetTagItem("arvo.handler.execution.type").Should().Be("orchestrator");
        span.GetTagItem("arvo.handler.execution.status").Should().Be("normal");
        span.GetTagItem("arvo.parsed.subject.orchestrator.name").Should().Be("arvo.orc.test");
        span.GetTagItem("arvo.parsed.subject.orchestrator.version").Should().Be("0.0.1");
        span.GetTagItem("arvo.orchestration.status").Should().Be("active");
        span.GetTagItem("consumable.0.cloudevents.event_id").Should().Be(init.Id);
        span.GetTagItem("emittables.0.cloudevents.event_id").Should().Be(evt.Id);
        span.GetTagItem("emittables.0.cloudevents.event_type").Should().Be("com.number.increment");
        evt.TraceParent.Should().Be(span.Id);
        Logs(span).Should().Contain(["Starting execution for arvo.orc.test on subject " + init.Subject, "Execution completed with issues and emitted 1 events"]);
    }

    [Fact]
    public async Task ExecuteAsync_RegistryEngineAndEventSpans_AreChildrenOfTheOrchestratorSpan()
    {
        await Orchestrator().ExecuteAsync(MachineEvents.Init(traceParent: InputTraceParent));

        var span = Span();
        Span("Resolve Machine").ParentSpanId.Should().Be(span.SpanId);
        Span("Execute Machine").ParentSpanId.Should().Be(span.SpanId);
        Span("createArvoEvent<com.number.increment>").ParentSpanId.Should().Be(span.SpanId);
    }

    [Fact]
    public async Task ExecuteAsync_EventTraceParent_IsTheRemoteParentAndEveryEmittedEventCarriesTheSpan()
    {
        var orchestrator = Orchestrator();
        var init = MachineEvents.Init(traceParent: InputTraceParent, traceState: "vendor=x");
        await orchestrator.ExecuteAsync(init);
        _spans.Clear();
        var answer = MachineEvents.IncrementSuccess(init.Subject).WithTraceContext(InputTraceParent, "vendor=x");

        var result = (await orchestrator.ExecuteAsync(answer)).All;

        var span = Span("Orchestrator<#/test/machine>@evt.number.increment.success");
        span.TraceId.ToHexString().Should().Be(InputTraceId);
        span.ParentSpanId.ToHexString().Should().Be(InputSpanId);
        span.HasRemoteParent.Should().BeTrue();
        span.GetTagItem("arvo.orchestration.status").Should().Be("done");
        result.Should().HaveCount(3);
        result.Should().OnlyContain(e => e.TraceParent == $"00-{InputTraceId}-{span.SpanId.ToHexString()}-01" && e.TraceState == "vendor=x");
    }

    [Fact]
    public async Task ExecuteAsync_InheritFromContext_UsesTheAmbientActivity()
    {
        using var ambient = Ambient.StartActivity("ambient");

        await Orchestrator().ExecuteAsync(MachineEvents.Init(traceParent: InputTraceParent), new ArvoExecutionOptions { InheritFrom = ArvoTraceParentSource.Context });

        var span = Span();
        span.ParentSpanId.Should().Be(ambient!.SpanId);
        span.TraceId.Should().Be(ambient.TraceId);
    }

    [Fact]
    public async Task ExecuteAsync_MachineThrows_MarksTheSpanFailedAndStampsTheSystemError()
    {
        var orchestrator = DumbFixture.Orchestrator(_memory, () => new Exception("Normal error"));

        var evt = (await orchestrator.ExecuteAsync(DumbFixture.Init())).All.Single();

        var span = Span("Orchestrator<#/dumb>@arvo.orc.dumb");
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().Be("Normal error");
        span.GetTagItem("arvo.handler.execution.status").Should().Be("failure");
        span.GetTagItem("exception.message").Should().Be("Normal error");
        span.Events.Should().Contain(e => e.Name == "exception");
        span.GetTagItem("emittables.0.cloudevents.event_type").Should().Be("sys.arvo.orc.dumb.error");
        evt.TraceParent.Should().Be(span.Id);
        Span("OrchestratorEventFactory.systemError<sys.arvo.orc.dumb.error>").ParentSpanId.Should().Be(span.SpanId);
    }

    [Fact]
    public async Task ExecuteAsync_Violation_MarksTheSpanFailedAndThrows()
    {
        var init = MachineEvents.Init().WithSubject("plain-subject");

        var act = async () => await Orchestrator().ExecuteAsync(init);

        await act.Should().ThrowAsync<ExecutionViolation>();
        var span = Span();
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().StartWith("ViolationError<Execution> Invalid event");
        span.GetTagItem("arvo.handler.execution.status").Should().Be("failure");
    }

    [Fact]
    public async Task ExecuteAsync_FailedWorkflow_MarksTheSpanFailedWithTheIgnoreMessage()
    {
        var orchestrator = DumbFixture.Orchestrator(_memory, () => new Exception("Normal error"));
        var init = DumbFixture.Init();
        await orchestrator.ExecuteAsync(init);
        _spans.Clear();
        var later = DumbFixture.ServiceSuccess(init.Subject);

        (await orchestrator.ExecuteAsync(later)).All.Should().BeEmpty();

        var span = Span("Orchestrator<#/dumb>@evt.dumb.service.success");
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().Be($"The orchestration has failed in a previous event. Ignoring event id: {later.Id} with event subject: {init.Subject}");
        span.GetTagItem("arvo.handler.execution.status").Should().Be("failure");
    }

    [Fact]
    public async Task ExecuteAsync_SpanOptions_OverrideNameKindAndAttributes()
    {
        var orchestrator = Orchestrator(configure: b => b.SpanOptions(new ArvoSpanOptions
        {
            Kind = ActivityKind.Consumer,
            SpanName = c => "Custom<" + c.SelfContractUri + "@" + c.ConsumedEvent.Type + ">",
            Attributes = new Dictionary<string, object?>
            {
                ["custom.attribute"] = "test-value",
                ["arvo.span.kind"] = "mine",
                ["arvo.handler.source"] = "ignored",
            },
        }));

        await orchestrator.ExecuteAsync(MachineEvents.Init());

        var span = Span("Custom<#/test/machine@arvo.orc.test>");
        span.Kind.Should().Be(ActivityKind.Consumer);
        span.GetTagItem("custom.attribute").Should().Be("test-value");
        span.GetTagItem("arvo.span.kind").Should().Be("mine");
        span.GetTagItem("arvo.handler.source").Should().Be("arvo.orc.test");
    }

    [Fact]
    public async Task ExecuteAsync_SubjectOfAnotherOrchestrator_LogsAWarning()
    {
        var init = MachineEvents.Init().WithSubject(ArvoOrchestrationSubject.New("arvo.orc.other", "0.0.1", MachineEvents.Initiator));

        await Orchestrator().ExecuteAsync(init);

        var span = Span();
        span.Status.Should().Be(ActivityStatusCode.Ok);
        span.GetTagItem("arvo.parsed.subject.orchestrator.name").Should().Be("arvo.orc.other");
        span.Events.Should().Contain(e => e.Name == "log" && (string?)e.Tags.First(t => t.Key == "log.severity").Value == "WARNING");
    }

    [Fact]
    public async Task ExecuteAsync_NoListener_EmittedEventsHaveNoTraceHeaders()
    {
        _spans.Dispose();

        var evt = (await Orchestrator().ExecuteAsync(MachineEvents.Init(traceParent: InputTraceParent))).All.Single();

        evt.TraceParent.Should().BeNull();
        evt.TraceState.Should().BeNull();
    }
}
