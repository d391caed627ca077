using System.Text.Json;
using Arvo.AspNetCore.Tests.TestSupport;
using Arvo.Samples.Counter;

namespace Arvo.AspNetCore.Tests.Endpoints;

/// <summary><c>GET /workflows/{subject}</c> and <c>POST /workflows/{orchestrator}</c>.</summary>
public sealed class WorkflowEndpointsTests
{
    [Theory]
    [InlineData(HostTransport.TestServer)]
    [InlineData(HostTransport.Kestrel)]
    public async Task Start_PlainJson_Answers202WithItsLocationAndTheWorkflowCompletes(HostTransport transport)
    {
        await using var host = SampleHost.Start(transport);

        using var response = await host.Client.PostAsync("/workflows/arvo.orc.counter", Counter.Json("""{"type":"increment","delta":5}"""));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var subject = body.GetProperty("subject").GetString()!;
        var eventId = body.GetProperty("eventId").GetString()!;
        var done = await Counter.WaitForStatusAsync(host.Client, subject, "done");
        var (status, contentType, located) = await Counter.GetAsync(host.Client, response.Headers.Location!.OriginalString);

        ((int)response.StatusCode).Should().Be(202);
        response.Headers.Location!.OriginalString.Should().Be("/workflows/" + Uri.EscapeDataString(subject));
        ArvoOrchestrationSubject.Parse(subject).Execution.Initiator.Should().Be(ArvoHttpOptions.DefaultInitiatorSource);
        done.GetRawText().Should().Be(Counter.Done(subject, eventId, "increment", 5, 5));
        (status, contentType).Should().Be((200, "application/json"));
        located.GetRawText().Should().Be(done.GetRawText());
    }

    [Fact]
    public async Task Get_RawAndUrlEncodedSubject_AnswerTheSameWorkflow()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var init = Counter.Init("increment", 2);
        await Counter.PostEventAsync(host.Client, init.ToJson());
        var done = await Counter.WaitForStatusAsync(host.Client, init.Subject, "done");

        var raw = await Counter.GetAsync(host.Client, "/workflows/" + init.Subject);
        var encoded = await Counter.GetAsync(host.Client, "/workflows/" + Uri.EscapeDataString(init.Subject));

