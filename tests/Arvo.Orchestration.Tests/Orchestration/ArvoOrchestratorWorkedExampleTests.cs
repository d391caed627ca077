using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Memory;
using Arvo.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Arvo.Tests.Orchestration;

/// <summary>orchestrator.md section 14, with its literal values (ids and time come from injected generators).</summary>
public sealed class ArvoOrchestratorWorkedExampleTests
{
    private const string Subject =
        "eJwlzVsKwyAQheG9zHMUzaVtspvpZEIHooIxUpDsvUP6ej44f4OU6cNHyVhShqVBxMCwAOaarJotitBB5XxIiirOOuvh6oC/TGe5xwayKg2b33oc2by2icxIA5sZp9n09Fg9u/cTvdcviVLk3wNK4U7Yg3MVYuU1BRQ9jee+ayZwQS1c1w/oxTfx";

    private const string InitJson = $$"""
        { "id": "init-0001", "source": "com.test.service", "specversion": "1.0", "type": "arvo.orc.test",
          "subject": "{{Subject}}",
          "datacontenttype": "application/cloudevents+json;charset=UTF-8;profile=arvo",
          "dataschema": "#/test/machine/0.0.1",
          "data": { "parentSubject$$": null, "delta": 1, "type": "increment" },
          "time": "2025-01-01T00:00:00.000+00:00", "to": "arvo.orc.test", "accesscontrol": null,
          "redirectto": null, "executionunits": null, "traceparent": null, "tracestate": null,
          "parentid": null, "domain": null }
        """;

    private const string FirstEmittedJson = $$"""
        { "id": "f5268dcf-4c07-4ad9-8e8b-f891ffa8b9e8", "source": "arvo.orc.test", "specversion": "1.0",
          "type": "com.number.increment", "subject": "{{Subject}}",
          "datacontenttype": "application/cloudevents+json;charset=UTF-8;profile=arvo",
          "dataschema": "#/test/service/increment/0.0.1", "data": { "delta": 1 },
          "time": "2026-11-25T06:57:52.560+00:00", "to": "com.number.increment", "accesscontrol": null,
          "redirectto": "arvo.orc.test", "executionunits": 0.5, "traceparent": null, "tracestate": null,
          "parentid": "init-0001", "domain": null }
        """;

    private readonly SimpleMachineMemory<MachineMemoryRecord> _memory = new();
    private readonly ArvoOrchestrator _orchestrator;

