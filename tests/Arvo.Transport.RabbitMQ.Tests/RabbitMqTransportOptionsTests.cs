using Arvo.Hosting;
using Arvo.Hosting.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Arvo.Transport.RabbitMQ.Tests;

public sealed class RabbitMqTransportOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new RabbitMqTransportOptions();

        options.Uri.Should().Be(new Uri("amqp://guest:guest@localhost:5672/"));
        options.Prefix.Should().Be("arvo");
        options.Partitions.Should().Be(16);
        options.Prefetch.Should().Be(16);
        options.RebalanceInterval.Should().Be(TimeSpan.FromSeconds(2));
        options.RedeliveryDelay.Should().Be(TimeSpan.FromMilliseconds(50));
        options.ConnectionName.Should().Be($"arvo@{Environment.MachineName}");
    }

    [Fact]
    public void Constructor_InvalidSettings_ThrowsNamingEachSetting()
    {
        var options = new RabbitMqTransportOptions
        {
            Uri = new Uri("http://localhost/"),
            Prefix = "has space",
            Partitions = 0,
            Prefetch = 70_000,
            RebalanceInterval = TimeSpan.Zero,
            RedeliveryDelay = TimeSpan.FromMinutes(2),
            ConnectionName = " ",
        };

        var create = () => new RabbitMqArvoTransport(options);

        create.Should().Throw<ArgumentException>().Which.Message.Should().Be(
            "Arvo:RabbitMQ:Uri must be an absolute amqp:// or amqps:// URI; it is 'http://localhost/'. " +
            "Arvo:RabbitMQ:Prefix must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', '-' or ':'; it is 'has space'. " +
            "Arvo:RabbitMQ:Partitions must be between 1 and 1024; it is 0. " +
            "Arvo:RabbitMQ:Prefetch must be between 1 and 65535; it is 70000. " +
            "Arvo:RabbitMQ:RebalanceInterval must be between 00:00:00.0100000 and 00:10:00; it is 00:00:00. " +
            "Arvo:RabbitMQ:RedeliveryDelay must be between 00:00:00 and 00:01:00; it is 00:02:00. " +
            "Arvo:RabbitMQ:ConnectionName must be 1 to 200 characters, not only white space; it is ' '. (Parameter 'options')");
    }

    [Fact]
    public async Task HostStart_PartitionsZeroFromCode_FailsNamingTheSetting()
    {
        using var host = TestHosts.Build(arvo => arvo.UseRabbitMqTransport(options => options.Partitions = 0));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures
            .Should().Equal("Arvo:RabbitMQ:Partitions must be between 1 and 1024; it is 0.");
    }

    [Fact]
    public async Task HostStart_SettingsFromConfiguration_AreBoundAndValidated()
    {
        using var host = TestHosts.Build(
            arvo => { },
            services => services.AddArvo(arvo => arvo.UseRabbitMqTransport(
                new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Arvo:RabbitMQ:Prefix"] = "orders",
                    ["Arvo:RabbitMQ:Partitions"] = "2000",
                    ["Arvo:RabbitMQ:Prefetch"] = "0",
                }).Build().GetSection(RabbitMqTransportOptions.SectionName))));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().Equal(
            "Arvo:RabbitMQ:Partitions must be between 1 and 1024; it is 2000.",
            "Arvo:RabbitMQ:Prefetch must be between 1 and 65535; it is 0.");
    }

    [Fact]
    public void UseRabbitMqTransport_BindsTheTransportAndTheDeadLetterSinkWithTheConfiguredSettings()
    {
        using var host = TestHosts.Build(arvo => arvo.UseRabbitMqTransport(options =>
        {
            options.Uri = new Uri("amqp://wf:wfpass@127.0.0.1:5672/");
            options.Partitions = 16;
            options.Prefix = "arvo";
            options.Prefetch = 32;
        }));

        var transport = host.Services.GetRequiredService<IArvoTransport>().Should().BeOfType<RabbitMqArvoTransport>().Which;
        (transport.Options.Uri, transport.Options.Partitions, transport.Options.Prefix, transport.Options.Prefetch)
            .Should().Be((new Uri("amqp://wf:wfpass@127.0.0.1:5672/"), 16, "arvo", 32));
        host.Services.GetRequiredService<Arvo.Dispatch.IArvoDeadLetterSink>().Should().BeOfType<RabbitMqDeadLetterSink>();
    }
}
