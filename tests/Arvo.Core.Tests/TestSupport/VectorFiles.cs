using System.Text.Json.Nodes;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// Loads the shared specification vectors (<c>shared/spec/vectors/*.json</c>). The <c>shared</c>
/// folder is a sibling of the repository root, so it is found by walking up from the test binaries.
/// </summary>
internal static class VectorFiles
{
    private const string RelativeDirectory = "shared/spec/vectors";

    private static readonly Lazy<string> LazyDirectory = new(Locate);

    /// <summary>The absolute path of the vectors directory.</summary>
    public static string Directory => LazyDirectory.Value;

    /// <summary>Parses <paramref name="fileName"/> (e.g. <c>subjects.json</c>) from the vectors directory.</summary>
    public static JsonNode Load(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Vector file '{fileName}' not found in '{Directory}'.", path);
        }

        return JsonNode.Parse(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"Vector file '{path}' is the JSON literal null.");
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativeDirectory);
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No directory containing '{RelativeDirectory}' was found above '{AppContext.BaseDirectory}'. " +
            "The specification vectors live in the 'shared' folder next to the repository root (e.g. /work/shared for /work/wt-subjects); " +
            "these tests must not be skipped, so make that folder available.");
    }
}
