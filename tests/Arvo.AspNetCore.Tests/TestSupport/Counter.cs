using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Arvo.Factories;
using Arvo.Hosting;
using Arvo.Samples.Counter;

namespace Arvo.AspNetCore.Tests.TestSupport;

/// <summary>The counter system of samples/Counter registered in a test host, its events, and the HTTP calls the tests make.</summary>
public static class Counter
{
    public const string Initiator = ArvoHttpOptions.DefaultInitiatorSource;

    private static readonly ArvoOrchestratorEventFactory InitFactory = new(CounterContracts.Orchestrator.Version(CounterContracts.Version));
    private static readonly ArvoEventFactory IncrementFactory = new(CounterContracts.Increment.Version(CounterContracts.Version));

    /// <summary>The counter orchestrator, with or without the services that answer its commands, on <paramref name="database"/> (in memory when null).</summary>
    public static Action<ArvoBuilder> System(string? database = null, bool services = true) => arvo =>
    {
        arvo.AddOrchestrator(orchestrator => orchestrator.Machines(CounterMachine.Create()));
        if (services)
        {
            arvo.AddHandler(CounterHandlers.CreateIncrement())
                .AddHandler(CounterHandlers.CreateDecrement())
                .AddHandler(CounterHandlers.CreateNotification());
        }

        if (database is not null)
        {
            arvo.UseSqliteMemory(database);
        }
    };

    public static ArvoEvent Init(string type, double delta) =>
        InitFactory.Init(new ArvoEventEnvelope { Source = Initiator }, new { type, delta });

    public static ArvoEvent IncrementCommand(double delta) =>
        IncrementFactory.Accepts(new ArvoEventEnvelope { Source = Initiator }, new { delta });

    /// <summary>The increment service's answer to the workflow <paramref name="subject"/>.</summary>
    public static ArvoEvent IncrementSuccess(string subject, double newValue) => IncrementFactory.Emits(
        new ArvoEventEnvelope { Source = CounterContracts.IncrementType, Subject = subject, To = CounterContracts.OrchestratorType },
        CounterContracts.IncrementSuccessType,
        new { newValue });

    /// <summary>A structured-mode request body: the event's Arvo JSON as <c>application/cloudevents+json</c>.</summary>
    public static StringContent Structured(string json) => new(json, Encoding.UTF8, "application/cloudevents+json");

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A binary-mode request: <c>ce-*</c> headers, the data as body, <c>Content-Type: application/json</c>.</summary>
    public static HttpRequestMessage Binary(IEnumerable<(string Header, string Value)> headers, string data)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new StringContent(data, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (header, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return request;
    }

    public static async Task<(int Status, JsonElement Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<(int Status, JsonElement Body)> PostEventAsync(HttpClient client, string json)
    {
        using var response = await client.PostAsync("/events", Structured(json));
        return ((int)response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<(int Status, string? ContentType, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await ReadJsonAsync(response));
    }

    /// <summary>Reads the workflow until its status is <paramref name="status"/> (the worker finishes it in the background), failing after a deadline.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string subject, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (code, _, body) = await GetAsync(client, "/workflows/" + Uri.EscapeDataString(subject));
            if (code == 200 && body.GetProperty("status").GetString() == status)
            {
                return body;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Workflow {subject} did not reach status '{status}'; last answer {code}: {body}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>The GET answer of a finished counter workflow, exactly.</summary>
    public static string Done(string subject, string initEventId, string type, double delta, double final, long recordVersion = 2) =>
        $$"""{"subject":"{{subject}}","orchestrator":"arvo.orc.counter","version":"0.0.1","executionStatus":"normal","status":"done","value":"done","context":{"delta":{{delta}},"type":"{{type}}","newValue":{{final}},"errors":[]},"output":{"final":{{final}}},"error":null,"parentSubject":null,"initEventId":"{{initEventId}}","recordVersion":{{recordVersion}}}""";

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
