using Arvo.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Arvo.Hosting;

namespace Arvo.AspNetCore.Tests.Endpoints;

public sealed class ArvoEndpointRouteBuilderExtensionsTests
{
    [Fact]
    public async Task MapArvo_WithoutAddArvo_ThrowsNamingTheMissingCall()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var map = () => app.MapArvo("/events");

        map.Should().Throw<InvalidOperationException>().WithMessage(
            "The Arvo endpoints dispatch through IArvoDispatcher, which is not registered: call services.AddArvo(...) before building the app.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("com.http client")]
    public async Task MapArvoWorkflows_InitiatorSourceThatIsNoSource_Throws(string initiator)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddArvo(Counter.System());
        await using var app = builder.Build();

        var map = () => app.MapArvoWorkflows("/workflows", new ArvoHttpOptions { InitiatorSource = initiator });

        map.Should().Throw<ArgumentException>().WithMessage(
            $"ArvoHttpOptions.InitiatorSource must be a non-empty source without whitespace; it is '{initiator}'. (Parameter 'options')");
    }

    [Fact]
    public async Task MapArvoAndMapArvoWorkflows_GroupConventions_ApplyToEveryEndpoint()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddArvo(Counter.System());
        await using var app = builder.Build();
        var marker = new object();

        app.MapArvo("/events").WithMetadata(marker);
        app.MapArvoWorkflows("/workflows").WithMetadata(marker);
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>().ToList();

        endpoints.Select(endpoint => $"{string.Join(",", endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)} {endpoint.RoutePattern.RawText}")
            .Should().Equal("POST /events/", "GET /workflows/{**subject}", "POST /workflows/{orchestrator}");
        endpoints.Should().OnlyContain(endpoint => endpoint.Metadata.Contains(marker));
    }
}
