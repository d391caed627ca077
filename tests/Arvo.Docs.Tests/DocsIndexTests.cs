using System.Text.RegularExpressions;

namespace Arvo.Docs;

/// <summary>The docs/ folder as a whole: linked from the README, every C# block compiled, every link alive.</summary>
public sealed partial class DocsIndexTests
{
    /// <summary>Kept in sync by CounterMachineDocTests in Arvo.Orchestration.Tests (its code is that project's counter machine).</summary>
    private const string CounterMachinePage = "counter-machine";

    public static TheoryData<string> Pages => [.. DocPages.PageNames()];

    [Fact]
    public void Docs_HaveEveryConceptPage() =>
        DocPages.PageNames().Should().BeEquivalentTo(
            "child-orchestrations", "contracts-and-versioning", "counter-machine", "deviations", "domains",
            "errors-and-violations", "handlers", "interop", "machines", "observability", "resumable", "testing");

    [Theory]
    [MemberData(nameof(Pages))]
    public void Readme_DocumentationSection_LinksThePage(string page)
    {
        var readme = DocPages.Readme();
        var start = readme.IndexOf("\n## Documentation\n", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "README.md has a Documentation section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];

        section.Should().Contain($"](docs/{page}.md)");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_ShowsOnlyCompiledCSharp(string page)
    {
        if (page == CounterMachinePage)
        {
            return;
        }

        File.Exists(DocPages.SourceFileOf(page)).Should().BeTrue($"docs/{page}.md has its source file {DocPages.SourceFileOf(page)}");
        var regions = DocPages.Regions(page).Select(region => region.Code).ToList();

        DocPages.CSharpBlocks(DocPages.Page(page)).Where(block => !regions.Contains(block)).Should().BeEmpty(
            $"every C# block of docs/{page}.md is a region of its compiled source file");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_RelativeLinksResolve(string page)
    {
        var root = DocPages.RepositoryRoot();
        var docs = Path.Combine(root, "docs");

        foreach (Match link in RelativeLink().Matches(DocPages.Page(page)))
        {
            var target = link.Groups[1].Value.Split('#')[0];
            var path = Path.GetFullPath(Path.Combine(docs, target));
            (File.Exists(path) || Directory.Exists(path)).Should().BeTrue($"docs/{page}.md links {target}");
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_StartsWithATitleAndNamesNoPathThatDoesNotExist(string page)
    {
        var text = DocPages.Page(page);
        var root = DocPages.RepositoryRoot();

        text.Should().StartWith("# ");
        foreach (Match path in RepositoryPath().Matches(text))
        {
            var relative = path.Groups[1].Value.TrimEnd('/');
            (File.Exists(Path.Combine(root, relative)) || Directory.Exists(Path.Combine(root, relative))).Should()
                .BeTrue($"docs/{page}.md names `{relative}`");
        }
    }

    [GeneratedRegex(@"\]\((?!https?:)([^)\s]+)\)")]
    private static partial Regex RelativeLink();

    [GeneratedRegex(@"`((?:src|tests|samples|benchmarks|docs)/[A-Za-z0-9_./-]+)`")]
    private static partial Regex RepositoryPath();
}
