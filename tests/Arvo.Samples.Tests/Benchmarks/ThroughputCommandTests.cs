using System.Reflection;
using System.Text.Json;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Benchmarks;

/// <summary>The throughput verb of benchmarks/Arvo.Benchmarks, as a process, on a small run (a smoke test, no timing assertions).</summary>
public sealed class ThroughputCommandTests
{
    private static readonly string BenchmarksAssembly = typeof(ThroughputCommandTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BenchmarksAssembly").Value!;

    [Theory]
    [InlineData("1")]
    [InlineData("4")]
    public async Task Throughput_SmallRun_PrintsOneJsonObjectWithEveryWorkflowCompleted(string concurrency)
    {
        using var report = await RunReportAsync("--workflows", "40", "--concurrency", concurrency, "--warmup", "0", "--latency-workflows", "10");
        var root = report.RootElement;
        root.GetProperty("workflows").GetInt32().Should().Be(40);
        root.GetProperty("completed").GetInt32().Should().Be(40);
        root.GetProperty("concurrency").GetInt32().Should().Be(int.Parse(concurrency, System.Globalization.CultureInfo.InvariantCulture));
        root.GetProperty("latency_samples").GetInt32().Should().Be(20);
        foreach (var name in new[] { "workflows_per_s", "orchestrator_executions_per_s", "events_per_s", "latency_p50_us", "latency_p99_us", "bytes_allocated_per_workflow", "peak_working_set_bytes" })
        {
            root.GetProperty(name).GetDouble().Should().BePositive(because: name + " is measured");
        }

        // The scaling phase ran its default three rounds at concurrency 1 and 2 with the same workflow count, and the
        // reference shipped next to the runner is the harness output of shared/bench (639.85 workflows/s).
        var scaling = root.GetProperty("scaling");
        scaling.GetProperty("rounds").GetInt32().Should().Be(3);
        scaling.GetProperty("workflows_per_round").GetInt32().Should().Be(40);
        scaling.GetProperty("concurrency_1_runs").GetArrayLength().Should().Be(3);
        scaling.GetProperty("concurrency_2_runs").GetArrayLength().Should().Be(3);
        scaling.GetProperty("ratio").GetDouble().Should().BeApproximately(
            scaling.GetProperty("concurrency_2_workflows_per_s").GetDouble() / scaling.GetProperty("concurrency_1_workflows_per_s").GetDouble(), 0.05);
        root.GetProperty("reference").GetProperty("workflows_per_s").GetDouble().Should().Be(639.85);
        root.GetProperty("reference").GetProperty("latency_p99_us").GetDouble().Should().Be(12380.38);
        root.GetProperty("ratio_to_reference").GetDouble().Should().BeApproximately(root.GetProperty("workflows_per_s").GetDouble() / 639.85, 0.1);
        var targets = root.GetProperty("targets");
        targets.GetProperty("ratio_to_reference").GetProperty("target").GetString().Should().Be(">= 35");
        targets.GetProperty("bytes_allocated_per_workflow").GetProperty("target").GetString().Should().Be("<= 12000");
        targets.GetProperty("latency_p99_us").GetProperty("target").GetString().Should().Be("<= 50");
        targets.GetProperty("scaling_ratio").GetProperty("met").GetBoolean().Should().Be(scaling.GetProperty("ratio").GetDouble() >= 1.6);

        // Five events per workflow. Both rates are printed rounded to whole numbers, so
        // |events/s - 5 x workflows/s| <= 0.5 + 5 x 0.5 = 3.
        root.GetProperty("events_per_s").GetDouble().Should().BeApproximately(5 * root.GetProperty("workflows_per_s").GetDouble(), 3.0);
    }

    /// <summary>
    /// A durable store: the report names it, and the raw baseline ran. The postgres case needs the database
    /// (TEST_POSTGRES_CONNECTION or the local default) and fails, not skips, when it is unreachable.
    /// </summary>
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Throughput_DurableMemory_ReportsTheRawBaselineAndItsRatio(string memory)
    {
        using var report = await RunReportAsync("--memory", memory, "--workflows", "50", "--warmup", "0", "--latency-workflows", "5");
        var root = report.RootElement;
        root.GetProperty("memory").GetString().Should().Be(memory);
        root.GetProperty("workflows").GetInt32().Should().Be(50);
        root.GetProperty("completed").GetInt32().Should().Be(50);
        root.GetProperty("latency_samples").GetInt32().Should().Be(10);
        root.GetProperty("raw_workflows_per_s").GetDouble().Should().BePositive();
        root.GetProperty("ratio_to_raw").GetDouble().Should().BePositive();

        // The counter workflow needs no lock: two reads, two CAS writes (1 + 2 outbox rows), two marks.
        root.GetProperty("raw_ops").GetString().Should().StartWith("read, write(").And.Contain("mark_published(2)").And.NotContain("lock");
    }

    [Fact]
    public async Task Throughput_SimpleMemory_HasNoRawBaseline()
    {
        using var report = await RunReportAsync("--memory", "simple", "--workflows", "10", "--warmup", "0", "--latency-workflows", "0");
        var root = report.RootElement;
        root.GetProperty("memory").GetString().Should().Be("simple");
        foreach (var name in new[] { "raw_workflows_per_s", "raw_ops", "ratio_to_raw" })
        {
            root.GetProperty(name).ValueKind.Should().Be(JsonValueKind.Null, because: name + " has no baseline in memory");
        }
    }

    [Fact]
    public async Task Throughput_NoReferenceAndNoScaling_ReportsNullsAndUnmeasuredTargets()
    {
        using var report = await RunReportAsync("--workflows", "10", "--warmup", "0", "--latency-workflows", "0", "--scaling-rounds", "0", "--reference", "none");
        var root = report.RootElement;
        root.GetProperty("scaling").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("reference").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("ratio_to_reference").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("targets").GetProperty("ratio_to_reference").GetProperty("met").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("targets").GetProperty("scaling_ratio").GetProperty("measured").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("targets").GetProperty("latency_p99_us").GetProperty("met").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Throughput_UnreadableReference_ExitsWithItsReason()
    {
        var path = Path.Combine(Path.GetTempPath(), "arvo-reference-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, """{"meta":{"reference":{"arvo-core":"3.0.25"},"started":"x"},"results":{}}""");
        try
        {
            using var timeout = new CancellationTokenSource(DotnetProcess.Timeout);
            using var runner = DotnetProcess.Start(BenchmarksAssembly, "throughput", "--workflows", "1", "--reference", path);
            runner.Input.Close();
            var error = await runner.Error.ReadToEndAsync(timeout.Token);
            await runner.WaitForExitAsync(timeout.Token);

            runner.ExitCode.Should().Be(2);
            error.Should().Contain("the reference file cannot be read: The reference file has no field 'results.orchestrator-latency.median.all_steps' (missing 'orchestrator-latency').");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Throughput_UnknownArgument_ExitsWithUsage()
    {
        using var timeout = new CancellationTokenSource(DotnetProcess.Timeout);
        using var runner = DotnetProcess.Start(BenchmarksAssembly, "throughput", "--flows", "3");
        runner.Input.Close();

        var error = await runner.Error.ReadToEndAsync(timeout.Token);
        await runner.WaitForExitAsync(timeout.Token);

        runner.ExitCode.Should().Be(2);
        error.Should().Contain("usage: throughput");
    }

    /// <summary>Runs <c>throughput</c> with <paramref name="args"/>; it must exit 0, print nothing on stderr and exactly one JSON line.</summary>
    private static async Task<JsonDocument> RunReportAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(DotnetProcess.Timeout);
        using var runner = DotnetProcess.Start(BenchmarksAssembly, ["throughput", .. args]);
        runner.Input.Close();

        var output = await runner.Output.ReadToEndAsync(timeout.Token);
        var error = await runner.Error.ReadToEndAsync(timeout.Token);
        await runner.WaitForExitAsync(timeout.Token);

        error.Should().BeEmpty();
        runner.ExitCode.Should().Be(0, output);
        output.Trim().Split('\n').Should().ContainSingle();
        return JsonDocument.Parse(output);
    }
}
