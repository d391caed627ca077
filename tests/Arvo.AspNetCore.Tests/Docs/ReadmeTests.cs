using System.Text.Json;
using System.Text.RegularExpressions;
using Arvo.AspNetCore.Tests.TestSupport;

namespace Arvo.AspNetCore.Tests.Docs;

/// <summary>The README's "HTTP host" section: its code is samples/HttpHost, its answers are what the host answers.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void Readme_HttpHostSection_ShowsTheSampleProgramVerbatim()
    {
        var sample = File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "HttpHost", "Program.cs")).ReplaceLineEndings("\n").TrimEnd('\n');

        HttpHostSection().Should().Contain("```csharp\n" + sample + "\n```");
    }

    [Fact]
    public void PackageReadme_ShowsTheSampleProgramVerbatim()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Arvo.AspNetCore", "README.md")).ReplaceLineEndings("\n");
        var sample = File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "HttpHost", "Program.cs")).ReplaceLineEndings("\n").TrimEnd('\n');

        CSharpBlock().Matches(readme).Select(match => match.Groups[1].Value).Should().Equal(sample);
    }

    [Fact]
    public async Task Readme_HttpHostSection_ShowsTheAnswersOfTheSample()
    {
        var section = HttpHostSection();
        var blocks = TextBlock().Matches(section).Select(match => match.Groups[1].Value).ToList();
        await using var host = SampleHost.Start(HostTransport.TestServer);

        using var response = await host.Client.PostAsync("/workflows/arvo.orc.counter", Counter.Json("""{"type":"increment","delta":5}"""));
        var started = await response.Content.ReadAsStringAsync();
        var subject = JsonDocument.Parse(started).RootElement.GetProperty("subject").GetString()!;
        var eventId = JsonDocument.Parse(started).RootElement.GetProperty("eventId").GetString()!;
        var done = (await Counter.WaitForStatusAsync(host.Client, subject, "done")).GetRawText();

        section.Should().Contain("""-d '{"type":"increment","delta":5}'""").And.Contain("curl -s \"http://localhost:5080$location\"");
        var shownSubject = JsonDocument.Parse(blocks[0]).RootElement.GetProperty("subject").GetString()!;
        var shownEventId = JsonDocument.Parse(blocks[0]).RootElement.GetProperty("eventId").GetString()!;
        blocks[0].Replace(shownSubject, subject).Replace(shownEventId, eventId).Should().Be(started);
        blocks[1].Replace(shownSubject, subject).Replace(shownEventId, eventId).Should().Be(done);
    }

    private static string HttpHostSection()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n## HTTP host\n", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "README.md has an HTTP host section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..end];
    }

    private static string RepositoryRoot()
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

    [GeneratedRegex(@"```text\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex TextBlock();

    [GeneratedRegex(@"```csharp\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
