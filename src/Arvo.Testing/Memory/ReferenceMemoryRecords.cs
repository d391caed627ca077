using System.Text.Json;
using Arvo.Memory;
using Xunit;

namespace Arvo.Testing.Memory;

/// <summary>
/// The records the reference TypeScript orchestrator stored (<c>memory-records.json</c>, embedded in this package), by
/// name (e.g. <c>happy_path/2</c>, <c>orchestrator_error_path/failure</c>).
/// </summary>
public static class ReferenceMemoryRecords
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> LazyRecords = new(Load);

    /// <summary>Every record name, as xunit member data.</summary>
    public static TheoryData<string> Names
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
    /// <param name="name">The record name.</param>
    /// <returns>The JSON text.</returns>
    public static string Text(string name) => LazyRecords.Value[name];

    /// <summary>The JSON of one record as an element.</summary>
    /// <param name="name">The record name.</param>
    /// <returns>The JSON.</returns>
    public static JsonElement Json(string name) => JsonSerializer.Deserialize<JsonElement>(Text(name));

    /// <summary>One record parsed with the record converter.</summary>
    /// <param name="name">The record name.</param>
    /// <returns>The record.</returns>
    public static MachineMemoryRecord Parse(string name) =>
        JsonSerializer.Deserialize<MachineMemoryRecord>(Text(name)) ?? throw new InvalidDataException($"Record '{name}' is JSON null.");

    private static Dictionary<string, string> Load()
    {
        using var stream = typeof(ReferenceMemoryRecords).Assembly.GetManifestResourceStream("Arvo.Testing.memory-records.json")
            ?? throw new InvalidOperationException("The embedded memory-records.json is missing.");
        using var document = JsonDocument.Parse(stream);
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
