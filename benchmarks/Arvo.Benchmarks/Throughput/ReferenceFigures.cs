using System.Text.Json;

namespace Arvo.Benchmarks.Throughput;

/// <summary>
/// The reference TypeScript orchestrator's figures on the same counter workload, read from its harness's raw output
/// (<c>Reference/reference-counter.json</c>, a copy of <c>shared/bench/reference-counter.json</c>; field names in
/// benchmarks/README.md): the median run's workflows/s and the latency of one <c>execute()</c> over all steps.
/// </summary>
public sealed record ReferenceFigures
{
    /// <summary>The file the figures were read from.</summary>
    public required string File { get; init; }

    /// <summary>The reference <c>arvo-core</c> version the harness ran.</summary>
    public required string ArvoCoreVersion { get; init; }

    /// <summary>When the harness run started (its own ISO timestamp).</summary>
    public required string Measured { get; init; }

    /// <summary><c>results.counter-direct.median.workflows_per_s</c>.</summary>
    public required double WorkflowsPerSecond { get; init; }

    /// <summary><c>results.orchestrator-latency.median.all_steps.p50_us</c>.</summary>
    public required double LatencyP50Microseconds { get; init; }

    /// <summary><c>results.orchestrator-latency.median.all_steps.p99_us</c>.</summary>
    public required double LatencyP99Microseconds { get; init; }

    /// <summary>Reads the figures from the harness output at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">A field is missing or not of the expected kind (the message names it).</exception>
    public static ReferenceFigures Load(string path)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
        var root = document.RootElement;
        var steps = Member(root, "results", "orchestrator-latency", "median", "all_steps");
        return new ReferenceFigures
        {
            File = path,
            ArvoCoreVersion = Member(root, "meta", "reference", "arvo-core").GetString()!,
            Measured = Member(root, "meta", "started").GetString()!,
            WorkflowsPerSecond = Number(root, "results", "counter-direct", "median", "workflows_per_s"),
            LatencyP50Microseconds = Number(steps, "p50_us"),
            LatencyP99Microseconds = Number(steps, "p99_us"),
        };
    }

    private static double Number(JsonElement element, params string[] path)
    {
        var value = Member(element, path);
        return value.ValueKind == JsonValueKind.Number && value.GetDouble() > 0
            ? value.GetDouble()
            : throw new FormatException($"The reference field '{string.Join('.', path)}' must be a positive number; found {value.ValueKind}.");
    }

    private static JsonElement Member(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                throw new FormatException($"The reference file has no field '{string.Join('.', path)}' (missing '{name}').");
            }
        }

        return element;
    }
}
