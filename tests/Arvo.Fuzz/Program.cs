// Fuzzing the public entry points that take untrusted input: events (JSON, CloudEvents), subjects, schema
// validation and one orchestrator/handler execution.
//
//   dotnet Arvo.Fuzz.dll deterministic [--inputs 100000] [--seed 1] [--bound-ms 250] [--findings findings.txt]
//       A bounded, reproducible pass (CI runs it): mutated inputs from the reference vectors, round-robin over the
//       targets. Exit 1 when any input raised an exception its entry point does not document, or took longer than
//       its bound twice in a row. Prints one JSON summary line.
//   dotnet Arvo.Fuzz.dll libfuzzer <target>     (targets: event-json, subject, cloudevent, schema, orchestrator)
//       Coverage-guided: instrument the Arvo assemblies with `sharpfuzz` and run under libFuzzer (see tests/Arvo.Fuzz/README.md).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Arvo.Fuzz;

var seeds = Seeds.Load(Path.Combine(AppContext.BaseDirectory, "seeds"));
FuzzTarget[] targets = [new EventJsonTarget(), new SubjectTarget(), new CloudEventTarget(), new SchemaTarget(seeds.Schemas), new OrchestratorTarget()];

if (args.Length >= 2 && args[0] == "libfuzzer")
{
    var target = targets.Single(t => t.Name == args[1]);
    SharpFuzz.Fuzzer.LibFuzzer.Run(span =>
    {
        try
        {
            target.Run(span.ToArray());
        }
        catch (Exception exception) when (target.IsDocumented(exception))
        {
            // A documented rejection is the expected outcome for bad input; anything else crashes the run.
        }
    });
    return 0;
}

if (args.Length == 0 || args[0] != "deterministic")
{
    Console.Error.WriteLine("usage: Arvo.Fuzz deterministic [--inputs N] [--seed S] [--bound-ms M] [--findings FILE] | libfuzzer <target>");
    return 2;
}

var options = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
var inputs = int.Parse(options.GetValueOrDefault("--inputs", "100000"), CultureInfo.InvariantCulture);
var seed = int.Parse(options.GetValueOrDefault("--seed", "1"), CultureInfo.InvariantCulture);
var bound = TimeSpan.FromMilliseconds(double.Parse(options.GetValueOrDefault("--bound-ms", "250"), CultureInfo.InvariantCulture));
var findingsPath = options.GetValueOrDefault("--findings");

var mutator = new Mutator(seed);
var perTarget = targets.ToDictionary(t => t.Name, _ => new TargetStats(), StringComparer.Ordinal);
var findings = new List<string>();
var slowest = TimeSpan.Zero;
var total = Stopwatch.StartNew();
for (var i = 0; i < inputs; i++)
{
    var target = targets[i % targets.Length];
    var input = target switch
    {
        SubjectTarget => mutator.MutateSubject(seeds.Subjects[i / targets.Length % seeds.Subjects.Count], seeds.Subjects),
        SchemaTarget => mutator.Mutate(seeds.Data[i / targets.Length % seeds.Data.Count], seeds.Data),
        _ => mutator.Mutate(seeds.Events[i / targets.Length % seeds.Events.Count], seeds.Events),
    };

    var stats = perTarget[target.Name];
    stats.Inputs++;
    var (outcome, elapsed) = RunOne(target, input);
    stats.Time += elapsed;
    if (elapsed > bound)
    {
        // Once more, to tell a slow input from a GC pause or a busy machine.
        var (_, again) = RunOne(target, input);
        if (again > bound)
        {
            stats.Slow++;
            findings.Add($"{target.Name}\tslow\t{again.TotalMilliseconds:F0} ms\t{input.Length} bytes\t{Convert.ToBase64String(input)}");
        }

        elapsed = TimeSpan.FromTicks(Math.Min(elapsed.Ticks, again.Ticks));
    }

    slowest = elapsed > slowest ? elapsed : slowest;
    switch (outcome)
    {
        case null:
            stats.Accepted++;
            break;
        case { } exception when target.IsDocumented(exception):
            stats.Rejected++;
            break;
        case { } exception:
            stats.Untyped++;
            var frames = string.Join(" | ", (exception.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries).Take(4));
            findings.Add($"{target.Name}\t{exception.GetType().FullName}\t{exception.Message.ReplaceLineEndings(" ")}\t{Convert.ToBase64String(input)}\t{frames}");
            break;
    }
}

var untyped = perTarget.Values.Sum(s => s.Untyped);
var slow = perTarget.Values.Sum(s => s.Slow);
if (findingsPath is not null)
{
    File.WriteAllLines(findingsPath, findings);
}

var summary = new Dictionary<string, object?>
{
    ["inputs"] = inputs,
    ["seed"] = seed,
    ["untyped"] = untyped,
    ["slow"] = slow,
    ["bound_ms"] = bound.TotalMilliseconds,
    ["slowest_ms"] = Math.Round(slowest.TotalMilliseconds, 1),
    ["elapsed_s"] = Math.Round(total.Elapsed.TotalSeconds, 1),
    ["targets"] = perTarget.ToDictionary(p => p.Key, p => new { inputs = p.Value.Inputs, accepted = p.Value.Accepted, rejected = p.Value.Rejected, untyped = p.Value.Untyped, slow = p.Value.Slow, seconds = Math.Round(p.Value.Time.TotalSeconds, 1) }),
    ["first_findings"] = findings.Take(10).Select(f => f.Length > 400 ? f[..400] + "…" : f).ToArray(),
};
Console.WriteLine(JsonSerializer.Serialize(summary));
return untyped == 0 && slow == 0 ? 0 : 1;

static (Exception? Outcome, TimeSpan Elapsed) RunOne(FuzzTarget target, byte[] input)
{
    var clock = Stopwatch.StartNew();
    try
    {
        target.Run(input);
        return (null, clock.Elapsed);
    }
#pragma warning disable CA1031 // Every exception is classified: documented rejection or finding.
    catch (Exception exception)
#pragma warning restore CA1031
    {
        return (exception, clock.Elapsed);
    }
}

/// <summary>Counts per target.</summary>
internal sealed class TargetStats
{
    public int Inputs { get; set; }

    public int Accepted { get; set; }

    public int Rejected { get; set; }

    public int Untyped { get; set; }

    public int Slow { get; set; }

    public TimeSpan Time { get; set; }
}
