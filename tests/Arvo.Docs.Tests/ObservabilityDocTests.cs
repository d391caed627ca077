using Arvo.Dispatch;
using Arvo.Handlers;
using Arvo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Arvo.Docs;

/// <summary>
/// The code of docs/observability.md, compiled. What the page says the spans, metrics and logs are is asserted by
/// tests/Arvo.OpenTelemetry.Tests, which runs a real host and exports to memory.
/// </summary>
public sealed class ObservabilityDocTests
{
    [Fact]
    public void Setup_RegistersTheArvoHostAndBothOpenTelemetryProviders()
    {
        // docs:handler:begin
        var greet = ArvoContract.Create("#/demo/greet", "com.demo.greet", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")
                .Emits("evt.demo.greet.success", """{"type":"object","properties":{"greeting":{"type":"string"}},"required":["greeting"]}""")));
        var greeter = ArvoEventHandler.CreateBuilder(greet)
            .Version("1.0.0", ctx => ArvoHandlerOutput.Emit("evt.demo.greet.success", new { greeting = "Hello " + ctx.Data.GetProperty("name").GetString() }))
            .Build();
        // docs:handler:end

        // docs:setup:begin
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArvo(arvo => arvo.AddHandler(greeter));    // your handlers, orchestrators and resumables
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddArvoInstrumentation().AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddArvoInstrumentation().AddOtlpExporter());
        // docs:setup:end

        // Not built or started here: its exporters would send to an OTLP collector. The OpenTelemetry tests run this
        // setup with in-memory exporters.
        builder.Services.Should().Contain(descriptor => descriptor.ServiceType == typeof(IArvoDispatcher));
        builder.Services.Should().Contain(descriptor => descriptor.ServiceType == typeof(TracerProvider));
        builder.Services.Should().Contain(descriptor => descriptor.ServiceType == typeof(MeterProvider));
    }

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("observability");
}
