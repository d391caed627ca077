using System.Text.Json.Nodes;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// Locates the golden vectors of the behavioural specification and loads them: <c>shared/spec/vectors</c> (a sibling
/// of the repository root, the authoritative copy) when present, else the committed copy <c>tests/spec-vectors</c>.
/// Fails with a clear message when neither can be found; tests that use it never skip. The one locator for every
/// test project (linked into the others).
/// </summary>
public static class SpecVectors
{
    private const string RelativeVectorsPath = "shared/spec/vectors";
    private const string SolutionFile = "Arvo.Orchestration.sln";
    private const string CommittedCopyPath = "tests/spec-vectors";

    private static readonly Lazy<string> LazyDirectory = new(Locate);

    /// <summary>The absolute path of <c>shared/spec/vectors</c>.</summary>
    public static string Directory => LazyDirectory.Value;

    /// <summary>The committed copy <c>tests/spec-vectors</c> of the repository holding the test binaries, or null.</summary>
    public static string? CommittedCopyDirectory { get; } = FindCommittedCopy();

    /// <summary>The absolute path of one vector file, e.g. <c>events.json</c>; fails when it does not exist.</summary>
    public static string PathOf(string fileName)
    {
        var path = System.IO.Path.Combine(Directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Spec vector file '{fileName}' does not exist in '{Directory}'.", path);
        }

        return path;
    }

    /// <summary>The text of one vector file.</summary>
    public static string ReadText(string fileName) => File.ReadAllText(PathOf(fileName));

    /// <summary>One vector file parsed as a <see cref="JsonNode"/>.</summary>
    public static JsonNode Load(string fileName) =>
        JsonNode.Parse(ReadText(fileName)) ?? throw new InvalidDataException($"Spec vector file '{fileName}' is JSON null.");

    private static string Locate()
    {
        // Walk up from the test binaries (tests/Arvo.Core.Tests/bin/<cfg>/<tfm>/): at each level accept
        // either <dir>/shared/spec/vectors, or, next to a directory holding the solution, <dir>/../shared/spec/vectors.
        var start = AppContext.BaseDirectory;
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var direct = System.IO.Path.Combine(directory.FullName, RelativeVectorsPath);
            if (System.IO.Directory.Exists(direct))
            {
                return direct;
            }

            if (File.Exists(System.IO.Path.Combine(directory.FullName, SolutionFile)) && directory.Parent is { } parent)
            {
                var sibling = System.IO.Path.Combine(parent.FullName, RelativeVectorsPath);
                if (System.IO.Directory.Exists(sibling))
                {
                    return sibling;
                }
            }
        }

        return CommittedCopyDirectory ?? throw new DirectoryNotFoundException(
            $"Could not find '{RelativeVectorsPath}' in any parent of '{start}' (expected '<repository>/../{RelativeVectorsPath}', " +
            $"next to the directory holding {SolutionFile}), nor the committed copy '{CommittedCopyPath}'. The spec vectors are required; these tests never skip.");
    }

    private static string? FindCommittedCopy()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, SolutionFile)))
            {
                var copy = System.IO.Path.Combine(directory.FullName, CommittedCopyPath);
                return System.IO.Directory.Exists(copy) ? copy : null;
            }
        }

        return null;
    }
}
