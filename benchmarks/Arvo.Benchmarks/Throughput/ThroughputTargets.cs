namespace Arvo.Benchmarks.Throughput;

/// <summary>The performance targets of issue 15, as the report checks them.</summary>
public static class ThroughputTargets
{
    /// <summary>At least 35 times the reference orchestrator's workflows/s.</summary>
    public const double MinRatioToReference = 35;

    /// <summary>At most 12 KB (12,000 bytes, the stricter reading) allocated per workflow, all threads, measured phase.</summary>
    public const double MaxBytesPerWorkflow = 12_000;

    /// <summary>p99 of one orchestrator execution at most 50 µs.</summary>
    public const double MaxLatencyP99Microseconds = 50;

    /// <summary>Concurrency 2 at least 1.6 times the single-worker rate.</summary>
    public const double MinScalingRatio = 1.6;
}
