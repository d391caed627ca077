namespace Arvo.Docs;

/// <summary>docs/deviations.md is the one table of every deliberate difference from the reference.</summary>
public sealed class DeviationsDocTests
{
    private const string Header = "| Area | Topic | Reference 3.0.25 | Here | Why |";

    private static string[] TableRows() =>
        [.. DocPages.Page("deviations").Split('\n').Where(line => line.StartsWith('|')).Skip(2)];

    [Fact]
    public void Page_HoldsExactlyOneTable()
    {
        var lines = DocPages.Page("deviations").Split('\n');

        lines.Count(line => line.StartsWith("|---", StringComparison.Ordinal)).Should().Be(1);
        lines.Should().ContainSingle(line => line == Header);
    }

    [Fact]
    public void Table_EveryRowHasFiveFilledCellsAndAUniqueTopic()
    {
        var rows = TableRows().Select(row => row.Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray()).ToList();

        rows.Should().HaveCountGreaterThanOrEqualTo(25);
        rows.Should().OnlyContain(cells => cells.Length == 5 && cells.All(cell => cell.Length > 0));
        rows.Select(cells => cells[1]).Should().OnlyHaveUniqueItems();
        rows.Select(cells => cells[0]).Distinct().Should().Equal("Events", "Subjects", "Schemas", "Workflows", "Memory", "Broker");
    }

    [Theory]
    [InlineData("Default event time")]
    [InlineData("A redelivered event (same `id`)")]
    [InlineData("Ids of emitted events")]
    [InlineData("Completion with an empty output")]
    [InlineData("Domains of one emitted event")]
    [InlineData("Resumable init naming an undeclared version (including `0.0.0`)")]
    [InlineData("Queue order")]
    [InlineData("Locks")]
    public void Table_ListsTheKnownDeviations(string topic) =>
        TableRows().Should().ContainSingle(row => row.Split(" | ")[1] == topic);

    [Fact]
    public void Readme_HasNoDeviationTableOfItsOwnAndLinksThePage()
    {
        var readme = DocPages.Readme();

        readme.Should().NotContain("| Topic | Reference 3.0.25 | Here |");
        readme.Should().NotContain(Header);
        readme.Should().Contain("[docs/deviations.md](docs/deviations.md)");
    }

    [Fact]
    public void OtherPages_HoldNoDeviationTable()
    {
        foreach (var page in DocPages.PageNames().Where(page => page != "deviations"))
        {
            DocPages.Page(page).Should().NotContain("| Reference 3.0.25 |", $"docs/{page}.md links deviations.md instead");
        }
    }
}
