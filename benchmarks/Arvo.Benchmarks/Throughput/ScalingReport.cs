namespace Arvo.Benchmarks.Throughput;

/// <summary>The scaling phase's rates: the same workload at concurrency 1 and 2, round by round; medians compared.</summary>
public sealed record ScalingReport
{
    /// <summary>Workflows per round and concurrency.</summary>
    public required int Workflows { get; init; }

    /// <summary>Workflows/s of each concurrency-1 round.</summary>
    public required IReadOnlyList<double> SingleWorkerRates { get; init; }

    /// <summary>Workflows/s of each concurrency-2 round (run right after the concurrency-1 round of the same index).</summary>
    public required IReadOnlyList<double> TwoWorkerRates { get; init; }

    /// <summary>The share of each concurrency-1 round (percent of its wall time) the runtime was paused for collections.</summary>
    public IReadOnlyList<double> SingleWorkerGcPausePercents { get; init; } = [];

    /// <summary>The share of each concurrency-2 round (percent of its wall time) the runtime was paused for collections.</summary>
    public IReadOnlyList<double> TwoWorkerGcPausePercents { get; init; } = [];

    /// <summary>The median concurrency-1 rate.</summary>
    public double SingleWorkerRate => Median(SingleWorkerRates);

    /// <summary>The median concurrency-2 rate.</summary>
    public double TwoWorkerRate => Median(TwoWorkerRates);

    /// <summary><see cref="TwoWorkerRate"/> / <see cref="SingleWorkerRate"/>.</summary>
    public double Ratio => TwoWorkerRate / SingleWorkerRate;

    private static double Median(IReadOnlyList<double> rates)
    {
        var sorted = rates.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
