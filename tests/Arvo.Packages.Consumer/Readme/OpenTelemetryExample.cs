using System.Diagnostics;
using Arvo.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Arvo.Packages.Consumer.Readme;

/// <summary>src/Arvo.OpenTelemetry/README.md's example: the region between the markers is the README's code block.</summary>
internal static class OpenTelemetryExample
{
    /// <summary>Builds a host with Arvo's tracing and metrics turned on; returns whether Arvo's activity source is listened to.</summary>
    public static string Run()
    {
        var builder = Host.CreateApplicationBuilder([]);
        // README:Arvo.OpenTelemetry:start
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddArvoInstrumentation().AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddArvoInstrumentation().AddOtlpExporter());
        // README:Arvo.OpenTelemetry:end
        using var host = builder.Build();
        host.Services.GetRequiredService<TracerProvider>(); // the providers start listening when first resolved
        host.Services.GetRequiredService<MeterProvider>();
        using var source = new ActivitySource(ArvoTelemetry.ActivitySourceName);
        return $"{ArvoTelemetry.ActivitySourceName} traced: {source.HasListeners()}";
    }
}
