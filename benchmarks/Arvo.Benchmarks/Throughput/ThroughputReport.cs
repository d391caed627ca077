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

    /// <summary>The time the runtime was paused for garbage collections during the measured phase, in milliseconds (null when not measured).</summary>
    public double? GcPauseMilliseconds { get; init; }

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

    /// <summary>The concurrency 1 versus 2 rounds, or null when none ran.</summary>
    public ScalingReport? Scaling { get; init; }

    /// <summary>The reference orchestrator's figures to compare with, or null for none.</summary>
    public ReferenceFigures? Reference { get; init; }

    /// <summary><see cref="WorkflowsPerSecond"/> over the reference's workflows/s, or null without a reference.</summary>
    public double? RatioToReference => Reference is { } reference ? WorkflowsPerSecond / reference.WorkflowsPerSecond : null;

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

        WriteScaling(writer);
        WriteReference(writer);
        WriteTargets(writer);
        writer.WriteNumber("peak_working_set_bytes", PeakWorkingSetBytes);
        writer.WriteStartObject("gc_collections");
        for (var generation = 0; generation < Collections.Count; generation++)
        {
            writer.WriteNumber("gen" + generation, Collections[generation]);
        }

        writer.WriteEndObject();
        if (GcPauseMilliseconds is { } pause)
        {
            writer.WriteNumber("gc_pause_ms", Math.Round(pause, 1));
        }
        else
        {
            writer.WriteNull("gc_pause_ms");
        }

        writer.WriteString("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
        writer.WriteNumber("processors", Environment.ProcessorCount);
        writer.WriteBoolean("server_gc", System.Runtime.GCSettings.IsServerGC);
        writer.WriteEndObject();
    }

    private void WriteScaling(Utf8JsonWriter writer)
    {
        if (Scaling is not { } scaling)
        {
            writer.WriteNull("scaling");
            return;
        }

        writer.WriteStartObject("scaling");
        writer.WriteNumber("rounds", scaling.SingleWorkerRates.Count);
        writer.WriteNumber("workflows_per_round", scaling.Workflows);
        writer.WriteNumber("concurrency_1_workflows_per_s", Math.Round(scaling.SingleWorkerRate));
        writer.WriteNumber("concurrency_2_workflows_per_s", Math.Round(scaling.TwoWorkerRate));
        writer.WriteNumber("ratio", Math.Round(scaling.Ratio, 3));
        WriteRates(writer, "concurrency_1_runs", scaling.SingleWorkerRates);
        WriteRates(writer, "concurrency_2_runs", scaling.TwoWorkerRates);
        WritePercents(writer, "concurrency_1_gc_pause_percent", scaling.SingleWorkerGcPausePercents);
        WritePercents(writer, "concurrency_2_gc_pause_percent", scaling.TwoWorkerGcPausePercents);
        writer.WriteEndObject();
    }

    private static void WritePercents(Utf8JsonWriter writer, string name, IReadOnlyList<double> percents)
    {
        writer.WriteStartArray(name);
        foreach (var percent in percents)
        {
            writer.WriteNumberValue(Math.Round(percent, 1));
        }

        writer.WriteEndArray();
    }

    private static void WriteRates(Utf8JsonWriter writer, string name, IReadOnlyList<double> rates)
    {
        writer.WriteStartArray(name);
        foreach (var rate in rates)
        {
            writer.WriteNumberValue(Math.Round(rate));
        }

        writer.WriteEndArray();
    }

    private void WriteReference(Utf8JsonWriter writer)
    {
        if (Reference is not { } reference)
        {
            writer.WriteNull("reference");
            writer.WriteNull("ratio_to_reference");
            return;
        }

        writer.WriteStartObject("reference");
        writer.WriteString("file", Path.GetFileName(reference.File));
        writer.WriteString("arvo_core", reference.ArvoCoreVersion);
        writer.WriteString("measured", reference.Measured);
        writer.WriteNumber("workflows_per_s", reference.WorkflowsPerSecond);
        writer.WriteNumber("latency_p50_us", reference.LatencyP50Microseconds);
        writer.WriteNumber("latency_p99_us", reference.LatencyP99Microseconds);
        writer.WriteEndObject();
        writer.WriteNumber("ratio_to_reference", Math.Round(RatioToReference!.Value, 1));
    }

    /// <summary>The targets, each with the measured figure and whether it is met (null when not measured in this run).</summary>
    private void WriteTargets(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("targets");
        WriteTarget(writer, "ratio_to_reference", ">=", ThroughputTargets.MinRatioToReference, RatioToReference is { } ratio ? Math.Round(ratio, 1) : null);
        WriteTarget(writer, "bytes_allocated_per_workflow", "<=", ThroughputTargets.MaxBytesPerWorkflow, Math.Round(BytesAllocatedPerWorkflow));
        WriteTarget(writer, "latency_p99_us", "<=", ThroughputTargets.MaxLatencyP99Microseconds, Percentile(99) is { } p99 ? Math.Round(p99, 1) : null);
        WriteTarget(writer, "scaling_ratio", ">=", ThroughputTargets.MinScalingRatio, Scaling is { } scaling ? Math.Round(scaling.Ratio, 3) : null);
        writer.WriteEndObject();
    }

    private static void WriteTarget(Utf8JsonWriter writer, string name, string comparison, double target, double? measured)
    {
        writer.WriteStartObject(name);
        writer.WriteString("target", comparison + " " + target.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WriteNumberOrNull(writer, "measured", measured);
        if (measured is { } value)
        {
            writer.WriteBoolean("met", comparison == ">=" ? value >= target : value <= target);
        }
        else
        {
            writer.WriteNull("met");
        }

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
