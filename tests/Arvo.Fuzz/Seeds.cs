using System.Text;
using System.Text.Json;

namespace Arvo.Fuzz;

/// <summary>The seed corpus: events, subjects, CloudEvents and schema data from the reference vectors (tests/spec-vectors).</summary>
internal sealed class Seeds
{
    private Seeds(List<byte[]> events, List<byte[]> subjects, List<byte[]> data, List<ArvoSchema> schemas)
    {
        Events = events;
        Subjects = subjects;
        Data = data;
        Schemas = schemas;
    }

    public IReadOnlyList<byte[]> Events { get; }

    public IReadOnlyList<byte[]> Subjects { get; }

    public IReadOnlyList<byte[]> Data { get; }

    public IReadOnlyList<ArvoSchema> Schemas { get; }

    public static Seeds Load(string directory)
    {
        var events = new List<byte[]>();
        var subjects = new List<byte[]>();
        var data = new List<byte[]>();
        var schemas = new List<ArvoSchema>();
        using (var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "events.json"))))
        {
            Collect(document.RootElement, events, subjects, data);
        }

        using (var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "subjects.json"))))
        {
            Collect(document.RootElement, events, subjects, data);
        }

        using (var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "contracts.json"))))
        {
            foreach (var evt in document.RootElement.GetProperty("events").EnumerateArray())
            {
                if (evt.TryGetProperty("json_schema", out var schema))
                {
                    schemas.Add(ArvoSchema.FromJson(schema.GetRawText()));
                }
            }

            Collect(document.RootElement, events, subjects, data);
        }

        // Schemas that take NJsonSchema's fallback path, and a pattern, so both validators are fuzzed.
        schemas.Add(ArvoSchema.FromJson("""{"type":"object","patternProperties":{"^x":{"type":"number"}},"properties":{"tags":{"type":"array","uniqueItems":true}}}"""));
        schemas.Add(ArvoSchema.FromJson("""{"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z]{3}-\\d+$"},"n":{"type":"integer","minimum":0}},"required":["code"]}"""));
        return new Seeds(Distinct(events), Distinct(subjects), Distinct(data), schemas);
    }

    /// <summary>Walks a vector file: JSON objects with <c>specversion</c> are events, base64 zlib strings are subjects, event <c>data</c> is schema data.</summary>
    private static void Collect(JsonElement element, List<byte[]> events, List<byte[]> subjects, List<byte[]> data)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("specversion", out _))
                {
                    events.Add(Encoding.UTF8.GetBytes(element.GetRawText()));
                    if (element.TryGetProperty("data", out var payload))
                    {
                        data.Add(Encoding.UTF8.GetBytes(payload.GetRawText()));
                    }
                }

                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, events, subjects, data);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, events, subjects, data);
                }

                break;
            case JsonValueKind.String:
                var text = element.GetString()!;
                if (text.StartsWith("eJ", StringComparison.Ordinal))
                {
                    subjects.Add(Encoding.UTF8.GetBytes(text));
                }
                else if (text.StartsWith('{') && text.Contains("\"specversion\"", StringComparison.Ordinal))
                {
                    try
                    {
                        using var nested = JsonDocument.Parse(text);
                        Collect(nested.RootElement, events, subjects, data);
                    }
                    catch (JsonException)
                    {
                        events.Add(Encoding.UTF8.GetBytes(text));
                    }
                }

                break;
        }
    }

    private static List<byte[]> Distinct(List<byte[]> items) =>
        [.. items.GroupBy(Convert.ToBase64String).Select(g => g.First())];
}
