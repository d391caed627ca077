using System.Globalization;

namespace Arvo.Drills.Worker;

/// <summary>The worker's command line.</summary>
internal sealed record DrillOptions
{
    public string Command { get; init; } = "work";

    public required string Memory { get; init; }

    public required string Database { get; init; }

    public string? Schema { get; init; }

    public string? InitsPath { get; init; }

    public string? Subject { get; init; }

    public int? CrashAfter { get; init; }

    public bool Redeliver { get; init; }

    public bool Locking { get; init; }

    public TimeSpan LeaseTimeToLive { get; init; } = TimeSpan.FromSeconds(30);

    public static DrillOptions Parse(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "work";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = command == "work" && (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? 0 : 1; i < args.Length; i++)
        {
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values[args[i]] = args[++i];
            }
            else
            {
                flags.Add(args[i]);
            }
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"{name} is required");
        return new DrillOptions
        {
            Command = command,
            Memory = Required("--memory"),
            Database = Required("--db"),
            Schema = values.GetValueOrDefault("--schema"),
            InitsPath = command == "work" ? Required("--inits") : null,
            Subject = command == "hold-lease" ? Required("--subject") : null,
            CrashAfter = values.TryGetValue("--crash-after", out var crash) ? int.Parse(crash, CultureInfo.InvariantCulture) : null,
            Redeliver = flags.Contains("--redeliver"),
            Locking = flags.Contains("--locking"),
            LeaseTimeToLive = values.TryGetValue("--lease-ttl-ms", out var ttl) ? TimeSpan.FromMilliseconds(int.Parse(ttl, CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(30),
        };
    }
}

/// <summary>Counters the worker prints when it exits.</summary>
internal sealed class DrillStats
{
    public int HandlerDeliveries { get; set; }

    public int Retries { get; set; }
}
