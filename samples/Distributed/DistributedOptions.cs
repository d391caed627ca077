using System.Globalization;

namespace Arvo.Samples.Distributed;

/// <summary>
/// The command line of the driver (<c>dotnet run --project samples/Distributed -- [options]</c>) and the connection
/// settings read from the environment.
/// </summary>
public sealed record DistributedOptions
{
    /// <summary>The environment variable with the Npgsql connection string.</summary>
    public const string PostgreSqlVariable = "TEST_POSTGRES_CONNECTION";

    /// <summary>The environment variable with the AMQP URI.</summary>
    public const string RabbitMqVariable = "TEST_RABBITMQ_URI";

    /// <summary>What <c>.ci/services.sh</c> sets up: role <c>wf</c>, database <c>wf_test</c> on 127.0.0.1:5432.</summary>
    public const string DefaultPostgreSql = "Host=127.0.0.1;Port=5432;Database=wf_test;Username=wf;Password=wf";

    /// <summary>What <c>.ci/services.sh</c> sets up: user <c>wf</c> on the local RabbitMQ.</summary>
    public const string DefaultRabbitMq = "amqp://wf:wfpass@127.0.0.1:5672/";

    /// <summary>The usage text printed for bad arguments.</summary>
    public const string Usage =
        """
        usage: Distributed [--workflows N] [--workers N] [--kill | --no-kill] [--concurrency K] [--timeout S]
                           [--stall-timeout S] [--keep] [--verbose]
               Distributed --bench [--workflows N] [--concurrency K]
               Distributed --clean ID
          --workflows N      counter workflows to start (default 10000; --bench: 5000)
          --workers N        worker processes (default 2)
          --kill, --no-kill  SIGKILL worker 1 when half the workflows completed, then start it again (default on)
          --concurrency K    events each worker executes at once (default 16)
          --timeout S        fail when the run takes longer (default 120 + N/20 seconds)
          --stall-timeout S  fail when no workflow completes for S seconds (default 60)
          --keep             keep the run's tables and queues (default: dropped at the end)
          --clean ID         drop the tables and queues of a run kept with --keep, and exit
          --verbose          copy the workers' logs to stderr
          --bench            throughput with 1 and 2 workers (no kill) and the raw RabbitMQ rate
        environment: TEST_POSTGRES_CONNECTION (default Host=127.0.0.1;Port=5432;Database=wf_test;Username=wf;Password=wf)
                     TEST_RABBITMQ_URI (default amqp://wf:wfpass@127.0.0.1:5672/)
        """;

    /// <summary>How many workflows the driver starts.</summary>
    /// <value>Default 10,000 (5,000 with <see cref="Bench"/>).</value>
    public int Workflows { get; init; } = 10_000;

    /// <summary>How many worker processes run the orchestrator and the services.</summary>
    /// <value>Default 2.</value>
    public int Workers { get; init; } = 2;

    /// <summary>Whether the driver kills worker 1 with SIGKILL when half the workflows completed, and starts it again.</summary>
    /// <value>Default true.</value>
    public bool Kill { get; init; } = true;

    /// <summary>How many events each worker executes at the same time (<c>ArvoHostingOptions.MaxConcurrency</c>).</summary>
    /// <value>Default 16.</value>
    public int Concurrency { get; init; } = 16;

    /// <summary>The longest a run may take before it fails.</summary>
    /// <value>Default 120 s plus 50 ms per workflow.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long the run may go without a newly completed workflow before it fails.</summary>
    /// <value>Default 60 s.</value>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether the run's tables and queues are kept for inspection.</summary>
    /// <value>Default false.</value>
    public bool Keep { get; init; }

    /// <summary>The id of a kept run whose tables and queues to drop (<c>--clean ID</c>), or null.</summary>
    public string? Clean { get; init; }

    /// <summary>Whether the workers' logs are copied to the driver's stderr as they come.</summary>
    /// <value>Default false (they are printed only when a worker fails).</value>
    public bool Verbose { get; init; }

    /// <summary>Whether to run the benchmark instead of the crash run.</summary>
    /// <value>Default false.</value>
    public bool Bench { get; init; }

    /// <summary>The Npgsql connection string.</summary>
    public string PostgreSql { get; init; } = DefaultPostgreSql;

    /// <summary>The AMQP URI of the broker.</summary>
    public Uri RabbitMq { get; init; } = new(DefaultRabbitMq);

    /// <summary>The run's time limit: <see cref="Timeout"/>, or 120 s plus 50 ms per workflow.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromSeconds(120 + (Workflows / 20.0));

    /// <summary>Reads the command line and the environment.</summary>
    /// <param name="args">The driver's arguments.</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An argument is unknown, lacks its value or is out of range; the message names it.</exception>
    public static DistributedOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new DistributedOptions
        {
            PostgreSql = environment(PostgreSqlVariable) is { Length: > 0 } postgres ? postgres : DefaultPostgreSql,
            RabbitMq = ParseUri(environment(RabbitMqVariable) is { Length: > 0 } rabbit ? rabbit : DefaultRabbitMq, RabbitMqVariable),
        };
        int? workflows = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--workflows":
                    workflows = ParseInt(args, ref i, 1, 10_000_000);
                    break;
                case "--workers":
                    options = options with { Workers = ParseInt(args, ref i, 1, 16) };
                    break;
                case "--kill":
                    options = options with { Kill = true };
                    break;
                case "--no-kill":
                    options = options with { Kill = false };
                    break;
                case "--concurrency":
                    options = options with { Concurrency = ParseInt(args, ref i, 1, 1024) };
                    break;
                case "--timeout":
                    options = options with { Timeout = TimeSpan.FromSeconds(ParseInt(args, ref i, 1, 86_400)) };
                    break;
                case "--stall-timeout":
                    options = options with { StallTimeout = TimeSpan.FromSeconds(ParseInt(args, ref i, 1, 86_400)) };
                    break;
                case "--keep":
                    options = options with { Keep = true };
                    break;
                case "--clean":
                    options = options with { Clean = ParseRunId(args, ref i) };
                    break;
                case "--verbose":
                    options = options with { Verbose = true };
                    break;
                case "--bench":
                    options = options with { Bench = true, Kill = false };
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{name}'.", nameof(args));
            }
        }

        return options with { Workflows = workflows ?? (options.Bench ? 5_000 : 10_000) };
    }

    private static int ParseInt(IReadOnlyList<string> args, ref int i, int min, int max)
    {
        var name = args[i];
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{name} needs a value.", nameof(args));
        }

        var text = args[++i];
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"{name} must be a whole number from {min} to {max}; it is '{text}'.", nameof(args));
        }

        return value;
    }

    private static string ParseRunId(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{name} needs a value.", nameof(args));
        }

        var text = args[++i];
        return text.Length == 8 && text.All(char.IsAsciiHexDigitLower)
            ? text
            : throw new ArgumentException($"{name} must be a run id of 8 lower-case hex digits (as --keep printed it); it is '{text}'.", nameof(args));
    }

    private static Uri ParseUri(string text, string variable) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps"
            ? uri
            : throw new ArgumentException($"{variable} must be an amqp:// or amqps:// URI; it is '{text}'.", nameof(text));
}
