using Arvo.AspNetCore.Tests.TestSupport;

namespace Arvo.AspNetCore.Tests.Http;

/// <summary>How a dispatch that failed is answered: busy (503), another execution violation (422), anything else (500).</summary>
public sealed class ArvoProblemsTests
{
    private const string Source = "com.flaky.service";

    [Fact]
    public async Task Post_LockContentionThroughEveryRetry_Answers503WithRetryAfter()
    {
        await using var host = await ArvoTestHost.StartAsync(
            arvo => arvo.AddHandler(new ThrowingHandler(Source, () => new TransactionViolation(TransactionViolationCause.LockUnacquired, "the lock is held"))),
            options: new ArvoHttpOptions { RetryAfter = TimeSpan.FromSeconds(3) });
        var arvoEvent = ThrowingHandler.EventTo(Source);

        using var response = await host.Client.PostAsync("/events", Counter.Structured(arvoEvent.ToJson()));
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        ((int)response.StatusCode).Should().Be(503);
        response.Headers.GetValues("Retry-After").Should().Equal("3");
        Problem.From(body).Should().Be(new Problem(
            503,
            "Workflow busy",
            $"The workflow of event '{arvoEvent.Id}' stayed locked or its store failed transiently through 2 attempts (LOCK_UNACQUIRED); send the event again later.",
            "LOCK_UNACQUIRED",
            null));
    }

    [Fact]
    public async Task Post_UnexpectedException_Answers500WithoutItsMessage()
    {
        await using var host = await ArvoTestHost.StartAsync(
            arvo => arvo.AddHandler(new ThrowingHandler(Source, () => new InvalidOperationException("connection string Password=secret"))));
        var arvoEvent = ThrowingHandler.EventTo(Source);

        using var response = await host.Client.PostAsync("/events", Counter.Structured(arvoEvent.ToJson()));
        var text = await response.Content.ReadAsStringAsync();
        var body = System.Text.Json.JsonDocument.Parse(text).RootElement;

        ((int)response.StatusCode).Should().Be(500);
        Problem.From(body).Should().Be(new Problem(
            500, "Internal error", $"Event '{arvoEvent.Id}' could not be processed; the host logged the failure.", "InvalidOperationException", null));
        text.Should().NotContain("secret").And.NotContain(" at ");
    }

    [Fact]
    public async Task Post_ExecutionViolationOfTheWorkflow_Answers422()
    {
        await using var host = await ArvoTestHost.StartAsync(
            arvo => arvo.AddHandler(new ThrowingHandler(Source, () => new ExecutionViolation("the ledger is closed"))));
        var arvoEvent = ThrowingHandler.EventTo(Source);

        var (status, body) = await Counter.PostEventAsync(host.Client, arvoEvent.ToJson());

        status.Should().Be(422);
        Problem.From(body).Should().Be(new Problem(422, "Execution violation", "ViolationError<Execution> the ledger is closed", "Execution", null));
        body.GetProperty("eventId").GetString().Should().Be(arvoEvent.Id);
    }
}
