using System.Text.Json;
using Arvo.Events;
using Arvo.Memory;

namespace Arvo.Docs;

// docs:types:begin
public sealed record CounterContext(double Delta, double Final);
// docs:types:end

/// <summary>The code of docs/interop.md, run against events the TypeScript reference produced.</summary>
public sealed class InteropDocTests
{
    // docs:wire:begin
    // Two events exactly as arvo-core / arvo-event-handler 3.0.25 put them on the wire (tests/spec-vectors/events.json,
    // counter_workflow): a TypeScript client's init and a TypeScript handler's answer.
    private const string InitFromTypeScript = """{"id":"5400a8a1-39e3-47e4-b486-68f54d888e40","source":"com.test.service","specversion":"1.0","type":"arvo.orc.counter","subject":"eJwljtsKwyAQBf9ln6PkUg3mb+y6pQtRYWNCQfLvXdrXMzBzOlTBNx1NYqsCW4cSM8EGUa5qlVmsZ2kkMMBFcnAtCkc72gnuAehDeLbf2IGTonlcnV+QTMAJzSO5xTznEExanHdrmP3LR3Vx4cb/JGDNtukFe5BcjKQ41RxZpeXcd81kalEL9/0Fd6Y4WA==","datacontenttype":"application/cloudevents+json;charset=UTF-8;profile=arvo","dataschema":"#/test/machine/0.0.1","data":{"parentSubject$$":null,"delta":5,"type":"increment"},"time":"2026-11-25T06:51:15.972+00:00","to":"arvo.orc.counter","accesscontrol":null,"redirectto":null,"executionunits":null,"traceparent":null,"tracestate":null,"parentid":null,"domain":null}""";
    private const string AnswerFromTypeScript = """{"id":"4e3461ca-bb09-4c95-b87e-edfd54186207","source":"com.number.increment","specversion":"1.0","type":"evt.number.increment.success","subject":"eJwljtsKwyAQBf9ln6PkUg3mb+y6pQtRYWNCQfLvXdrXMzBzOlTBNx1NYqsCW4cSM8EGUa5qlVmsZ2kkMMBFcnAtCkc72gnuAehDeLbf2IGTonlcnV+QTMAJzSO5xTznEExanHdrmP3LR3Vx4cb/JGDNtukFe5BcjKQ41RxZpeXcd81kalEL9/0Fd6Y4WA==","datacontenttype":"application/cloudevents+json;charset=UTF-8;profile=arvo","dataschema":"#/test/service/increment/0.0.1","data":{"newValue":5},"time":"2026-11-25T06:51:16.023+00:00","to":"arvo.orc.counter","accesscontrol":null,"redirectto":null,"executionunits":1,"traceparent":null,"tracestate":null,"parentid":"f5e2ea3a-885a-40ec-b324-7b8bd5f9e1ea","domain":null}""";
    // docs:wire:end

    [Fact]
    public void Parse_ReferenceEvent_ReadsEveryAttributeAndWritesTheSameJson()
    {
        // docs:parse:begin
        var init = ArvoEventJson.Parse(InitFromTypeScript);
        // init.Type == "arvo.orc.counter", init.Source == "com.test.service", init.DataSchema == "#/test/machine/0.0.1",
        // init.Data == {"parentSubject$$":null,"delta":5,"type":"increment"}, init.ExecutionUnits == null

        var subject = ArvoOrchestrationSubject.Parse(init.Subject);
        // subject.ToJsonString() == {"orchestrator":{"name":"arvo.orc.counter","version":"0.0.1"},
        //   "execution":{"id":"207563ce-9c1c-4d53-b299-d35657926f6a","initiator":"com.test.service","domain":null},"meta":{}}

        var json = init.ToJson();
        // json == InitFromTypeScript: the same text, attribute order and nulls included
        // docs:parse:end

        (init.Id, init.Type, init.Source, init.To, init.DataSchema, init.Time).Should().Be(
            ("5400a8a1-39e3-47e4-b486-68f54d888e40", "arvo.orc.counter", "com.test.service", "arvo.orc.counter", "#/test/machine/0.0.1", "2026-11-25T06:51:15.972+00:00"));
        init.Data.GetRawText().Should().Be("""{"parentSubject$$":null,"delta":5,"type":"increment"}""");
        init.ExecutionUnits.Should().BeNull();
        (init.ParentId, init.Domain, init.RedirectTo).Should().Be(((string?)null, (string?)null, (string?)null));
        subject.ToJsonString().Should().Be(
            """{"orchestrator":{"name":"arvo.orc.counter","version":"0.0.1"},"execution":{"id":"207563ce-9c1c-4d53-b299-d35657926f6a","initiator":"com.test.service","domain":null},"meta":{}}""");
        json.Should().Be(InitFromTypeScript);
        ArvoEventJson.Parse(AnswerFromTypeScript).ToJson().Should().Be(AnswerFromTypeScript);
        ArvoEvent.FromCloudEvent(init.ToCloudEvent()).Should().Be(init);
    }

    [Fact]
    public void Formatter_CarriesTheReferenceBytesThroughTheCloudEventsSdk()
    {
        // docs:formatter:begin
        // CloudEvents SDK bindings (HTTP, AMQP, Kafka) carry Arvo events unchanged through ArvoJsonEventFormatter.
        var init = ArvoEventJson.Parse(InitFromTypeScript);
        var body = ArvoJsonEventFormatter.Instance.EncodeStructuredModeMessage(init.ToCloudEvent(), out var contentType);
        // body holds exactly the bytes of InitFromTypeScript, contentType is application/cloudevents+json

        var received = ArvoEvent.FromCloudEvent(ArvoJsonEventFormatter.Instance.DecodeStructuredModeMessage(body, contentType, null));
        // received.Equals(init)
        // docs:formatter:end

        System.Text.Encoding.UTF8.GetString(body.Span).Should().Be(InitFromTypeScript);
        contentType.MediaType.Should().Be("application/cloudevents+json");
        received.Should().Be(init);
    }

