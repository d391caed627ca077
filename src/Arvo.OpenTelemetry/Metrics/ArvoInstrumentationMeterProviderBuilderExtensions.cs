using Arvo.Telemetry;

namespace OpenTelemetry.Metrics;

/// <summary>Subscribes an OpenTelemetry meter provider to the Arvo host's instruments.</summary>
public static class ArvoInstrumentationMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds the Arvo host's meter, <c>Arvo.Telemetry.ArvoMetrics.MeterName</c> of the <c>Arvo.Hosting</c> package
    /// (<c>arvo-instrumentation</c>, the same name as <see cref="ArvoTelemetry.ActivitySourceName"/>): the counters
    /// <c>arvo.executions</c>, <c>arvo.errors</c>, <c>arvo.lock.retries</c> and <c>arvo.dead_letters</c> and the histograms
    /// <c>arvo.execution.duration</c> and <c>arvo.outbox.lag</c>. Adding it twice subscribes once.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns><paramref name="builder"/>, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <example>
    /// <code>
    /// services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddArvoInstrumentation().AddOtlpExporter());
    /// </code>
    /// </example>
    public static MeterProviderBuilder AddArvoInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(ArvoTelemetry.ActivitySourceName);
    }
}
