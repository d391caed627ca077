using System.Globalization;

namespace Arvo.Benchmarks.Throughput;

/// <summary>The settings of one throughput run. Every member documents its default.</summary>
public sealed record ThroughputOptions
{
    /// <summary>How many counter workflows the measured phase runs. Default 10,000; at least 1.</summary>
    public int Workflows { get; init; } = 10_000;

    /// <summary>How many workflows are in flight at once (one task each). Default 1; at least 1.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// How many workflows run before measuring (JIT, caches) at least. Default 5,000; 0 disables the warm-up (then
    /// <see cref="WarmupTime"/> is ignored too).
    /// </summary>
    public int Warmup { get; init; } = 5_000;

    /// <summary>
    /// How long the warm-up runs at least, so that tiered compilation has promoted the hot methods (it waits ~100 ms
    /// between batches and compiles in the background). Default 2 s.
    /// </summary>
    public TimeSpan WarmupTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many workflows the separate sequential latency loop runs; each contributes two orchestrator executions
    /// (init, resume). Default 5,000; 0 disables.
    /// </summary>
    public int LatencyWorkflows { get; init; } = 5_000;

    /// <summary>Parses <c>--workflows N --concurrency K --warmup N --warmup-ms N --latency-workflows N</c>.</summary>
    /// <param name="args">The arguments after the <c>throughput</c> verb.</param>
    /// <exception cref="FormatException">An argument is unknown, lacks its value or is out of range.</exception>
    public static ThroughputOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new ThroughputOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new FormatException($"Argument '{name}' needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--workflows" => options with { Workflows = Number(name, value, minimum: 1) },
                "--concurrency" => options with { Concurrency = Number(name, value, minimum: 1) },
                "--warmup" => options with { Warmup = Number(name, value, minimum: 0) },
                "--warmup-ms" => options with { WarmupTime = TimeSpan.FromMilliseconds(Number(name, value, minimum: 0)) },
                "--latency-workflows" => options with { LatencyWorkflows = Number(name, value, minimum: 0) },
                _ => throw new FormatException($"Unknown argument '{name}'. Expected --workflows, --concurrency, --warmup, --warmup-ms or --latency-workflows."),
            };
        }

        return options;
    }

    private static int Number(string name, string value, int minimum) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new FormatException($"Argument '{name}' expects an integer >= {minimum}; actual '{value}'.");
}
