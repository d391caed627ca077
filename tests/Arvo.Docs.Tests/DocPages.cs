using System.Text.RegularExpressions;

namespace Arvo.Docs;

/// <summary>
/// The one mechanism that keeps docs/ honest. Each page <c>docs/&lt;page&gt;.md</c> has one source file here,
/// <c>&lt;Page&gt;DocTests.cs</c> (kebab case to Pascal case), whose code regions sit between
/// <c>// docs:&lt;name&gt;:begin</c> and <c>// docs:&lt;name&gt;:end</c>. The file's tests run the examples and assert their
/// results; <see cref="AssertShowsEveryRegion"/> checks that the page shows each region verbatim (dedented) in a
/// <c>```csharp</c> block, and <see cref="DocsIndexTests"/> checks that a page shows no C# that is not a region.
/// </summary>
internal static partial class DocPages
{
    /// <summary>The repository root: the first directory above the test binaries that holds the solution.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Arvo.Orchestration.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Arvo.Orchestration.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>The names of the pages in docs/ (file names without <c>.md</c>), sorted.</summary>
    public static IReadOnlyList<string> PageNames() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs"), "*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];

    /// <summary>The text of <c>docs/&lt;page&gt;.md</c> with <c>\n</c> line endings.</summary>
    public static string Page(string page) =>
        File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", page + ".md")).ReplaceLineEndings("\n");

    /// <summary>The text of README.md with <c>\n</c> line endings.</summary>
    public static string Readme() => File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");

    /// <summary>The source file that holds the code of <paramref name="page"/>: <c>contracts-and-versioning</c> → <c>ContractsAndVersioningDocTests.cs</c>.</summary>
    public static string SourceFileOf(string page) =>
        Path.Combine(RepositoryRoot(), "tests", "Arvo.Docs.Tests",
            string.Concat(page.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..])) + "DocTests.cs");

    /// <summary>The regions of the source file of <paramref name="page"/>, in file order, each dedented by its common indentation.</summary>
    public static IReadOnlyList<DocRegion> Regions(string page)
    {
        var lines = File.ReadAllText(SourceFileOf(page)).ReplaceLineEndings("\n").Split('\n');
        var regions = new List<DocRegion>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (BeginMarker().Match(lines[i]) is not { Success: true } begin)
            {
                continue;
            }

            var name = begin.Groups[1].Value;
            var end = Array.FindIndex(lines, i + 1, line => line.Trim() == $"// docs:{name}:end");
            if (end < 0)
            {
                throw new InvalidOperationException($"{SourceFileOf(page)}: region '{name}' (line {i + 1}) has no end marker.");
            }

            var body = lines[(i + 1)..end];
            var indent = body.Where(line => line.Trim().Length > 0).Select(line => line.Length - line.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
            regions.Add(new DocRegion(name, string.Join('\n', body.Select(line => line.Length >= indent ? line[indent..] : line.TrimStart(' ')))));
            i = end;
        }

        return regions;
    }

    /// <summary>The bodies of the <c>```csharp</c> blocks of a page's text, in order.</summary>
    public static IReadOnlyList<string> CSharpBlocks(string text) =>
        [.. CSharpBlock().Matches(text).Select(match => match.Groups[1].Value)];

    /// <summary>Asserts that <paramref name="page"/> has regions and shows each of them verbatim as a <c>```csharp</c> block.</summary>
    public static void AssertShowsEveryRegion(string page)
    {
        var regions = Regions(page);
        var blocks = CSharpBlocks(Page(page));

        regions.Should().NotBeEmpty($"{SourceFileOf(page)} holds the code of docs/{page}.md");
        regions.Select(r => r.Name).Should().OnlyHaveUniqueItems();
        foreach (var region in regions)
        {
            blocks.Should().Contain(region.Code, $"docs/{page}.md shows region '{region.Name}' verbatim");
        }
    }

    [GeneratedRegex(@"^\s*// docs:([a-z0-9-]+):begin$")]
    private static partial Regex BeginMarker();

    [GeneratedRegex(@"^```csharp\n(.*?)\n```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}

/// <summary>One marked code region of a page's source file.</summary>
/// <param name="Name">The name between <c>docs:</c> and <c>:begin</c>.</param>
/// <param name="Code">The lines between the markers, dedented, joined with <c>\n</c>.</param>
internal sealed record DocRegion(string Name, string Code);
