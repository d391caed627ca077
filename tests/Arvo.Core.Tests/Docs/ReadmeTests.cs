namespace Arvo.Tests.Docs;

public sealed class ReadmeTests
{
    [Fact]
    public void Readme_QuickStart_IsTheCompiledContractsSample()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var sample = File.ReadAllText(Path.Combine(root, "samples", "Contracts", "Program.cs")).ReplaceLineEndings("\n").TrimEnd('\n');

        readme.Should().Contain("```csharp\n" + sample + "\n```");
    }

    [Fact]
    public void Readme_StartsWithTheTwoNewcomerCommands()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var firstBlock = readme[readme.IndexOf("```bash", StringComparison.Ordinal)..];

        firstBlock.Should().StartWith("```bash\ndotnet run --project samples/");
        firstBlock.Split('\n')[2].Should().StartWith(". .ci/services.sh && dotnet test Arvo.Orchestration.sln -c Release ");

        // .ci/run runs that command: the same services script, then the same dotnet test (plus its TRX logger).
        var ci = File.ReadAllText(Path.Combine(RepositoryRoot(), ".ci", "run"));
        ci.Should().Contain("\n. .ci/services.sh\n").And.Contain("\ndotnet test Arvo.Orchestration.sln -c Release --no-build");
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
}
