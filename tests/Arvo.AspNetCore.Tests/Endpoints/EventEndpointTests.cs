using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.AspNetCore.Tests.TestSupport;
using Arvo.Samples.Counter;

namespace Arvo.AspNetCore.Tests.Endpoints;

/// <summary><c>POST /events</c> of samples/HttpHost (and of test hosts where the case needs another registration).</summary>
public sealed class EventEndpointTests
{
    [Theory]
    [InlineData(HostTransport.TestServer)]
    [InlineData(HostTransport.Kestrel)]
    public async Task Post_StructuredModeInit_StartsTheWorkflowAndItCompletes(HostTransport transport)
    {
        await using var host = SampleHost.Start(transport);
        var init = Counter.Init("increment", 5);

        var (status, body) = await Counter.PostEventAsync(host.Client, init.ToJson());
        var done = await Counter.WaitForStatusAsync(host.Client, init.Subject, "done");

        status.Should().Be(202);
        body.GetRawText().Should().Be($$"""{"eventId":"{{init.Id}}","subject":"{{init.Subject}}","outcome":"executed"}""");
        done.GetRawText().Should().Be(Counter.Done(init.Subject, init.Id, "increment", 5, 5));
    }

    [Theory]
    [InlineData(HostTransport.TestServer)]
    [InlineData(HostTransport.Kestrel)]
    public async Task Post_BinaryModeInit_StartsTheWorkflowAndItCompletes(HostTransport transport)
    {
        await using var host = SampleHost.Start(transport);
        var init = Counter.Init("decrement", 3);

        var (status, body) = await Counter.SendAsync(host.Client, Counter.Binary(BinaryHeaders(init), init.Data.GetRawText()));
        var done = await Counter.WaitForStatusAsync(host.Client, init.Subject, "done");

        status.Should().Be(202);
        body.GetRawText().Should().Be($$"""{"eventId":"{{init.Id}}","subject":"{{init.Subject}}","outcome":"executed"}""");
        done.GetRawText().Should().Be(Counter.Done(init.Subject, init.Id, "decrement", 3, -3));
    }

    [Fact]
    public async Task Post_PreferReturnRepresentation_AnswersTheEmittedCommand()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var init = Counter.Init("increment", 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = Counter.Structured(init.ToJson()) };
        request.Headers.Add("Prefer", "return=representation");

        using var response = await host.Client.SendAsync(request);
        var emitted = ReadBatch(await response.Content.ReadAsStringAsync());

