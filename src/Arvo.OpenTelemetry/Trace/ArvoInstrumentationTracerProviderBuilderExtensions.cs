using Arvo.Telemetry;

namespace OpenTelemetry.Trace;

/// <summary>Subscribes an OpenTelemetry tracer provider to Arvo's spans.</summary>
public static class ArvoInstrumentationTracerProviderBuilderExtensions
{
    /// <summary>
    /// Adds Arvo's activity source, <see cref="ArvoTelemetry.ActivitySourceName"/> (<c>arvo-instrumentation</c>): the
    /// spans of handlers, orchestrators and resumables (each a child of the consumed event's <c>traceparent</c>, so one
    /// workflow is one trace across services), of machine resolution and execution, of the machine memory and of event
    /// creation. Adding it twice subscribes once.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns><paramref name="builder"/>, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <example>
    /// <code>
    /// services.AddOpenTelemetry().WithTracing(tracing => tracing.AddArvoInstrumentation().AddOtlpExporter());
    /// </code>
    /// </example>
    public static TracerProviderBuilder AddArvoInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(ArvoTelemetry.ActivitySourceName);
    }
}
