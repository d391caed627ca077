using Arvo.AspNetCore.Tests.Endpoints;
using Arvo.AspNetCore.Tests.TestSupport;

namespace Arvo.AspNetCore.Tests.Http;

/// <summary>Binary mode: the <c>ce-*</c> headers are the attributes, each failure names the attribute.</summary>
public sealed class CloudEventRequestReaderTests
{
    [Fact]
    public async Task Post_BinaryModeWithoutSpecVersion_Answers400NamingSpecVersion()
    {
        await using var host = await ArvoTestHost.StartAsync(Counter.System());
        var init = Counter.Init("increment", 1);

        var (status, body) = await Counter.SendAsync(host.Client, Counter.Binary(EventEndpointTests.BinaryHeaders(init).Skip(1), init.Data.GetRawText()));

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Invalid CloudEvent attribute",
            "The request is not a CloudEvent: expected a structured-mode body (Content-Type: application/cloudevents+json) or a binary-mode ce-specversion header.",
            "InvalidAttribute",
            "specversion"));
    }

    [Fact]
    public async Task Post_BinaryModeOfAnotherSpecVersion_Answers400NamingSpecVersion()
    {
        await using var host = await ArvoTestHost.StartAsync(Counter.System());
        var init = Counter.Init("increment", 1);

        var (status, body) = await Counter.SendAsync(
            host.Client, Counter.Binary([("ce-specversion", "0.3"), .. EventEndpointTests.BinaryHeaders(init).Skip(1)], init.Data.GetRawText()));

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400, "Invalid CloudEvent attribute", "Only CloudEvents spec version 1.0 is supported; ce-specversion is '0.3'.", "InvalidAttribute", "specversion"));
    }

    [Fact]
    public async Task Post_BinaryModeWithAnInvalidTime_Answers400NamingTime()
    {
        await using var host = await ArvoTestHost.StartAsync(Counter.System());
        var init = Counter.Init("increment", 1);
        var headers = EventEndpointTests.BinaryHeaders(init).Where(header => header.Header != "ce-time").Append(("ce-time", "yesterday"));

        var (status, body) = await Counter.SendAsync(host.Client, Counter.Binary(headers, init.Data.GetRawText()));

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Invalid CloudEvent attribute",
            "Invalid ArvoEvent attribute 'time': The time must be an RFC 3339 date-time with an offset. Expected a string like 2025-01-01T00:00:00.000+00:00 (seconds and fraction optional, offset Z, ±hh:mm or ±hhmm); actual \"yesterday\".",
            "InvalidAttribute",
            "time"));
    }

    [Fact]
    public async Task Post_BinaryModeWithNonNumericExecutionUnits_Answers400NamingExecutionUnits()
    {
        await using var host = await ArvoTestHost.StartAsync(Counter.System());
        var init = Counter.Init("increment", 1);

        var (status, body) = await Counter.SendAsync(
            host.Client, Counter.Binary([.. EventEndpointTests.BinaryHeaders(init), ("ce-executionunits", "many")], init.Data.GetRawText()));

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Invalid CloudEvent attribute",
            "Invalid ArvoEvent attribute 'executionunits': Execution units must be a number. Expected a finite number; actual The CloudEvent's executionunits 'many' is not a finite JSON number..",
            "InvalidAttribute",
            "executionunits"));
    }

    [Fact]
    public async Task Post_BinaryModeWithABrokenPercentEncoding_Answers400NamingTheAttribute()
    {
        await using var host = await ArvoTestHost.StartAsync(Counter.System());
        var init = Counter.Init("increment", 1);

        var (status, body) = await Counter.SendAsync(
            host.Client, Counter.Binary([.. EventEndpointTests.BinaryHeaders(init), ("ce-accesscontrol", "role%2")], init.Data.GetRawText()));

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Invalid CloudEvent attribute",
            "The header ce-accesscontrol cannot be decoded: Invalid HTTP header value for CloudEvent attribute: percent is not followed by two hex digits",
            "InvalidAttribute",
            "accesscontrol"));
    }

    [Fact]
    public async Task Post_BinaryModeDataThatIsNotJson_Answers400NamingData()
    {
        await using var host = await ArvoTestHost.StartAsync(Counter.System());
        var init = Counter.Init("increment", 1);

        var (status, body) = await Counter.SendAsync(host.Client, Counter.Binary(EventEndpointTests.BinaryHeaders(init), "delta=1"));

        status.Should().Be(400);
        Problem.From(body).Should().Be(new Problem(
            400,
            "Invalid CloudEvent attribute",
            "Invalid ArvoEvent attribute 'data': The binary-mode data is not JSON. Expected a JSON object; actual 'd' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0..",
            "InvalidAttribute",
            "data"));
    }

    [Fact]
    public async Task Post_BinaryModePercentEncodedHeader_IsDecoded()
    {
        await using var host = await ArvoTestHost.StartAsync(Counter.System(services: false), options: new ArvoHttpOptions { ResponseMode = ArvoHttpResponseMode.EmittedEvents });
        var init = Counter.Init("increment", 1);

        using var response = await host.Client.SendAsync(
            Counter.Binary([.. EventEndpointTests.BinaryHeaders(init), ("ce-accesscontrol", "role%3Dadmin%20%C3%A9")], init.Data.GetRawText()));
        var emitted = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        ((int)response.StatusCode).Should().Be(200);
        emitted[0].GetProperty("accesscontrol").GetString().Should().Be("role=admin é");
    }
}
