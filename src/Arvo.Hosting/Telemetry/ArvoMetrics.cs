using System.Diagnostics;
using System.Diagnostics.Metrics;
using Arvo.Handlers;

namespace Arvo.Telemetry;

/// <summary>
/// The instruments of the Arvo host, on one <see cref="Meter"/> named <see cref="MeterName"/> (created through the host's
/// <see cref="IMeterFactory"/>). Listen with <c>meterProviderBuilder.AddMeter(ArvoMetrics.MeterName)</c>, or
/// <c>AddArvoInstrumentation()</c> from the <c>Arvo.OpenTelemetry</c> package.
/// </summary>
/// <remarks>
/// Tags: <c>arvo.destination</c> (the handler's source, the event's <c>to</c>), <c>arvo.outcome</c> (an
/// <see cref="ArvoExecutionOutcome"/> in snake case, or <c>dead_lettered</c>), <c>error.type</c> (a violation type, a
/// transaction cause or an exception type name) and <c>arvo.dead_letter.reason</c>.
/// </remarks>
public sealed class ArvoMetrics : IDisposable
{
    /// <summary>The meter's name: <c>arvo-instrumentation</c> (the same name as the activity source).</summary>
    public const string MeterName = ArvoTelemetry.ActivitySourceName;

    /// <summary>Counter <c>arvo.executions</c> ({execution}): events dispatched to a handler, by destination and outcome.</summary>
    public const string ExecutionsName = "arvo.executions";

    /// <summary>Histogram <c>arvo.execution.duration</c> (s): how long one dispatch took, retries included, by destination and outcome.</summary>
    public const string ExecutionDurationName = "arvo.execution.duration";

    /// <summary>Counter <c>arvo.errors</c> ({error}): failed attempts, by destination and <c>error.type</c> (retried ones included).</summary>
    public const string ErrorsName = "arvo.errors";

    /// <summary>Counter <c>arvo.lock.retries</c> ({retry}): attempts retried after lock contention or a transient store error, by destination and <c>error.type</c>.</summary>
    public const string LockRetriesName = "arvo.lock.retries";

    /// <summary>Histogram <c>arvo.outbox.lag</c> (s): for each event the outbox relay publishes, the time since the event was created.</summary>
    public const string OutboxLagName = "arvo.outbox.lag";

    /// <summary>Counter <c>arvo.dead_letters</c> ({event}): events sent to the dead-letter sink, by destination and <c>arvo.dead_letter.reason</c>.</summary>
    public const string DeadLettersName = "arvo.dead_letters";

    private static readonly string[] OutcomeNames = [.. Enum.GetValues<ArvoExecutionOutcome>().Select(outcome => SnakeCase(outcome))];

    private readonly Meter _meter;
    private readonly Counter<long> _executions;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _lockRetries;
    private readonly Histogram<double> _outboxLag;
    private readonly Counter<long> _deadLetters;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/> (or a meter of its own when null).</summary>
    /// <param name="meterFactory">The host's meter factory; null creates a standalone meter (disposed with this object).</param>
    public ArvoMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _executions = _meter.CreateCounter<long>(ExecutionsName, "{execution}", "Events dispatched to a handler, orchestrator or resumable.");
        _duration = _meter.CreateHistogram<double>(
            ExecutionDurationName,
            "s",
            "Duration of one dispatch, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _errors = _meter.CreateCounter<long>(ErrorsName, "{error}", "Failed execution attempts, by error type.");
        _lockRetries = _meter.CreateCounter<long>(LockRetriesName, "{retry}", "Executions retried after lock contention or a transient store error.");
        _outboxLag = _meter.CreateHistogram<double>(OutboxLagName, "s", "Age of the events the outbox relay published.");
        _deadLetters = _meter.CreateCounter<long>(DeadLettersName, "{event}", "Events sent to the dead-letter sink.");
    }

    /// <summary>The meter the instruments are on.</summary>
    /// <returns>The meter.</returns>
    public Meter Meter() => _meter;

    internal static string OutcomeName(ArvoExecutionOutcome outcome) => OutcomeNames[(int)outcome];

    internal void RecordExecution(string destination, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "arvo.destination", destination }, { "arvo.outcome", outcome } };
        _executions.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    internal void RecordError(string destination, string errorType) =>
        _errors.Add(1, new TagList { { "arvo.destination", destination }, { "error.type", errorType } });

    internal void RecordRetry(string destination, string errorType) =>
        _lockRetries.Add(1, new TagList { { "arvo.destination", destination }, { "error.type", errorType } });

    internal void RecordOutboxLag(TimeSpan lag) => _outboxLag.Record(Math.Max(0, lag.TotalSeconds));

    internal void RecordDeadLetter(string destination, string reason) =>
        _deadLetters.Add(1, new TagList { { "arvo.destination", destination }, { "arvo.dead_letter.reason", reason } });

    /// <summary>Disposes the meter.</summary>
    public void Dispose() => _meter.Dispose();

    internal static string SnakeCase(Enum value)
    {
        var name = value.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