    [Fact]
    public async Task DotNetOrchestrator_RunsTheTypeScriptClientsWorkflow()
    {
        // docs:orchestrate:begin
        // The same contracts as the TypeScript side (uri, type, version and schemas), declared in C#.
        var counter = ArvoContract.CreateOrchestrator("#/test/machine", "counter", contract => contract
            .Version("0.0.1", version => version
                .Init("""{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string"}},"required":["delta","type"]}""")
                .Complete("""{"type":"object","properties":{"final":{"type":"number"}},"required":["final"]}""")));
        var increment = ArvoContract.Create("#/test/service/increment", "com.number.increment", contract => contract
            .Version("0.0.1", version => version
                .Accepts("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
                .Emits("evt.number.increment.success", """{"type":"object","properties":{"newValue":{"type":"number"}},"required":["newValue"]}""")));
        var machine = ArvoMachine.Setup<CounterContext>(counter.Version("0.0.1"))
            .Service("increment", increment.Version("0.0.1"))
            .CreateMachine("counter", m => m
                .Context(input => new CounterContext(input.Data.GetProperty("delta").GetDouble(), Final: 0))
                .Initial("incrementing")
                .State("incrementing", s => s
                    .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }))
                    .On("evt.number.increment.success", "done", t => t
                        .Assign((ctx, evt) => ctx with { Final = evt.Data.GetProperty("newValue").GetDouble() })))
                .Final("done")
                .Output(ctx => new { final = ctx.Final }));
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(new SimpleMachineMemory<MachineMemoryRecord>())
            .ExecutionUnits(1)
            .Machines(machine)
            .Build();

        // The TypeScript client's init starts a workflow here; the TypeScript handler's answer finishes it.
        var command = (await orchestrator.ExecuteAsync(ArvoEventJson.Parse(InitFromTypeScript))).All.Single();
        var done = (await orchestrator.ExecuteAsync(ArvoEventJson.Parse(AnswerFromTypeScript))).All.Single();

        // command: com.number.increment {"delta":5} to com.number.increment, dataschema #/test/service/increment/0.0.1
        // done.ToJson(): what the TypeScript client receives, with the fields the reference orchestrator gave its own
        //   completion: arvo.orc.counter.done {"final":5} to com.test.service, the init's subject, parentid = the init's id
        // docs:orchestrate:end

        (command.Type, command.Data.GetRawText(), command.To, command.DataSchema, command.Subject, command.ParentId).Should().Be(
            ("com.number.increment", """{"delta":5}""", "com.number.increment", "#/test/service/increment/0.0.1", ArvoEventJson.Parse(InitFromTypeScript).Subject, "5400a8a1-39e3-47e4-b486-68f54d888e40"));
        var reference = JsonDocument.Parse(
            """{"id":"3103bf2b-847a-4ad1-a9b5-e592eca73ee7","source":"arvo.orc.counter","specversion":"1.0","type":"arvo.orc.counter.done","subject":"eJwljtsKwyAQBf9ln6PkUg3mb+y6pQtRYWNCQfLvXdrXMzBzOlTBNx1NYqsCW4cSM8EGUa5qlVmsZ2kkMMBFcnAtCkc72gnuAehDeLbf2IGTonlcnV+QTMAJzSO5xTznEExanHdrmP3LR3Vx4cb/JGDNtukFe5BcjKQ41RxZpeXcd81kalEL9/0Fd6Y4WA==","datacontenttype":"application/cloudevents+json;charset=UTF-8;profile=arvo","dataschema":"#/test/machine/0.0.1","data":{"final":5},"time":"2026-11-25T06:51:16.026+00:00","to":"com.test.service","accesscontrol":null,"redirectto":"arvo.orc.counter","executionunits":1,"traceparent":null,"tracestate":null,"parentid":"5400a8a1-39e3-47e4-b486-68f54d888e40","domain":null}""").RootElement;
        using var ours = JsonDocument.Parse(done.ToJson());
        var differing = reference.EnumerateObject()
            .Where(p => p.Value.GetRawText() != ours.RootElement.GetProperty(p.Name).GetRawText())
            .Select(p => p.Name);
        differing.Should().Equal("id", "time");
        ours.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(reference.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void ZodExport_KeepsTheReferencesRuntimeBehaviour()
    {
        // docs:schemas:begin
        // A schema exported by the TypeScript contract (zod-to-json-schema) says additionalProperties: false, but zod
        // accepts extra keys at run time and strips them. FromZodExport reproduces that; FromJson honours the text.
        const string Exported = """{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}""";
        using var data = JsonDocument.Parse("""{"delta":1,"note":"extra"}""");

        var asWritten = ArvoSchema.FromJson(Exported).Validate(data.RootElement);     // invalid: $.note is not allowed
        var asZod = ArvoSchema.FromZodExport(Exported);
        var parsed = asZod.Parse(data.RootElement);                                    // {"delta":1}
        // docs:schemas:end

        asWritten.IsValid.Should().BeFalse();
        asWritten.Issues.Should().ContainSingle().Which.Path.Should().Be("$.note");
        asZod.Validate(data.RootElement).IsValid.Should().BeTrue();
        parsed.GetRawText().Should().Be("""{"delta":1}""");
    }

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("interop");
}
