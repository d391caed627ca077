using Arvo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arvo.AspNetCore.Tests.TestSupport;

/// <summary>
/// A host built in the test (<see cref="WebApplication.CreateBuilder()"/>) with the Arvo registrations it is given,
/// <c>MapArvo("/events")</c> and <c>MapArvoWorkflows("/workflows")</c>; on the TestServer or on Kestrel at
/// <c>http://127.0.0.1:0</c> (the bound address is read back). Retries: one, without delay.
/// </summary>
public sealed class ArvoTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ArvoTestHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ArvoTestHost> StartAsync(Action<ArvoBuilder> configure, HostTransport transport = HostTransport.TestServer, ArvoHttpOptions? options = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        if (transport == HostTransport.TestServer)
        {
            builder.WebHost.UseTestServer();
        }

        builder.Services.AddProblemDetails();
        builder.Services.AddArvo(arvo =>
        {
            configure(arvo);
            arvo.Configure(settings =>
            {
                settings.MaxRetryAttempts = 1;
                settings.RetryBaseDelay = TimeSpan.Zero;
                settings.RetryMaxDelay = TimeSpan.Zero;
            });
        });
        var app = builder.Build();
        app.MapArvo("/events", options);
        app.MapArvoWorkflows("/workflows", options);
        if (transport == HostTransport.Kestrel)
        {
            app.Urls.Add("http://127.0.0.1:0");
        }

        await app.StartAsync();
        var client = transport == HostTransport.Kestrel
            ? new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) }
            : app.GetTestClient();
        return new ArvoTestHost(app, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
