using Arvo.Dispatch;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Telemetry;
using Arvo.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Arvo.Hosting;

/// <summary>Registers the Arvo host in a service collection.</summary>
public static class ArvoServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Arvo host: the handlers, orchestrators and resumables <paramref name="configure"/> registers, the
    /// <see cref="IArvoDispatcher"/>, the hosted worker (consumes the transport, runs the outbox relay), metrics and
    /// logging. Calling it again adds to the same host (core services are registered once).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Registers handlers and chooses memory, transport and dead-letter sink.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddArvo(arvo => arvo
    ///     .AddHandler(incrementHandler)
    ///     .AddOrchestrator(orchestrator => orchestrator.Machines(counterMachine))
    ///     .UseSqliteMemory("counter.db"));
    /// </code>
    /// </example>
    public static IServiceCollection AddArvo(this IServiceCollection services, Action<ArvoBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services);
        configure(new ArvoBuilder(services));
        return services;
    }

    /// <summary>
    /// Adds the Arvo host with its <see cref="ArvoHostingOptions"/> bound from <paramref name="configuration"/> (for
    /// example <c>builder.Configuration.GetSection("Arvo")</c>); see <see cref="AddArvo(IServiceCollection, Action{ArvoBuilder})"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section of the settings.</param>
    /// <param name="configure">Registers handlers and chooses memory, transport and dead-letter sink.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddArvo(this IServiceCollection services, IConfiguration configuration, Action<ArvoBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services);
        services.Configure<ArvoHostingOptions>(configuration);
        configure(new ArvoBuilder(services));
        return services;
    }

    private static void AddCore(IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(ArvoStartupTasks)))
        {
            return;
        }

        services.AddSingleton(new ArvoStartupTasks());
        services.AddOptions<ArvoHostingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ArvoHostingOptions>, ArvoHostingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMachineMemory<MachineMemoryRecord>>(_ => new SimpleMachineMemory<MachineMemoryRecord>());
        services.TryAddSingleton<IMachineMemory<ArvoResumableState>>(_ => new SimpleMachineMemory<ArvoResumableState>());
        services.TryAddSingleton<IArvoDeadLetterSink>(_ => new InMemoryDeadLetterSink());
        services.TryAddSingleton<InProcessSettlements>();
        services.TryAddSingleton<IArvoTransport>(provider => CreateChannelTransport(provider));
        services.TryAddSingleton(provider => new ArvoMetrics(provider.GetService<IMeterFactory>()));
        services.TryAddSingleton(provider => new ArvoHandlerRegistry(
            provider.GetServices<ArvoHandlerRegistration>().Select(registration => registration.Build(provider))));
        services.TryAddSingleton(provider => new ArvoEventPublisher(provider.GetRequiredService<IArvoTransport>(), provider.GetRequiredService<InProcessSettlements>()));
        services.TryAddSingleton<IArvoDispatcher>(provider => new ArvoDispatcher(
            provider.GetRequiredService<ArvoHandlerRegistry>(),
            provider.GetRequiredService<ArvoEventPublisher>(),
            provider.GetRequiredService<IArvoDeadLetterSink>(),
            provider.GetRequiredService<IOptions<ArvoHostingOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ArvoMetrics>(),
            Logger<ArvoDispatcher>(provider)));
        services.TryAddSingleton(provider => new ArvoOutboxRelayRunner(
            provider.GetRequiredService<ArvoHandlerRegistry>(),
            provider.GetRequiredService<ArvoEventPublisher>(),
            provider.GetRequiredService<InProcessSettlements>(),
            provider.GetRequiredService<IOptions<ArvoHostingOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ArvoMetrics>(),
            Logger<ArvoOutboxRelayRunner>(provider)));
        services.AddHostedService(provider => new ArvoWorker(
            provider,
            provider.GetRequiredService<IOptions<ArvoHostingOptions>>(),
            provider.GetRequiredService<ArvoStartupTasks>(),
            provider.GetRequiredService<TimeProvider>(),
            Logger<ArvoWorker>(provider)));
    }

    private static ChannelArvoTransport CreateChannelTransport(IServiceProvider provider)
    {
        var settlements = provider.GetRequiredService<InProcessSettlements>();
        var logger = Logger<ChannelArvoTransport>(provider);
        return new ChannelArvoTransport(new ChannelArvoTransportOptions
        {
            TimeProvider = provider.GetRequiredService<TimeProvider>(),
            OnUnrouted = (arvoEvent, cancellationToken) =>
            {
                ArvoHostingLog.Unrouted(logger, arvoEvent.Id, arvoEvent.Type, arvoEvent.To ?? "");
                return SettleAsync(arvoEvent, cancellationToken);
            },
            OnSettled = SettleAsync,
        });

        async ValueTask SettleAsync(ArvoEvent arvoEvent, CancellationToken cancellationToken)
        {
            try
            {
                await settlements.SettleAsync(arvoEvent.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The event stays pending in its outbox; the relay publishes it again later.
                ArvoHostingLog.SettleFailed(logger, error, arvoEvent.Id);
            }
        }
    }

    private static ILogger<T> Logger<T>(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}
