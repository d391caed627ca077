using OpenTelemetry.Metrics;

namespace Arvo.OpenTelemetry.Tests.TestSupport;

/// <summary>
/// One exported metric point, flattened for exact comparison: the metric's name, its tags as <c>key=value</c> sorted and
/// joined with <c>,</c>, and its value (a counter's sum, a histogram's count).
/// </summary>
internal sealed record ExportedPoint(string Metric, string Tags, long Value)
{
    public static IReadOnlyList<ExportedPoint> From(IEnumerable<MetricSnapshot> snapshots)
    {
        var points = new List<ExportedPoint>();
        foreach (var snapshot in snapshots)
        {
            foreach (var point in snapshot.MetricPoints)
            {
                var tags = new List<string>();
                foreach (var tag in point.Tags)
                {
                    tags.Add($"{tag.Key}={tag.Value}");
                }

                tags.Sort(StringComparer.Ordinal);
                var value = snapshot.MetricType switch
                {
                    MetricType.LongSum => point.GetSumLong(),
                    MetricType.Histogram => point.GetHistogramCount(),
                    _ => throw new InvalidOperationException($"Metric {snapshot.Name} has the unexpected type {snapshot.MetricType}."),
                };
                points.Add(new ExportedPoint(snapshot.Name, string.Join(',', tags), value));
            }
        }

        return points;
    }
}