        init.Subject.Should().ContainAny("/", "+", "=");
        raw.Status.Should().Be(200);
        raw.Body.GetRawText().Should().Be(done.GetRawText());
        encoded.Status.Should().Be(200);
        encoded.Body.GetRawText().Should().Be(done.GetRawText());
    }

    [Fact]
    public async Task Get_SubjectNeverStarted_Answers404NamingTheSubject()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var subject = ArvoOrchestrationSubject.New(CounterContracts.OrchestratorType, CounterContracts.Version, Counter.Initiator);

        var (status, contentType, body) = await Counter.GetAsync(host.Client, "/workflows/" + Uri.EscapeDataString(subject));

        (status, contentType).Should().Be((404, "application/problem+json"));
        Problem.From(body).Should().Be(new Problem(
            404, "Unknown workflow", $"No workflow of 'arvo.orc.counter' is stored under subject '{subject}'.", "UnknownWorkflow", "subject"));
    }

    [Fact]
    public async Task Get_UnparseableSubject_Answers400NamingTheSubject()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);

        var (status, _, body) = await Counter.GetAsync(host.Client, "/workflows/not-a-subject");

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Invalid orchestration subject",
            "Error parsing orchestration subject string to the context. Expected base64 text (standard or URL-safe alphabet, padding optional), found \"not-a-subject\".",
            "InvalidSubject",
            "subject"));
    }

    [Fact]
    public async Task Get_SubjectOfAnOrchestratorNotHostedHere_Answers404ListingTheHostedOnes()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);
        var subject = ArvoOrchestrationSubject.New("arvo.orc.billing", "1.0.0", Counter.Initiator);

        var (status, _, body) = await Counter.GetAsync(host.Client, "/workflows/" + Uri.EscapeDataString(subject));

        status.Should().Be(404);
        Problem.From(body).Should().Be(new Problem(
            404, "Unknown orchestrator", "No orchestrator or resumable 'arvo.orc.billing' is hosted here; hosted: arvo.orc.counter.", "UnknownOrchestrator", "subject"));
        body.GetProperty("orchestrators").GetRawText().Should().Be("""["arvo.orc.counter"]""");
    }

    [Fact]
    public async Task Start_DataBreakingTheInitSchema_Answers400NamingTheField()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);

        using var response = await host.Client.PostAsync("/workflows/arvo.orc.counter", Counter.Json("""{"type":"multiply","delta":5}"""));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        ((int)response.StatusCode).Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Contract violation",
            "ViolationError<Contract> Init Event data validation failed: $.type: expected one of \"increment\", \"decrement\", found \"multiply\"",
            "Contract",
            "data.type"));
        body.GetProperty("issues").Deserialize<List<Dictionary<string, string>>>().Should().BeEquivalentTo(
            [new Dictionary<string, string> { ["path"] = "$.type", ["code"] = "invalid_enum_value", ["expected"] = "one of \"increment\", \"decrement\"", ["found"] = "\"multiply\"" }],
            options => options.WithStrictOrdering());
    }

    [Fact]
    public async Task Start_MalformedJson_Answers400NamingTheData()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);

        using var response = await host.Client.PostAsync("/workflows/arvo.orc.counter", Counter.Json("""{"type":"""));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        ((int)response.StatusCode).Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Malformed JSON",
            "The request body is not JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 8.",
            "MalformedJson",
            "data"));
    }

    [Fact]
    public async Task Start_OrchestratorNotHostedHere_Answers404()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);

        using var response = await host.Client.PostAsync("/workflows/com.number.increment", Counter.Json("""{"delta":5}"""));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        ((int)response.StatusCode).Should().Be(404);
        Problem.From(body).Should().Be(new Problem(
            404, "Unknown orchestrator", "No orchestrator or resumable 'com.number.increment' is hosted here; hosted: arvo.orc.counter.", "UnknownOrchestrator", null));
    }

    [Fact]
    public async Task Start_VersionNotHostedHere_Answers400NamingTheVersion()
    {
        await using var host = SampleHost.Start(HostTransport.TestServer);

        using var response = await host.Client.PostAsync("/workflows/arvo.orc.counter?version=2.0.0", Counter.Json("""{"type":"increment","delta":5}"""));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        ((int)response.StatusCode).Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400, "Unknown contract version", "'arvo.orc.counter' has no version '2.0.0' here; hosted versions: 0.0.1.", "UnknownVersion", "version"));
        body.GetProperty("versions").GetRawText().Should().Be("""["0.0.1"]""");
    }

    [Fact]
    public async Task Get_AfterARestartOnTheSameFile_ShowsTheSameStateAndALaterEventContinuesIt()
    {
        using var database = new TempDatabase();
        string subject;
        string eventId;
        string waiting;

        // First host: the orchestrator without its services, so the workflow waits for the increment answer.
        await using (var first = await ArvoTestHost.StartAsync(Counter.System(database.Path, services: false), HostTransport.Kestrel))
        {
            using var started = await first.Client.PostAsync("/workflows/arvo.orc.counter", Counter.Json("""{"type":"increment","delta":7}"""));
            var body = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement;
            subject = body.GetProperty("subject").GetString()!;
            eventId = body.GetProperty("eventId").GetString()!;
            waiting = (await Counter.GetAsync(first.Client, "/workflows/" + Uri.EscapeDataString(subject))).Body.GetRawText();
        }

        // Second host, same file: the stored workflow is there as it was, and the service's answer finishes it.
        await using var second = await ArvoTestHost.StartAsync(Counter.System(database.Path), HostTransport.Kestrel);
        var (status, _, after) = await Counter.GetAsync(second.Client, "/workflows/" + Uri.EscapeDataString(subject));
        var (answered, _) = await Counter.PostEventAsync(second.Client, Counter.IncrementSuccess(subject, 7).ToJson());
        var done = await Counter.WaitForStatusAsync(second.Client, subject, "done");

        waiting.Should().Be($$"""{"subject":"{{subject}}","orchestrator":"arvo.orc.counter","version":"0.0.1","executionStatus":"normal","status":"active","value":"increment","context":{"delta":7,"type":"increment","newValue":null,"errors":[]},"output":null,"error":null,"parentSubject":null,"initEventId":"{{eventId}}","recordVersion":1}""");
        status.Should().Be(200);
        after.GetRawText().Should().Be(waiting);
        answered.Should().Be(202);
        done.GetRawText().Should().Be(Counter.Done(subject, eventId, "increment", 7, 7));
    }
}
