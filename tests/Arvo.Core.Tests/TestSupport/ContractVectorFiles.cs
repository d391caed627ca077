using System.Text.Json;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// Loads the reference vectors from <c>shared/spec/vectors</c>, found by walking up from the test binaries
/// (<c>shared/</c> is a sibling of the repository root). Fails, never skips, when they are missing.
/// </summary>
internal static class ContractVectorFiles
{
    private static readonly Lazy<string> Directory = new(FindDirectory);

    public static string VectorsDirectory => Directory.Value;

    /// <summary>The parsed <c>contracts.json</c>.</summary>
    public static JsonElement Contracts => Load("contracts.json");

    /// <summary>The parsed <c>events.json</c>.</summary>
    public static JsonElement Events => Load("events.json");

    public static JsonElement Load(string fileName)
    {
        var path = Path.Combine(VectorsDirectory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The vector file '{fileName}' is missing from '{VectorsDirectory}'.", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static string FindDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "spec", "vectors");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No 'shared/spec/vectors' directory was found in '{AppContext.BaseDirectory}' or any parent; the contract vectors are required.");
    }
}
