using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Xunit.Abstractions;

namespace Arvo.Drills.Tests;

/// <summary>
/// The deterministic fuzz pass (tests/Arvo.Fuzz) as a real process: 100,000 mutated inputs over events, subjects,
/// CloudEvents, schemas and an orchestrator execution; no exception that an entry point does not document, no input
/// over its cost bound, no process death.
/// </summary>
public sealed class FuzzPassTests(ITestOutputHelper output)
{
    private static readonly string FuzzAssembly = typeof(FuzzPassTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FuzzAssembly").Value!;

    [Fact]
    public async Task DeterministicPass_100000Inputs_NoUntypedExceptionAndNoInputOverItsBound()
    {
        File.Exists(FuzzAssembly).Should().BeTrue($"the fuzz project is built before the tests ({FuzzAssembly})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { FuzzAssembly, "deterministic", "--inputs", "100000", "--seed", "1", "--bound-ms", "500" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var summaryText = (await stdout).Trim();
        output.WriteLine(summaryText);

        (await stderr).Should().BeEmpty();
        using var summary = JsonDocument.Parse(summaryText);
        var root = summary.RootElement;
        root.GetProperty("inputs").GetInt32().Should().Be(100000);
        root.GetProperty("untyped").GetInt32().Should().Be(0, summaryText);
        root.GetProperty("slow").GetInt32().Should().Be(0, summaryText);
        foreach (var target in new[] { "event-json", "subject", "cloudevent", "schema", "orchestrator" })
        {
            root.GetProperty("targets").GetProperty(target).GetProperty("inputs").GetInt32().Should().Be(20000);
        }

        process.ExitCode.Should().Be(0);
    }
}
