using System.Text.Json;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Memory;

/// <summary>The records the reference stored in <c>memory-records.json</c>, by name (e.g. <c>happy_path/2</c>, <c>orchestrator_error_path/failure</c>).</summary>
public static class MemoryRecordVectors
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> LazyRecords = new(Load);

    /// <summary>Every record name, as xunit member data.</summary>
    public static TheoryData<string> Records
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in LazyRecords.Value.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    /// <summary>The raw JSON text of one record.</summary>
    public static string Text(string name) => LazyRecords.Value[name];

    /// <summary>The JSON of one record as an element.</summary>
    public static JsonElement Json(string name) => JsonSerializer.Deserialize<JsonElement>(Text(name));

    /// <summary>One record parsed with the record converter.</summary>
    public static MachineMemoryRecord Parse(string name) =>
        JsonSerializer.Deserialize<MachineMemoryRecord>(Text(name)) ?? throw new InvalidDataException($"Record '{name}' is JSON null.");

    private static Dictionary<string, string> Load()
    {
        using var document = JsonDocument.Parse(SpecVectors.ReadText("memory-records.json"));
        var root = document.RootElement;
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in new[] { "happy_path", "handler_error_path" })
        {
            foreach (var step in root.GetProperty(path).GetProperty("steps").EnumerateArray())
            {
                records[$"{path}/{step.GetProperty("step").GetInt32()}"] = step.GetProperty("record_after_step").GetRawText();
            }
        }

        records["orchestrator_error_path/failure"] = root.GetProperty("orchestrator_error_path").GetProperty("record_after_failure").GetRawText();
        return records;
    }
}
