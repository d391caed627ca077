using System.Text.Json;

namespace Arvo.Tests.TestSupport;

/// <summary>The contract tests' view of <see cref="SpecVectors"/>, as <see cref="JsonElement"/>s.</summary>
internal static class ContractVectorFiles
{
    public static string VectorsDirectory => SpecVectors.Directory;

    /// <summary>The parsed <c>contracts.json</c>.</summary>
    public static JsonElement Contracts => Load("contracts.json");

    /// <summary>The parsed <c>events.json</c>.</summary>
    public static JsonElement Events => Load("events.json");

    public static JsonElement Load(string fileName)
    {
        using var document = JsonDocument.Parse(SpecVectors.ReadText(fileName));
        return document.RootElement.Clone();
    }
}
