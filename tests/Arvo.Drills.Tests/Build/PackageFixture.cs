using System.Diagnostics;
using System.Reflection;
using Arvo.Drills.Tests.Docs;

namespace Arvo.Drills.Tests.Build;

/// <summary>
/// Packs the solution once for <see cref="PackageConsumerTests"/>: <c>dotnet pack Arvo.Orchestration.sln --no-build</c>
/// (every src project was built with this test project, which references them all) into the packages folder of a copy
/// of <c>tests/Arvo.Packages.Consumer</c> in a temporary workspace.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    /// <summary>The repository every package names (Directory.Build.props' RepositoryUrl).</summary>
    public const string RepositoryUrl = "https://github.com/arvo-dotnet/Arvo.Orchestration";

    /// <summary>The folder of the copied consumer project.</summary>
    public string Consumer => Path.Combine(Workspace, "consumer");

    /// <summary>Where the solution was packed: the consumer's local package source (its nuget.config).</summary>
    public string Packages => Path.Combine(Consumer, "packages");

    /// <summary>The temporary workspace, deleted afterwards.</summary>
    public string Workspace { get; } = Path.Combine(Path.GetTempPath(), "arvo-packages-" + Guid.NewGuid().ToString("N"));

    /// <summary>The version of every package: this project's, from the same Directory.Build.props.</summary>
    public string Version { get; } = Metadata("PackageVersion");

    /// <summary>The commit the packages were built from (<c>git rev-parse HEAD</c>).</summary>
    public string Commit { get; private set; } = string.Empty;

    /// <summary>The pack command's result.</summary>
    public ProcessResult Pack { get; private set; } = new(-1, string.Empty, TimeSpan.Zero);

    /// <summary>The name of every project below src/ (src/*/*.csproj): the packages the solution must produce.</summary>
    public static IReadOnlyList<string> SrcPackageIds() =>
        [.. Directory.GetDirectories(Path.Combine(ReadmeStoresExampleTests.RepositoryRoot(), "src"))
            .SelectMany(project => Directory.GetFiles(project, "*.csproj"))
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)!];

    public async Task InitializeAsync()
    {
        var root = ReadmeStoresExampleTests.RepositoryRoot();
        CopyDirectory(Path.Combine(root, "tests", "Arvo.Packages.Consumer"), Consumer);
        var head = await RunAsync("git", root, "rev-parse", "HEAD");
        Commit = head.ExitCode == 0 ? head.Output.Trim() : throw new InvalidOperationException($"git rev-parse HEAD failed in {root}: {head.Output}");

        // The build of this project built every src project in its configuration; packing reuses that build.
        Pack = await RunAsync(
            "dotnet", root, "pack", "Arvo.Orchestration.sln", "-c", Metadata("Configuration"), "--no-build", "-o", Packages,
            "-nologo", "-tl:off", "-nodeReuse:false");
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Workspace))
        {
            Directory.Delete(Workspace, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs a process to its end (5 minutes at most) and returns its exit code and its output, stderr last.</summary>
    public static async Task<ProcessResult> RunAsync(string fileName, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await stdout + await stderr, clock.Elapsed);
    }

    private static string Metadata(string key) =>
        typeof(PackageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");

    private static void CopyDirectory(string from, string to)
    {
        foreach (var source in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, source);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj" or "packages")
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
    }
}

/// <summary>A finished process: its exit code, its output (stdout, then stderr) and how long it ran.</summary>
public sealed record ProcessResult(int ExitCode, string Output, TimeSpan Duration);