        ((int)response.StatusCode).Should().Be(200);
        response.Content.Headers.ContentType!.ToString().Should().Be("application/cloudevents-batch+json; charset=utf-8");
        response.Headers.GetValues("Preference-Applied").Should().Equal("return=representation");
        emitted.Select(e => e.Type).Should().Equal(CounterContracts.IncrementType);
        emitted[0].Subject.Should().Be(init.Subject);
        emitted[0].Data.GetRawText().Should().Be("""{"delta":5}""");
    }

    [Fact]
    public async Task Post_EmittedEventsMode_AnswersTheEventsOfEachExecutionInOrder()
    {
        // No services: the test answers the command itself, so each execution's events are known.
        await using var host = await ArvoTestHost.StartAsync(
            Counter.System(services: false), options: new ArvoHttpOptions { ResponseMode = ArvoHttpResponseMode.EmittedEvents });
        var init = Counter.Init("increment", 5);

        using var started = await host.Client.PostAsync("/events", Counter.Structured(init.ToJson()));
        var startEvents = ReadBatch(await started.Content.ReadAsStringAsync());
        using var answered = await host.Client.PostAsync("/events", Counter.Structured(Counter.IncrementSuccess(init.Subject, 5).ToJson()));
        var answerEvents = ReadBatch(await answered.Content.ReadAsStringAsync());

        ((int)started.StatusCode).Should().Be(200);
        startEvents.Select(e => e.Type).Should().Equal(CounterContracts.IncrementType);
        ((int)answered.StatusCode).Should().Be(200);
        answerEvents.Select(e => e.Type).Should().Equal(CounterContracts.NotificationType, CounterContracts.CompleteType);
        answerEvents[1].Data.GetRawText().Should().Be("""{"final":5}""");
        answerEvents[1].To.Should().Be(Counter.Initiator);
    }

    [Fact]
    public async Task Post_PreferReturnMinimal_Answers202InEmittedEventsMode()
    {
        await using var host = await ArvoTestHost.StartAsync(
            Counter.System(services: false), options: new ArvoHttpOptions { ResponseMode = ArvoHttpResponseMode.EmittedEvents });
        var init = Counter.Init("increment", 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = Counter.Structured(init.ToJson()) };
        request.Headers.Add("Prefer", "return=minimal");

        using var response = await host.Client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(202);
        response.Headers.GetValues("Preference-Applied").Should().Equal("return=minimal");
    }

    [Fact]
    public async Task Post_MalformedJson_Answers400NamingTheDocument()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);

        var (status, body) = await Counter.PostEventAsync(host.Client, """{"id":"1",""");

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Malformed JSON",
            "Invalid ArvoEvent attribute '$': The JSON text is malformed. Expected one well-formed JSON object; actual Expected start of a property name or value, but instead reached end of data. LineNumber: 0 | BytePositionInLine: 9..",
            "MalformedJson",
            "$"));
    }

    [Fact]
    public async Task Post_EventWithoutType_Answers400NamingTheAttribute()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var json = JsonNode.Parse(Counter.Init("increment", 5).ToJson())!.AsObject();
        json.Remove("type");

        var (status, body) = await Counter.PostEventAsync(host.Client, json.ToJsonString());

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Invalid CloudEvent attribute",
            "Invalid ArvoEvent attribute 'type': The attribute is required. Expected a reverse-DNS event type; actual (missing).",
            "InvalidAttribute",
            "type"));
        body.GetProperty("expected").GetString().Should().Be("a reverse-DNS event type");
        body.GetProperty("actual").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Post_EventWithAnInvalidDomain_Answers400NamingTheAttribute()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var json = JsonNode.Parse(Counter.Init("increment", 5).ToJson())!.AsObject();
        json["domain"] = "Human Review";

        var (status, body) = await Counter.PostEventAsync(host.Client, json.ToJsonString());

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Invalid CloudEvent attribute",
            "Invalid ArvoEvent attribute 'domain': Domain must contain only lowercase letters, numbers, and dots. Expected null or a non-empty string matching ^[a-z0-9.]+$; actual \"Human Review\".",
            "InvalidAttribute",
            "domain"));
    }

    [Fact]
    public async Task Post_InitDataBreakingTheContract_Answers400NamingTheField()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var init = Counter.Init("increment", 5);
        var json = JsonNode.Parse(init.ToJson())!.AsObject();
        json["data"]!["delta"] = "five";

        var (status, body) = await Counter.PostEventAsync(host.Client, json.ToJsonString());

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Contract violation",
            "ViolationError<Contract> Input validation failed - Event data does not meet contract requirements: $.delta: expected number, found string",
            "Contract",
            "data.delta"));
        body.GetProperty("eventId").GetString().Should().Be(init.Id);
        body.GetProperty("issues").GetRawText().Should().Be("""[{"path":"$.delta","code":"invalid_type","expected":"number","found":"string"}]""");
    }

    [Fact]
    public async Task Post_CommandBreakingTheServiceContract_Answers400NamingTheField()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var json = JsonNode.Parse(Counter.IncrementCommand(2).ToJson())!.AsObject();
        json["data"] = new JsonObject { ["delta"] = true };

        var (status, body) = await Counter.PostEventAsync(host.Client, json.ToJsonString());

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Contract violation",
            "ViolationError<Contract> Input event payload validation failed: $.delta: expected number, found boolean",
            "Contract",
            "data.delta"));
        body.GetProperty("issues").GetRawText().Should().Be("""[{"path":"$.delta","code":"invalid_type","expected":"number","found":"boolean"}]""");
    }

    [Fact]
    public async Task Post_DataschemaOfAnotherVersion_Answers400NamingTheDataschema()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var json = JsonNode.Parse(Counter.Init("increment", 5).ToJson())!.AsObject();
        json["dataschema"] = "#/test/machine/9.9.9";

        var (status, body) = await Counter.PostEventAsync(host.Client, json.ToJsonString());

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Contract violation",
            "ViolationError<Contract> Input validation failed - Event data does not meet contract requirements: Contract version mismatch: self Contract(version='0.0.1', type='arvo.orc.counter', uri=#/test/machine) does not match Event(dataschema='#/test/machine/9.9.9', type='arvo.orc.counter')",
            "Contract",
            "dataschema"));
    }

    [Fact]
    public async Task Post_InitWithoutAnOrchestrationSubject_Answers400NamingTheSubject()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var init = Counter.Init("increment", 5);
        var json = JsonNode.Parse(init.ToJson())!.AsObject();
        json["subject"] = "order-42";

        var (status, body) = await Counter.PostEventAsync(host.Client, json.ToJsonString());

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Execution violation",
            $"ViolationError<Execution> Invalid event (id={init.Id}) subject format. Expected an ArvoOrchestrationSubject but received 'order-42'. The subject must follow the format specified by ArvoOrchestrationSubject schema",
            "Execution",
            "subject"));
    }

    [Fact]
    public async Task Post_UnknownTo_Answers404ListingTheDestinations()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var json = JsonNode.Parse(Counter.Init("increment", 5).ToJson())!.AsObject();
        json["to"] = "com.unknown.service";

        var (status, body) = await Counter.PostEventAsync(host.Client, json.ToJsonString());

        status.Should().Be(404);
        Problem.From(body).Should().Be(new Problem(
            404,
            "Unknown destination",
            "No handler, orchestrator or resumable consumes to='com.unknown.service'; this host consumes: arvo.orc.counter, com.number.increment, com.number.decrement, notif.number.update.",
            "UnknownDestination",
            "to"));
        body.GetProperty("destinations").GetRawText().Should().Be("""["arvo.orc.counter","com.number.increment","com.number.decrement","notif.number.update"]""");
    }

    [Fact]
    public async Task Post_Batch_Answers415()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var content = new StringContent("[]", System.Text.Encoding.UTF8, "application/cloudevents-batch+json");

        using var response = await host.Client.PostAsync("/events", content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        ((int)response.StatusCode).Should().Be(415);
        Problem.From(body).Should().Be(new Problem(
            415,
            "Unsupported CloudEvents mode",
            "Batch mode ('application/cloudevents-batch+json; charset=utf-8') is not accepted: send one event per request, in structured mode (Content-Type: application/cloudevents+json) or binary mode (ce-* headers).",
            "UnsupportedMode",
            null));
    }

    [Fact]
    public async Task Post_BodyAboveTheLimit_Answers413()
    {
        await using var host = await ArvoTestHost.StartAsync(Counter.System(), options: new ArvoHttpOptions { MaxRequestBodySize = 100 });

        var (status, body) = await Counter.PostEventAsync(host.Client, Counter.Init("increment", 5).ToJson());

        status.Should().Be(413);
        Problem.From(body).Should().Be(new Problem(
            413, "Request body too large", "The request body is larger than 100 bytes (ArvoHttpOptions.MaxRequestBodySize).", "RequestTooLarge", null));
    }

    internal static IEnumerable<(string Header, string Value)> BinaryHeaders(ArvoEvent arvoEvent)
    {
        yield return ("ce-specversion", "1.0");
        yield return ("ce-id", arvoEvent.Id);
        yield return ("ce-source", arvoEvent.Source);
        yield return ("ce-type", arvoEvent.Type);
        yield return ("ce-subject", arvoEvent.Subject);
        yield return ("ce-to", arvoEvent.To!);
        yield return ("ce-dataschema", arvoEvent.DataSchema!);
        yield return ("ce-time", arvoEvent.Time);
    }

    private static List<ArvoEvent> ReadBatch(string json) =>
        [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(element => Arvo.Events.ArvoEventJson.Parse(element))];
}
