using System.Diagnostics;
using Arvo.Drills.Tests.Docs;

namespace Arvo.Drills.Tests.Build;

/// <summary>
/// The public surface of every shipped project is tracked in PublicAPI.*.txt: a copy of Arvo.Core with one new public
/// type, built for real, must fail with RS0016 naming that type (so an untracked API change cannot land unseen).
/// </summary>
public sealed class PublicApiTrackingTests : IDisposable
{
    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "arvo-public-api-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Build_PublicTypeNotInPublicApiFiles_FailsWithRS0016NamingIt()
    {
        var root = ReadmeStoresExampleTests.RepositoryRoot();
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            Directory.CreateDirectory(_workspace);
            File.Copy(Path.Combine(root, file), Path.Combine(_workspace, file));
        }

        // The shipped-project rules apply to projects below a src/ folder.
        var project = Path.Combine(_workspace, "src", "Arvo.Core");
        CopyDirectory(Path.Combine(root, "src", "Arvo.Core"), project);
        await File.WriteAllTextAsync(
            Path.Combine(project, "UntrackedProbe.cs"),
            "namespace Arvo;\n\n/// <summary>Not in PublicAPI.Unshipped.txt.</summary>\npublic static class UntrackedProbe\n{\n    /// <summary>A member.</summary>\n    public static int Value => 1;\n}\n");

        var (exitCode, output) = await RunAsync("dotnet", project, "build", "-c", "Release", "-nologo", "-v", "q");

        exitCode.Should().NotBe(0, output);
        output.Should().Contain("error RS0016").And.Contain("Symbol 'Arvo.UntrackedProbe' is not part of the declared public API");
    }

    public void Dispose()
    {
        if (Directory.Exists(_workspace))
        {
            Directory.Delete(_workspace, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var source in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, source);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string workingDirectory, params string[] args)
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

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
