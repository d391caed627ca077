using System.Text.Json.Nodes;

namespace Arvo.Tests.TestSupport;

/// <summary>The subject tests' view of <see cref="SpecVectors"/>.</summary>
internal static class VectorFiles
{
    /// <summary>The absolute path of the vectors directory.</summary>
    public static string Directory => SpecVectors.Directory;

    /// <summary>Parses <paramref name="fileName"/> (e.g. <c>subjects.json</c>) from the vectors directory.</summary>
    public static JsonNode Load(string fileName) => SpecVectors.Load(fileName);
}
