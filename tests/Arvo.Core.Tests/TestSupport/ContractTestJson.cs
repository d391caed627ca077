using System.Text.Json;

namespace Arvo.Tests.TestSupport;

/// <summary>Parses JSON test data.</summary>
internal static class ContractTestJson
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
