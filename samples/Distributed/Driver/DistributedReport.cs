using System.Globalization;

namespace Arvo.Samples.Distributed.Driver;

/// <summary>
/// The outcome of one run, printed as one line of <c>key=value</c> fields (see the sample's README for the exact
/// meaning of each count).
/// </summary>
public sealed record DistributedReport
{
    /// <summary>Workflows started.</summary>
    public required int Workflows { get; init; }

    /// <summary>
    /// Workflows that completed: the record is <c>done</c> with exactly the expected output and the service executed the
    /// workflow's notification.
    /// </summary>
    public required int Completed { get; init; }

    /// <summary>Workflow steps (subject and command type) for which a service executed more than one distinct command id: the sum of the extra ids. Must be 0.</summary>
    public required int Duplicated { get; init; }

    /// <summary>Executions of a command id a service had executed already (at-least-once delivery; harmless).</summary>
    public required int Redelivered { get; init; }

    /// <summary>Workflows started and not completed (<see cref="Workflows"/> minus <see cref="Completed"/>). Must be 0.</summary>
    public int Lost => Workflows - Completed;

    /// <summary>Workflows whose record is <c>done</c> with another output than expected (counted in <see cref="Lost"/> too).</summary>
    public required int WrongOutput { get; init; }

    /// <summary>Workflows whose record was written more than twice (an event applied again). Must be 0.</summary>
    public required int Reapplied { get; init; }

    /// <summary>Events the hosts gave up on (in the run's RabbitMQ dead-letter queue at the end). Must be 0.</summary>
    public required uint DeadLetters { get; init; }

    /// <summary>From the first (timed) init published to the last completion seen.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Workflows completed before the clock started (the benchmark's warm-up; included in <see cref="Workflows"/>).</summary>
    public int Warmup { get; init; }

    /// <summary>Worker processes.</summary>
    public required int Workers { get; init; }

    /// <summary>The killed worker and how many workflows had finished when it was killed, or null without a kill.</summary>
    public string? Killed { get; init; }

    /// <summary>Whether the run hit its time limit or stalled.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Completed workflows (after the warm-up) per second of <see cref="Elapsed"/>.</summary>
    public double WorkflowsPerSecond => Elapsed > TimeSpan.Zero ? Math.Max(0, Completed - Warmup) / Elapsed.TotalSeconds : 0;

    /// <summary>Whether every workflow completed exactly once: nothing lost, duplicated, re-applied or dead-lettered, no time-out.</summary>
    public bool Passed => Lost == 0 && Duplicated == 0 && Reapplied == 0 && DeadLetters == 0 && !TimedOut;

    /// <summary>The report's one line.</summary>
    /// <returns>
    /// <c>completed=10000/10000 duplicated=0 redelivered=12 lost=0 wrong_output=0 reapplied=0 dead_letters=0 elapsed=41.2s
    /// workflows/s=242.7 workers=2 killed=worker1@5003</c> (one line).
    /// </returns>
    public string ToLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"completed={Completed}/{Workflows} duplicated={Duplicated} redelivered={Redelivered} lost={Lost} wrong_output={WrongOutput} " +
        $"reapplied={Reapplied} dead_letters={DeadLetters} elapsed={Elapsed.TotalSeconds:0.0}s workflows/s={WorkflowsPerSecond:0.0} workers={Workers} " +
        $"killed={Killed ?? "none"}{(Warmup > 0 ? $" warmup={Warmup}" : "")}{(TimedOut ? " timed_out=true" : "")}");
}
