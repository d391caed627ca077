using Arvo.Transport.RabbitMQ;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arvo.Hosting;

/// <summary>Carries the Arvo host's events through RabbitMQ, so that many hosts share the work.</summary>
public static class RabbitMqArvoBuilderExtensions
{
    /// <summary>
    /// Uses a <see cref="RabbitMqArvoTransport"/> as the host's transport and a <see cref="RabbitMqDeadLetterSink"/> as its
    /// dead-letter sink. The settings are validated when the host starts; a failure names the setting
    /// (<c>Arvo:RabbitMQ:Partitions must be between 1 and 1024; it is 0.</c>). The container disposes the transport.
    /// </summary>
    /// <param name="arvo">The Arvo builder.</param>
    /// <param name="configure">Changes the settings (after any bound from configuration); null keeps them.</param>
    /// <returns>The Arvo builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="arvo"/> is null.</exception>
    /// <example>
    /// <code>
    /// services.AddArvo(arvo => arvo.UseRabbitMqTransport(options =>
    /// {
    ///     options.Uri = new Uri("amqp://app:secret@rabbit:5672/");
    ///     options.Prefix = "orders";
    /// }));
    /// </code>
    /// </example>
    public static ArvoBuilder UseRabbitMqTransport(this ArvoBuilder arvo, Action<RabbitMqTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(arvo);
        Register(arvo);
        if (configure is not null)
        {
            arvo.Services.Configure(configure);
        }

        return arvo;
    }

    /// <summary>
    /// Uses a <see cref="RabbitMqArvoTransport"/> with its settings bound from <paramref name="configuration"/> (usually
    /// the <c>Arvo:RabbitMQ</c> section), then changed by <paramref name="configure"/>; see
    /// <see cref="UseRabbitMqTransport(ArvoBuilder, Action{RabbitMqTransportOptions})"/>.
    /// </summary>
    /// <param name="arvo">The Arvo builder.</param>
    /// <param name="configuration">The configuration section of the settings.</param>
    /// <param name="configure">Changes the settings after binding; null keeps them.</param>
    /// <returns>The Arvo builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="arvo"/> or <paramref name="configuration"/> is null.</exception>
    public static ArvoBuilder UseRabbitMqTransport(this ArvoBuilder arvo, IConfiguration configuration, Action<RabbitMqTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(arvo);
        ArgumentNullException.ThrowIfNull(configuration);
        Register(arvo);
        arvo.Services.Configure<RabbitMqTransportOptions>(configuration);
        if (configure is not null)
        {
            arvo.Services.Configure(configure);
        }

        return arvo;
    }

    private static void Register(ArvoBuilder arvo)
    {
        var services = arvo.Services;
        services.AddOptions<RabbitMqTransportOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RabbitMqTransportOptions>, RabbitMqTransportOptionsValidator>());
        services.TryAddSingleton(provider => new RabbitMqArvoTransport(
            provider.GetRequiredService<IOptions<RabbitMqTransportOptions>>().Value,
            provider.GetService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
        arvo.UseTransport(provider => provider.GetRequiredService<RabbitMqArvoTransport>());
        arvo.UseDeadLetterSink(provider => new RabbitMqDeadLetterSink(provider.GetRequiredService<RabbitMqArvoTransport>()));
    }
}
