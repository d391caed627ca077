using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Arvo.Drills.Tests.Docs;

namespace Arvo.Drills.Tests.Build;

/// <summary>
/// The packages a host service consumes: <c>dotnet pack Arvo.Orchestration.sln</c> produces a package and a symbols
/// package for every project below src/ (the list comes from the folder, so a new project is checked without changing
/// this file), each with its README, XML docs and repository metadata, and <c>tests/Arvo.Packages.Consumer</c>, built
/// against those packages alone, runs the counter workflow end to end.
/// </summary>
public sealed partial class PackageConsumerTests(PackageFixture fixture) : IClassFixture<PackageFixture>
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> SrcPackages => [.. PackageFixture.SrcPackageIds()];

    public static TheoryData<string> ConsumedPackages => [.. ConsumerPackageIds()];

    [Fact]
    public void Pack_Solution_ProducesAPackageAndASymbolsPackagePerSrcProjectWithoutWarnings()
    {
        fixture.Pack.ExitCode.Should().Be(0, fixture.Pack.Output);
        MsBuildWarning().Matches(fixture.Pack.Output).Select(match => match.Value).Should().BeEmpty(fixture.Pack.Output);

        var expected = PackageFixture.SrcPackageIds();
        PackedFiles("*.nupkg").Should().Equal(expected.Select(id => $"{id}.{fixture.Version}.nupkg"), "every src project is packable and in the solution; nothing else is");
        PackedFiles("*.snupkg").Should().Equal(expected.Select(id => $"{id}.{fixture.Version}.snupkg"));
    }

    [Theory]
    [MemberData(nameof(SrcPackages))]
    public void Package_HasItsReadmeXmlDocsAndRepositoryMetadata(string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(fixture.Packages, $"{id}.{fixture.Version}.nupkg"));
        package.Entries.Select(entry => entry.FullName).Should().Contain(new[] { "README.md", $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml" });
        ReadEntry(package, "README.md").Should().StartWith($"# {id}\n").And.Contain($"dotnet add package {id}");

        var metadata = Nuspec(package, id);
        Element(metadata, "id").Should().Be(id);
        Element(metadata, "version").Should().Be(fixture.Version);
        Element(metadata, "description").Should().NotBeNullOrWhiteSpace().And.NotBe("Package Description");
        Element(metadata, "tags").Should().StartWith("arvo ");
        Element(metadata, "readme").Should().Be("README.md");
        Element(metadata, "projectUrl").Should().Be(PackageFixture.RepositoryUrl);
        var license = metadata.Element(metadata.Name.Namespace + "license")!;
        (license.Attribute("type")?.Value, license.Value).Should().Be(("expression", "MIT"));
        var repository = metadata.Element(metadata.Name.Namespace + "repository")!;
        (repository.Attribute("type")?.Value, repository.Attribute("url")?.Value, repository.Attribute("commit")?.Value)
            .Should().Be(("git", PackageFixture.RepositoryUrl, fixture.Commit));

        // Its Arvo dependencies are the packages of the same build.
        metadata.Descendants(metadata.Name.Namespace + "dependency")
            .Where(dependency => dependency.Attribute("id")!.Value.StartsWith("Arvo.", StringComparison.Ordinal))
            .Select(dependency => dependency.Attribute("version")!.Value)
            .Should().AllBe(fixture.Version);
    }

    [Theory]
    [MemberData(nameof(SrcPackages))]
    public void SymbolsPackage_PdbSourceLinkPointsAtTheCommitOnGitHub(string id)
    {
        using var symbols = ZipFile.OpenRead(Path.Combine(fixture.Packages, $"{id}.{fixture.Version}.snupkg"));
        var pdb = new MemoryStream();
        using (var entry = symbols.GetEntry($"lib/net10.0/{id}.pdb")!.Open())
        {
            entry.CopyTo(pdb);
        }

        pdb.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        var reader = provider.GetMetadataReader();
        var sourceLinks = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(reader.GetCustomDebugInformation)
            .Where(information => reader.GetGuid(information.Kind) == SourceLinkKind)
            .Select(information => Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value)))
            .ToList();

        sourceLinks.Should().ContainSingle($"{id}.pdb has SourceLink, even from a clone without a GitHub remote");
        using var json = JsonDocument.Parse(sourceLinks[0]);
        json.RootElement.GetProperty("documents").EnumerateObject().Select(document => document.Value.GetString())
            .Should().Contain($"https://raw.githubusercontent.com/arvo-dotnet/Arvo.Orchestration/{fixture.Commit}/*");
    }

    [Fact]
    public void Readme_PackagesTable_NamesEachPackagesNuGetDependencies()
    {
        var readme = File.ReadAllText(Path.Combine(ReadmeStoresExampleTests.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n## Packages\n", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "README.md has a Packages section");
        var section = readme[start..readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var rows = PackageRow().Matches(section).ToDictionary(row => row.Groups[1].Value, row => row.Groups[2].Value.Trim());

        rows.Keys.Should().NotBeEmpty().And.BeSubsetOf(PackageFixture.SrcPackageIds());
        foreach (var (id, dependencies) in rows)
        {
            using var package = ZipFile.OpenRead(Path.Combine(fixture.Packages, $"{id}.{fixture.Version}.nupkg"));
            var expected = Nuspec(package, id).Descendants().Where(element => element.Name.LocalName == "dependency").Select(dependency =>
                dependency.Attribute("id")!.Value is var name && name.StartsWith("Arvo.", StringComparison.Ordinal)
                    ? $"`{name}`"
                    : $"`{name}` {dependency.Attribute("version")!.Value}");
            dependencies.Should().Be(string.Join(", ", expected), $"the README's row of {id} lists its nuspec's dependencies");
        }
    }

    [Fact]
    public void Consumer_ReferencesOnlyPackagesOfSrc() =>
        ConsumerPackageIds().Should().NotBeEmpty().And.BeSubsetOf(PackageFixture.SrcPackageIds());

    [Theory]
    [MemberData(nameof(ConsumedPackages))]
    public void ConsumedPackage_ReadmeCSharpBlocksAreCompiledByTheConsumer(string id)
    {
        var root = ReadmeStoresExampleTests.RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "src", id, "README.md")).ReplaceLineEndings("\n");
        var blocks = CSharpBlock().Matches(readme).Select(match => match.Groups[1].Value).ToList();
        var regions = ConsumerRegions(id);

        blocks.Should().NotBeEmpty($"src/{id}/README.md shows how to use the package");
        blocks.Should().AllSatisfy(block => regions.Should().Contain(block,
            $"every C# block of src/{id}/README.md is a region between // README:{id}:start and :end in tests/Arvo.Packages.Consumer"));
    }

    [Fact]
    public async Task Consumer_BuiltAgainstThePackagesAlone_RunsTheCounterWorkflowEndToEnd()
    {
        fixture.Pack.ExitCode.Should().Be(0, fixture.Pack.Output);
        var project = Path.Combine(fixture.Consumer, "Arvo.Packages.Consumer.csproj");
        var version = $"-p:ArvoPackageVersion={fixture.Version}";

        // A fresh packages folder: an earlier package of the same version, cached anywhere, cannot stand in for this one.
        var restore = await PackageFixture.RunAsync(
            "dotnet", fixture.Consumer, "restore", project, "--packages", Path.Combine(fixture.Workspace, "nuget-packages"), version,
            "-nologo", "-tl:off", "-nodeReuse:false");
        restore.ExitCode.Should().Be(0, restore.Output);
        var build = await PackageFixture.RunAsync(
            "dotnet", fixture.Consumer, "build", project, "--no-restore", "-c", "Release", version, "-nologo", "-tl:off", "-nodeReuse:false");
        build.ExitCode.Should().Be(0, build.Output);
        MsBuildWarning().Matches(restore.Output + build.Output).Select(match => match.Value).Should().BeEmpty(restore.Output + build.Output);

        // Every Arvo library came as a package of the version under test, none as a project.
        using (var assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(fixture.Consumer, "obj", "project.assets.json"))))
        {
            var arvo = assets.RootElement.GetProperty("libraries").EnumerateObject()
                .Where(library => library.Name.StartsWith("Arvo.", StringComparison.Ordinal))
                .Select(library => (library.Name, Type: library.Value.GetProperty("type").GetString()))
                .ToList();
            arvo.Select(library => library.Name).Should().Contain(ConsumerPackageIds().Select(id => $"{id}/{fixture.Version}"));
            arvo.Should().AllSatisfy(library =>
                library.Should().Match<(string Name, string? Type)>(l => l.Type == "package" && l.Name.EndsWith("/" + fixture.Version, StringComparison.Ordinal)));
        }

        var workingDirectory = Directory.CreateDirectory(Path.Combine(fixture.Workspace, "run")).FullName;
        var run = await PackageFixture.RunAsync(
            "dotnet", workingDirectory, Path.Combine(fixture.Consumer, "bin", "Release", "net10.0", "Arvo.Packages.Consumer.dll"));

        run.ExitCode.Should().Be(0, run.Output);
        run.Output.ReplaceLineEndings("\n").Should().Be(
            """
            Arvo.Core: com.demo.increment {"delta":2}, JSON round trip equal: True
            Arvo.Orchestration: evt.demo.increment.success {"value":2}
            Arvo.Testing: case 'answers with the delta' passed
            Arvo.Memory.Sqlite: arvo.db created: True, lease 30 s
            Arvo.Memory.PostgreSql: store over schema arvo, tables arvo_*
            Arvo.Hosting: dispatched 1 command(s), workflow done, output {"final":5}
            Arvo.Transport.RabbitMQ: events to orders.events, 32 partitions per destination (orders.com.number.increment.0, ...), dead letters in orders.dead-letters
            counter increment 5: arvo.orc.counter.done {"final":5}
            counter decrement 3: arvo.orc.counter.done {"final":-3}
            counter increment 1E+300: arvo.orc.counter.done {"final":0}
            counter.db reopened: 3 workflows (done, done, done), 0 pending outbox events

            """);
    }

    private static List<string> ConsumerPackageIds() =>
        [.. XDocument.Load(Path.Combine(ReadmeStoresExampleTests.RepositoryRoot(), "tests", "Arvo.Packages.Consumer", "Arvo.Packages.Consumer.csproj"))
            .Descendants("ArvoPackage")
            .Select(item => item.Attribute("Include")!.Value)];

    /// <summary>The code between <c>// README:{id}:start</c> and <c>// README:{id}:end</c> in the consumer's files, unindented.</summary>
    private static List<string> ConsumerRegions(string id)
    {
        var regions = new List<string>();
        var consumer = Path.Combine(ReadmeStoresExampleTests.RepositoryRoot(), "tests", "Arvo.Packages.Consumer");
        foreach (var file in Directory.EnumerateFiles(consumer, "*.cs", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllText(file).ReplaceLineEndings("\n").Split('\n');
            for (var start = Array.FindIndex(lines, line => line.Trim() == $"// README:{id}:start");
                 start >= 0;
                 start = Array.FindIndex(lines, start + 1, line => line.Trim() == $"// README:{id}:start"))
            {
                var end = Array.FindIndex(lines, start + 1, line => line.Trim() == $"// README:{id}:end");
                var body = lines[(start + 1)..end];
                var indent = body.Where(line => line.Length > 0).Min(line => line.Length - line.TrimStart(' ').Length);
                regions.Add(string.Join('\n', body.Select(line => line.Length >= indent ? line[indent..] : line.TrimStart(' '))));
            }
        }

        return regions;
    }

    private IEnumerable<string> PackedFiles(string pattern) =>
        Directory.GetFiles(fixture.Packages, pattern).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    private static XElement Nuspec(ZipArchive package, string id)
    {
        var nuspec = XDocument.Parse(ReadEntry(package, $"{id}.nuspec"));
        return nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!;
    }

    private static string? Element(XElement metadata, string name) => metadata.Element(metadata.Name.Namespace + name)?.Value;

    private static string ReadEntry(ZipArchive package, string name)
    {
        using var reader = new StreamReader(package.GetEntry(name)!.Open());
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    [GeneratedRegex(@"^\| `(Arvo\.[A-Za-z.]+)` \|[^|]*\|([^|]*)\|$", RegexOptions.Multiline)]
    private static partial Regex PackageRow();

    [GeneratedRegex(@"```csharp\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^.*:\s*warning(\s+[A-Za-z]+[0-9]+)?\s*:.*$", RegexOptions.Multiline)]
    private static partial Regex MsBuildWarning();
}
