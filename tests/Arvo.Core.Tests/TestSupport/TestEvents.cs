using System.Text.Json;
using System.Text.RegularExpressions;
using Arvo.Events;

namespace Arvo.Tests.TestSupport;

/// <summary>Small builders shared by the event tests.</summary>
public static partial class TestEvents
{
    /// <summary>Example B of wire-format.md section 12 (arvo-core 3.0.25 literal output).</summary>
    public const string ExampleB = """
        {
          "id": "evt-0001",
          "source": "com.test.service",
          "specversion": "1.0",
          "type": "com.number.increment",
          "subject": "test-subject",
          "datacontenttype": "application/cloudevents+json;charset=UTF-8;profile=arvo",
          "dataschema": null,
          "data": { "delta": 1 },
          "time": "2025-01-01T00:00:00.000+00:00",
          "to": "com.number.increment",
          "accesscontrol": null,
          "redirectto": null,
          "executionunits": null,
          "traceparent": null,
          "tracestate": null,
          "parentid": null,
          "domain": null
        }
        """;

    /// <summary>Example A of wire-format.md section 12 (arvo-core 2.2.13: no parentid, no domain).</summary>
    public const string ExampleA = """
        {
          "id": "evt-0001",
          "source": "com.test.service",
          "specversion": "1.0",
          "type": "com.number.increment",
          "subject": "test-subject",
          "datacontenttype": "application/cloudevents+json;charset=UTF-8;profile=arvo",
          "dataschema": null,
          "data": { "delta": 1 },
          "time": "2025-01-01T00:00:00.000+00:00",
          "to": "com.number.increment",
          "accesscontrol": null,
          "redirectto": null,
          "executionunits": null,
          "traceparent": null,
          "tracestate": null
        }
        """;

    /// <summary>Options with a fixed clock and deterministic ids.</summary>
    public static ArvoEventCreationOptions DeterministicOptions() => new()
    {
        TimeProvider = new FixedTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        IdGenerator = new SequenceIdGenerator(),
    };

    /// <summary>Parses a JSON object literal into an owned element.</summary>
    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A valid event through the strict constructor, with optional overrides.</summary>
    public static ArvoEvent Strict(
        string id = "evt-0001",
        string source = "com.test.service",
        string type = "com.number.increment",
        string subject = "test-subject",
        string data = """{"delta":1}""",
        string time = "2025-01-01T00:00:00.000+00:00",
        string? to = "com.number.increment",
        string dataContentType = ArvoEvent.ArvoContentType,
        string specVersion = "1.0",
        string? dataSchema = null,
        string? accessControl = null,
        string? redirectTo = null,
        double? executionUnits = null,
        string? traceParent = null,
        string? traceState = null,
        string? parentId = null,
        string? domain = null,
        IEnumerable<KeyValuePair<string, object?>>? extensions = null) =>
        new(id, source, type, subject, Json(data), time, to, dataContentType, specVersion, dataSchema, accessControl,
            redirectTo, executionUnits, traceParent, traceState, parentId, domain, extensions);

    /// <summary>True for a lower-case, hyphenated UUID v4.</summary>
    public static bool IsUuidV4(string value) => UuidV4().IsMatch(value);

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex UuidV4();
}
