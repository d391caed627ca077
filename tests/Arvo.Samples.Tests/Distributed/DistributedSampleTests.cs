using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Arvo.Samples.Tests.Distributed;

/// <summary>
/// <c>dotnet run --project samples/Distributed</c> as real processes: the driver starts two worker processes, kills one
/// with SIGKILL halfway and starts it again, against the real PostgreSQL (<c>TEST_POSTGRES_CONNECTION</c> or the local
/// default) and RabbitMQ (<c>TEST_RABBITMQ_URI</c> or the local default). When a server is unreachable the sample exits
/// 3 and these tests fail, never skip (<c>. .ci/services.sh</c> starts both).
/// </summary>
public sealed partial class DistributedSampleTests
{
    /// <summary>A run of 600 workflows with a kill takes about 20–30 s on a loaded 2-core machine; a hang fails here instead.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    private static readonly string DistributedAssembly = typeof(DistributedSampleTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DistributedAssembly").Value!;

    [Fact]
    public async Task Main_WorkerKilledHalfwayAndRestarted_CompletesEveryWorkflowExactlyOnce()
    {
        var run = await RunAsync(["--workflows", "600", "--workers", "2", "--kill", "--timeout", "240"]);

        run.ExitCode.Should().Be(0, $"every workflow completes exactly once; stdout:\n{run.Output}\nstderr:\n{run.Error}");
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainSingle("the driver prints one line");
        var report = Parse(lines[0]);
        report["completed"].Should().Be("600/600");
        report["lost"].Should().Be("0");
        report["duplicated"].Should().Be("0");
        report["wrong_output"].Should().Be("0");
        report["reapplied"].Should().Be("0");
        report["dead_letters"].Should().Be("0");
        report["workers"].Should().Be("2");
        report.Should().NotContainKey("timed_out");
        int.Parse(report["redelivered"], CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(0);

        // Killed once, when at least half the workflows had finished (the driver polls, so it may be a little later).
        var killed = KilledPattern().Match(report["killed"]);
        killed.Success.Should().BeTrue($"a worker was killed: {report["killed"]}");
        int.Parse(killed.Groups["finished"].Value, CultureInfo.InvariantCulture).Should().BeInRange(300, 600);
    }

    [Fact]
    public async Task Main_RabbitMqUnreachable_ExitsWith3AndSaysHowToStartIt()
    {
        var run = await RunAsync(["--workflows", "10"], new Dictionary<string, string> { ["TEST_RABBITMQ_URI"] = "amqp://wf:wfpass@127.0.0.1:1/" });

        run.ExitCode.Should().Be(3, $"stderr:\n{run.Error}");
        run.Output.Should().BeEmpty();
        run.Error.Should().Contain("RabbitMQ is not reachable at 127.0.0.1:1").And.Contain("TEST_RABBITMQ_URI").And.Contain(".ci/services.sh");
    }

    [Fact]
    public async Task Main_UnknownArgument_ExitsWith2AndPrintsTheUsage()
    {
        var run = await RunAsync(["--workflows", "0"]);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("--workflows must be a whole number from 1 to 10000000; it is '0'.").And.Contain("usage: Distributed");
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("samples/Distributed/README.md")]
    public void Readme_DistributedSection_ShowsTheSampleCommandAndAnOutputLineInItsFormat(string readme)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), readme)).ReplaceLineEndings("\n");

        text.Should().Contain("dotnet run --project samples/Distributed\n", "the command runs the sample with its defaults");
        text.Should().Contain(". .ci/services.sh", "it says how PostgreSQL and RabbitMQ are started");
        var example = ExampleLinePattern().Match(text);
        example.Success.Should().BeTrue($"{readme} shows an output line in a ```text block");
        Parse(example.Groups["line"].Value).Should().ContainKeys("completed", "duplicated", "redelivered", "lost", "elapsed", "workflows/s");
        example.Groups["line"].Value.Should().Contain("completed=10000/10000 duplicated=0").And.Contain(" lost=0 ").And.Contain(" workers=2 killed=worker1@");
    }

    /// <summary>Reads the report line; fails when it does not have the driver's format.</summary>
    private static Dictionary<string, string> Parse(string line)
    {
        LinePattern().IsMatch(line).Should().BeTrue($"the line has the driver's format: {line}");
        return line.Split(' ').Select(field => field.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
    }

    private static async Task<ProcessRun> RunAsync(string[] args, Dictionary<string, string>? environment = null)
    {
        File.Exists(DistributedAssembly).Should().BeTrue($"the sample is built before the tests ({DistributedAssembly})");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add(DistributedAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(RunTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return new ProcessRun(process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The distributed sample did not exit within {RunTimeout.TotalMinutes} minutes.");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Arvo.Orchestration.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Arvo.Orchestration.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^completed=\d+/\d+ duplicated=\d+ redelivered=\d+ lost=\d+ wrong_output=\d+ reapplied=\d+ dead_letters=\d+ elapsed=\d+\.\ds workflows/s=\d+\.\d workers=\d+ killed=(none|worker\d+@\d+)( warmup=\d+)?( timed_out=true)?$")]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"^worker1@(?<finished>\d+)$")]
    private static partial Regex KilledPattern();

    [GeneratedRegex("```text\n(?<line>completed=[^\n]+)\n```")]
    private static partial Regex ExampleLinePattern();

    private sealed record ProcessRun(int ExitCode, string Output, string Error);
}
