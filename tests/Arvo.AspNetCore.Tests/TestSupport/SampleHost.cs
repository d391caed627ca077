using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arvo.AspNetCore.Tests.TestSupport;

/// <summary>How a test reaches the host: the in-memory TestServer, or a real Kestrel socket on a free loopback port.</summary>
public enum HostTransport
{
    TestServer,
    Kestrel,
}

/// <summary>
/// samples/HttpHost as it is (<see cref="WebApplicationFactory{TEntryPoint}"/> of its <c>Program</c>), on a fresh SQLite
/// file of its own, reached through the TestServer or a real Kestrel port.
/// </summary>
public sealed class SampleHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly TempDatabase _database = new();

    private SampleHost(HostTransport transport)
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Database", _database.Path);
            web.ConfigureLogging(logging => logging.ClearProviders());
        });
        if (transport == HostTransport.Kestrel)
        {
            _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            _factory.StartServer();
            var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Client = new HttpClient { BaseAddress = new Uri(address) };
        }
        else
        {
            Client = _factory.CreateClient();
        }

        // The sample read the test's database from configuration ("Database"), not its own httphost.db.
        if (!File.Exists(_database.Path))
        {
            throw new InvalidOperationException($"samples/HttpHost did not open the test database {_database.Path}.");
        }
    }

    public HttpClient Client { get; }

    public static SampleHost Start(HostTransport transport) => new(transport);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        _database.Dispose();
    }
}
