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

    /// <summary>host: where the service handlers append each execution.</summary>
    public string? CommandsLog { get; init; }

    /// <summary>host: where each init whose dispatch returned is appended (a client's record of confirmed requests).</summary>
    public string? DispatchedLog { get; init; }

    /// <summary>host with --kill-at-init: how many workflows must be done before the kill.</summary>
    public int KillAfterDone { get; init; }

    /// <summary>host: dispatch this many inits, wait for --kill-after-done completions, then SIGKILL this process while dispatching the next ones.</summary>
    public int? KillAtInit { get; init; }

    /// <summary>host: dispatch only the inits the dispatched log does not confirm (a client retrying what it has no answer for).</summary>
    public bool Resume { get; init; }

    /// <summary>host with --resume: dispatch the first N (confirmed) inits again, each of which must be answered from the inbox.</summary>
    public int Replay { get; init; }

    /// <summary>host: give up (exit 5) when the workflows are not all done by then.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(45);

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
            InitsPath = command is "work" or "host" ? Required("--inits") : null,
            Subject = command == "hold-lease" ? Required("--subject") : null,
            CrashAfter = values.TryGetValue("--crash-after", out var crash) ? int.Parse(crash, CultureInfo.InvariantCulture) : null,
            Redeliver = flags.Contains("--redeliver"),
            Locking = flags.Contains("--locking"),
            LeaseTimeToLive = values.TryGetValue("--lease-ttl-ms", out var ttl) ? TimeSpan.FromMilliseconds(int.Parse(ttl, CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(30),
            CommandsLog = command == "host" ? Required("--commands") : null,
            DispatchedLog = command == "host" ? Required("--dispatched") : null,
            KillAfterDone = values.TryGetValue("--kill-after-done", out var killDone) ? int.Parse(killDone, CultureInfo.InvariantCulture) : 0,
            KillAtInit = values.TryGetValue("--kill-at-init", out var killAt) ? int.Parse(killAt, CultureInfo.InvariantCulture) : null,
            Resume = flags.Contains("--resume"),
            Replay = values.TryGetValue("--replay", out var replay) ? int.Parse(replay, CultureInfo.InvariantCulture) : 0,
            Deadline = values.TryGetValue("--deadline-s", out var deadline) ? TimeSpan.FromSeconds(int.Parse(deadline, CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(45),
        };
    }
}

/// <summary>Counters the worker prints when it exits.</summary>
internal sealed class DrillStats
{
    public int HandlerDeliveries { get; set; }

    public int Retries { get; set; }
}
