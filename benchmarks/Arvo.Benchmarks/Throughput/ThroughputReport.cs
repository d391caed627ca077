using System.Text.Json;

namespace Arvo.Benchmarks.Throughput;

/// <summary>What one throughput run measured. Written as one JSON object by <see cref="WriteJson"/>.</summary>
public sealed record ThroughputReport
{
    /// <summary>The store: <c>simple</c>, <c>sqlite</c> or <c>postgres</c>.</summary>
    public required string Memory { get; init; }

    /// <summary>Wall time of the raw baseline (same workflows, same concurrency, SQL alone), or null in memory.</summary>
    public TimeSpan? RawElapsed { get; init; }

    /// <summary>The storage calls one workflow makes (what the raw loop replays), or null in memory.</summary>
    public string? RawOps { get; init; }

    /// <summary>Workflows started in the measured phase.</summary>
    public required int Workflows { get; init; }

    /// <summary>Workflows in flight at once.</summary>
    public required int Concurrency { get; init; }

    /// <summary>Workflows that ended with <c>arvo.orc.counter.done</c> carrying the expected <c>final</c>.</summary>
    public required int Completed { get; init; }

    /// <summary>Wall time of the measured phase.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Orchestrator executions in the measured phase (two per workflow: init and resume).</summary>
    public required long OrchestratorExecutions { get; init; }

    /// <summary>Events that flowed in the measured phase: the init events and every emitted event.</summary>
    public required long Events { get; init; }

    /// <summary>Bytes allocated (all threads) during the measured phase.</summary>
    public required long AllocatedBytes { get; init; }

    /// <summary>Garbage collections per generation during the measured phase.</summary>
    public required IReadOnlyList<int> Collections { get; init; }

    /// <summary>Latency samples of single orchestrator executions from the separate sequential loop, in microseconds, sorted.</summary>
    public required IReadOnlyList<double> LatencyMicroseconds { get; init; }

    /// <summary>Bytes the two orchestrator executions of one workflow allocate (from the sequential loop), or null without it.</summary>
    public double? OrchestratorBytesPerWorkflow { get; init; }

    /// <summary>The process's peak working set at the end of the run.</summary>
    public required long PeakWorkingSetBytes { get; init; }

    /// <summary>Workflows per second.</summary>
    public double WorkflowsPerSecond => Workflows / Elapsed.TotalSeconds;

    /// <summary>Orchestrator executions per second.</summary>
    public double OrchestratorExecutionsPerSecond => OrchestratorExecutions / Elapsed.TotalSeconds;

    /// <summary>Events per second.</summary>
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;

    /// <summary>Raw baseline workflows per second, or null in memory.</summary>
    public double? RawWorkflowsPerSecond => RawElapsed is { } raw ? Workflows / raw.TotalSeconds : null;

    /// <summary><see cref="WorkflowsPerSecond"/> / <see cref="RawWorkflowsPerSecond"/>, or null in memory.</summary>
    public double? RatioToRaw => RawWorkflowsPerSecond is { } raw ? WorkflowsPerSecond / raw : null;

    /// <summary>Bytes allocated per workflow.</summary>
    public double BytesAllocatedPerWorkflow => (double)AllocatedBytes / Workflows;

    /// <summary>The nearest-rank percentile <paramref name="percent"/> of <see cref="LatencyMicroseconds"/>, or null without samples.</summary>
    /// <param name="percent">0 &lt; percent ≤ 100.</param>
    public double? Percentile(double percent)
    {
        if (LatencyMicroseconds.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percent / 100 * LatencyMicroseconds.Count);
        return LatencyMicroseconds[Math.Clamp(rank, 1, LatencyMicroseconds.Count) - 1];
    }

    /// <summary>Writes the report as one JSON object (rates rounded to whole numbers, latencies to 0.1 µs).</summary>
    /// <param name="writer">The destination.</param>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("scenario", "counter increment workflow: init -> orchestrator -> com.number.increment -> orchestrator -> notif.number.update + arvo.orc.counter.done");
        writer.WriteString("memory", Memory);
        writer.WriteNumber("workflows", Workflows);
        writer.WriteNumber("concurrency", Concurrency);
        writer.WriteNumber("completed", Completed);
        writer.WriteNumber("elapsed_ms", Math.Round(Elapsed.TotalMilliseconds, 1));
        writer.WriteNumber("workflows_per_s", Math.Round(WorkflowsPerSecond));
        writer.WriteNumber("orchestrator_executions_per_s", Math.Round(OrchestratorExecutionsPerSecond));
        writer.WriteNumber("events_per_s", Math.Round(EventsPerSecond));
        WriteNumberOrNull(writer, "raw_workflows_per_s", RawWorkflowsPerSecond is { } raw ? Math.Round(raw) : null);
        if (RawOps is { } rawOps)
        {
            writer.WriteString("raw_ops", rawOps);
        }
        else
        {
            writer.WriteNull("raw_ops");
        }

        WriteNumberOrNull(writer, "ratio_to_raw", RatioToRaw is { } ratio ? Math.Round(ratio, 3) : null);
        WriteLatency(writer, "latency_p50_us", Percentile(50));
        WriteLatency(writer, "latency_p99_us", Percentile(99));
        WriteLatency(writer, "latency_max_us", Percentile(100));
        writer.WriteNumber("latency_samples", LatencyMicroseconds.Count);
        writer.WriteNumber("bytes_allocated_per_workflow", Math.Round(BytesAllocatedPerWorkflow));
        if (OrchestratorBytesPerWorkflow is { } orchestratorBytes)
        {
            writer.WriteNumber("orchestrator_bytes_per_workflow", Math.Round(orchestratorBytes));
        }
        else
        {
            writer.WriteNull("orchestrator_bytes_per_workflow");
        }

        writer.WriteNumber("peak_working_set_bytes", PeakWorkingSetBytes);
        writer.WriteStartObject("gc_collections");
        for (var generation = 0; generation < Collections.Count; generation++)
        {
            writer.WriteNumber("gen" + generation, Collections[generation]);
        }

        writer.WriteEndObject();
        writer.WriteString("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
        writer.WriteNumber("processors", Environment.ProcessorCount);
        writer.WriteBoolean("server_gc", System.Runtime.GCSettings.IsServerGC);
        writer.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter writer, string name, double? value) =>
        WriteNumberOrNull(writer, name, value is { } microseconds ? Math.Round(microseconds, 1) : null);

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
