using System.Globalization;
using Arvo.Memory;

namespace Arvo.Benchmarks.Throughput;

/// <summary>The machine memory a throughput run stores its workflows in.</summary>
public enum ThroughputMemory
{
    /// <summary><see cref="SimpleMachineMemory{T}"/>, in process (the default).</summary>
    Simple,

    /// <summary><c>SqliteMachineMemory</c> over a file.</summary>
    Sqlite,

    /// <summary><c>PostgreSqlMachineMemory</c> in a fresh schema.</summary>
    Postgres,
}

/// <summary>The settings of one throughput run. Every member documents its default.</summary>
public sealed record ThroughputOptions
{
    /// <summary>The connection string used when neither <c>--connection</c> nor <c>TEST_POSTGRES_CONNECTION</c> is given.</summary>
    public const string DefaultPostgresConnection = "Host=127.0.0.1;Port=5432;Database=wf_test;Username=wf;Password=wf";

    /// <summary>The store. Default <see cref="ThroughputMemory.Simple"/>.</summary>
    public ThroughputMemory Memory { get; init; } = ThroughputMemory.Simple;

    /// <summary>The SQLite file (<c>--db</c>); kept afterwards. Default null = a fresh temporary file, deleted afterwards.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>SQLite's <c>PRAGMA synchronous</c> for both the store and the raw loop. Default full.</summary>
    public bool SqliteSynchronousNormal { get; init; }

    /// <summary>The PostgreSQL connection string (<c>--connection</c>). Default null = <c>TEST_POSTGRES_CONNECTION</c>, else <see cref="DefaultPostgresConnection"/>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>How many counter workflows the measured phase runs. Default 10,000; at least 1.</summary>
    public int Workflows { get; init; } = 10_000;

    /// <summary>How many workflows are in flight at once (one task each). Default 1; at least 1.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// How many workflows run before measuring (JIT, caches) at least. Default 5,000 in memory, 200 on a durable store
    /// (each of its writes is a commit); 0 disables the warm-up (then <see cref="WarmupTime"/> is ignored too).
    /// </summary>
    public int? Warmup { get; init; }

    /// <summary>
    /// How long the warm-up runs at least, so that tiered compilation has promoted the hot methods (it waits ~100 ms
    /// between batches and compiles in the background). Default 5 s: after 2 s the measured phase still ran at about
    /// 40% of the warmed-up rate on the 2-core VM (4,700 against 11,300 workflows/s in the same process).
    /// </summary>
    public TimeSpan WarmupTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many workflows the separate sequential latency loop runs; each contributes two orchestrator executions
    /// (init, resume). Default 5,000 in memory, 500 on a durable store; 0 disables.
    /// </summary>
    public int? LatencyWorkflows { get; init; }

    /// <summary><see cref="Warmup"/> with its backend default applied.</summary>
    public int EffectiveWarmup => Warmup ?? (Memory == ThroughputMemory.Simple ? 5_000 : 200);

    /// <summary><see cref="LatencyWorkflows"/> with its backend default applied.</summary>
    public int EffectiveLatencyWorkflows => LatencyWorkflows ?? (Memory == ThroughputMemory.Simple ? 5_000 : 500);

    /// <summary>
    /// Rounds of the scaling phase: each round runs <see cref="Workflows"/> workflows at concurrency 1, then at concurrency 2
    /// (alternating, so a change of the machine's load hits both); null for the backend default, 3 in memory and 0 for a
    /// durable store (there the rate is the database's, see <c>ratio_to_raw</c>).
    /// </summary>
    public int? ScalingRounds { get; init; }

    /// <summary><see cref="ScalingRounds"/> with its backend default applied.</summary>
    public int EffectiveScalingRounds => ScalingRounds ?? (Memory == ThroughputMemory.Simple ? 3 : 0);

    /// <summary>
    /// The reference harness's raw output (<see cref="ReferenceFigures"/>) the report compares with; null for the copy
    /// shipped next to the runner (<c>Reference/reference-counter.json</c>); <see cref="NoReference"/> for none.
    /// </summary>
    public string? ReferencePath { get; init; }

    /// <summary>The <c>--reference</c> value that turns the comparison off.</summary>
    public const string NoReference = "none";

    /// <summary><see cref="ReferencePath"/> resolved: the file to read, or null for no comparison.</summary>
    public string? EffectiveReferencePath => ReferencePath switch
    {
        null => Path.Combine(AppContext.BaseDirectory, "Reference", "reference-counter.json"),
        NoReference => null,
        _ => ReferencePath,
    };

    /// <summary>The PostgreSQL connection string with its defaults applied.</summary>
    public string EffectiveConnectionString =>
        ConnectionString
        ?? (Environment.GetEnvironmentVariable("TEST_POSTGRES_CONNECTION") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultPostgresConnection);

    /// <summary>
    /// Parses <c>--workflows N --concurrency K --warmup N --warmup-ms N --latency-workflows N --memory simple|sqlite|postgres
    /// --db PATH --sqlite-synchronous full|normal --connection CS</c>.
    /// </summary>
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
                "--scaling-rounds" => options with { ScalingRounds = Number(name, value, minimum: 0) },
                "--reference" => options with { ReferencePath = value },
                "--memory" => options with
                {
                    Memory = value switch
                    {
                        "simple" => ThroughputMemory.Simple,
                        "sqlite" => ThroughputMemory.Sqlite,
                        "postgres" => ThroughputMemory.Postgres,
                        _ => throw new FormatException($"Argument '--memory' expects simple, sqlite or postgres; actual '{value}'."),
                    },
                },
                "--db" => options with { DatabasePath = value },
                "--sqlite-synchronous" => options with
                {
                    SqliteSynchronousNormal = value switch
                    {
                        "full" => false,
                        "normal" => true,
                        _ => throw new FormatException($"Argument '--sqlite-synchronous' expects full or normal; actual '{value}'."),
                    },
                },
                "--connection" => options with { ConnectionString = value },
                _ => throw new FormatException(
                    $"Unknown argument '{name}'. Expected --workflows, --concurrency, --warmup, --warmup-ms, --latency-workflows, --scaling-rounds, --reference, --memory, --db, --sqlite-synchronous or --connection."),
            };
        }

        if (options.DatabasePath is not null && options.Memory != ThroughputMemory.Sqlite)
        {
            throw new FormatException("Argument '--db' needs --memory sqlite.");
        }

        if (options.ConnectionString is not null && options.Memory != ThroughputMemory.Postgres)
        {
            throw new FormatException("Argument '--connection' needs --memory postgres.");
        }

        return options;
    }

    private static int Number(string name, string value, int minimum) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new FormatException($"Argument '{name}' expects an integer >= {minimum}; actual '{value}'.");
}