    public ArvoOrchestratorWorkedExampleTests()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T06:57:52.560+00:00", System.Globalization.CultureInfo.InvariantCulture));
        _orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(_memory)
            .ExecutionUnits(0.5)
            .Machines(OrchestrationTestMachines.WorkedExample())
            .CreationOptions(new ArvoEventCreationOptions
            {
                TimeProvider = clock,
                IdGenerator = new SequenceIdGenerator("f5268dcf-4c07-4ad9-8e8b-f891ffa8b9e8", "notif-audit-1", "notif-local-1", "done-0001"),
                DeterministicEmittedIds = false, // the literal ids of the spec's worked example
            })
            .Build();
    }

    private static ArvoEvent Init => ArvoEventJson.Parse(InitJson);

    private static ArvoEvent Response(ArvoEvent command) => ArvoEvent.Create(new ArvoEventInit
    {
        Id = ArvoEventId.DeveloperManaged("resp-0001"),
        Source = "com.number.increment",
        Type = "evt.number.increment.success",
        Subject = command.Subject,
        DataSchema = "#/test/service/increment/0.0.1",
        Data = new { newValue = 10 },
        To = command.RedirectTo,
        ParentId = command.Id,
        ExecutionUnits = 0.1,
    });

    [Fact]
    public void InitSubject_DecodesToTheLiteralContent()
    {
        ArvoOrchestrationSubject.Parse(Subject).ToJsonString().Should().Be(
            """{"orchestrator":{"name":"arvo.orc.test","version":"0.0.1"},"execution":{"id":"3f1f2a4e-8f5c-4c3e-9a59-2c6d1e0b7a11","initiator":"com.test.service","domain":null},"meta":{}}""");
    }

    [Fact]
    public void Orchestrator_WorkedExampleMachine_DoesNotRequireLocking()
    {
        _orchestrator.RequiresResourceLocking.Should().BeFalse();
        _orchestrator.Source.Should().Be("arvo.orc.test");
    }

    [Fact]
    public async Task ExecuteAsync_Init_EmitsTheLiteralIncrementCommand()
    {
        var result = await _orchestrator.ExecuteAsync(Init);

        var emitted = result.All.Should().ContainSingle().Subject;
        JsonNode.DeepEquals(JsonNode.Parse(emitted.ToJson()), JsonNode.Parse(FirstEmittedJson)).Should().BeTrue(emitted.ToJson());
    }

    [Fact]
    public async Task ExecuteAsync_Response_EmitsAuditNotificationLocalNotificationAndCompletionInOrder()
    {
        var command = (await _orchestrator.ExecuteAsync(Init)).All.Single();

        var result = await _orchestrator.ExecuteAsync(Response(command));

        result.All.Select(e => (e.Type, e.Domain)).Should().Equal(
            ("notif.number.update", "audit"),
            ("notif.number.update", (string?)null),
            ("arvo.orc.test.done", (string?)null));
        foreach (var notification in result.All.Take(2))
        {
            notification.Data.GetRawText().Should().Be("""{"delta":10,"type":"increment"}""");
            notification.ParentId.Should().Be("resp-0001");
            notification.RedirectTo.Should().Be("arvo.orc.test");
            notification.To.Should().Be("notif.number.update");
            notification.Subject.Should().Be(Subject);
            notification.DataSchema.Should().Be("#/test/notification/decrement/0.0.1");
            notification.ExecutionUnits.Should().Be(0.5);
        }

        var done = result.All[2];
        done.Id.Should().Be("done-0001");
        done.Source.Should().Be("arvo.orc.test");
        done.Data.GetRawText().Should().Be("""{"final":10}""");
        done.To.Should().Be("com.test.service");
        done.ParentId.Should().Be("init-0001");
        done.DataSchema.Should().Be("#/test/machine/0.0.1");
        done.RedirectTo.Should().Be("arvo.orc.test");
        done.ExecutionUnits.Should().Be(0.5);
        done.Subject.Should().Be(Subject);
        done.Time.Should().Be("2026-11-25T06:57:52.560+00:00");
    }

    [Fact]
    public async Task ExecuteAsync_Response_ReturnsSeedShapedBuckets()
    {
        var command = (await _orchestrator.ExecuteAsync(Init)).All.Single();

        var result = await _orchestrator.ExecuteAsync(Response(command));

        result.Events.Select(e => e.Id).Should().Equal("notif-local-1", "done-0001");
        result.AllEventDomains.Should().Equal("audit", "default");
        result.DomainedEvents.Keys.Should().BeEquivalentTo("all", "audit", "default");
        result.DomainedEvents["audit"].Select(e => e.Id).Should().Equal("notif-audit-1");
        result.DomainedEvents["all"].Should().HaveCount(3);
    }

    [Fact]
    public async Task ExecuteAsync_Response_StoresTheDoneRecord()
    {
        var command = (await _orchestrator.ExecuteAsync(Init)).All.Single();
        var response = Response(command);

        var result = await _orchestrator.ExecuteAsync(response);

        var record = (MachineMemoryStateRecord)(await _memory.ReadRecordAsync(Subject))!;
        record.Status.Should().Be("done");
        record.Value!.Value.GetString().Should().Be("done");
        record.State.GetProperty("output").GetRawText().Should().Be("""{"final":10}""");
        record.InitEventId.Should().Be("init-0001");
        record.ParentSubject.Should().BeNull();
        record.Events.Consumed.Should().Be(response);
        record.Events.Produced.Should().Equal(result.All);
    }

    [Fact]
    public async Task ExecuteAsync_ResponseResentAfterCompletion_EmitsNothing()
    {
        var command = (await _orchestrator.ExecuteAsync(Init)).All.Single();
        var response = Response(command);
        var first = await _orchestrator.ExecuteAsync(response);
        (await _orchestrator.ExecuteAsync(response)).All.Should().Equal(first.All, "the same event redelivered is answered from the inbox");

        var again = await _orchestrator.ExecuteAsync(response.WithId("resent-response"));

        again.All.Should().BeEmpty();
        var record = (MachineMemoryStateRecord)(await _memory.ReadRecordAsync(Subject))!;
        record.Status.Should().Be("done");
        record.Events.Produced.Should().BeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_DuplicateInitOnRunningWorkflow_EmitsNothingAndClearsProduced()
    {
        await _orchestrator.ExecuteAsync(Init);

        var again = await _orchestrator.ExecuteAsync(Init.WithId("second-init"));

        again.All.Should().BeEmpty();
        var record = (MachineMemoryStateRecord)(await _memory.ReadRecordAsync(Subject))!;
        record.Status.Should().Be("active");
        record.Value!.Value.GetString().Should().Be("increment");
        record.Events.Produced.Should().BeEmpty();
        record.Events.Consumed!.Id.Should().Be("second-init");
    }

    [Fact]
    public async Task ExecuteAsync_Init_StoresTheActiveRecord()
    {
        var result = await _orchestrator.ExecuteAsync(Init);

        var json = JsonSerializer.SerializeToElement(await _memory.ReadRecordAsync(Subject));
        json.EnumerateObject().Select(p => p.Name).Should().Equal(
            "executionStatus", "initEventId", "subject", "parentSubject", "status", "value", "state", "events", "machineDefinition");
        json.GetProperty("executionStatus").GetString().Should().Be("normal");
        json.GetProperty("status").GetString().Should().Be("active");
        json.GetProperty("value").GetString().Should().Be("increment");
        json.GetProperty("events").GetProperty("produced")[0].GetProperty("id").GetString().Should().Be(result.All[0].Id);
    }
}
