using Arvo.Dispatch;
using Arvo.Memory;
using Arvo.Orchestration;
using Arvo.Resumable;
using Arvo.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Arvo.Hosting;

/// <summary>
/// Configures the Arvo host inside <c>services.AddArvo(arvo => ...)</c>: the handlers, orchestrators and resumables,
/// the machine memory, the transport and the dead-letter sink. Everything is built when the host starts.
/// </summary>
/// <remarks>
/// Defaults: in-memory machine memory (<see cref="SimpleMachineMemory{T}"/>), the in-process
/// <see cref="ChannelArvoTransport"/>, an <see cref="InMemoryDeadLetterSink"/>. Store packages add
/// <c>UseSqliteMemory</c> and <c>UsePostgreSqlMemory</c>.
/// </remarks>
public sealed class ArvoBuilder
{
    internal ArvoBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a built handler, orchestrator or resumable. Adding the same instance again does nothing.</summary>
    /// <param name="handler">The handler; its <see cref="IArvoEventHandler.Source"/> is the <c>to</c> it consumes.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public ArvoBuilder AddHandler(IArvoEventHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        foreach (var descriptor in Services)
        {
            if (descriptor.ServiceType == typeof(ArvoHandlerRegistration)
                && descriptor.ImplementationInstance is ArvoHandlerRegistration { Instance: { } existing } && ReferenceEquals(existing, handler))
            {
                return this;
            }
        }

        return Add("handler", handler, null);
    }

    /// <summary>Adds a handler built from the host's services when the host starts.</summary>
    /// <param name="factory">Builds the handler (for example <c>sp =&gt; ArvoEventHandler.CreateBuilder(contract)...Build()</c>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public ArvoBuilder AddHandler(Func<IServiceProvider, IArvoEventHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Add("handler", null, factory);
    }

    /// <summary>
    /// Adds a state-machine orchestrator. The builder comes with the host's machine memory set; <paramref name="configure"/>
    /// adds the machines and any other setting.
    /// </summary>
    /// <param name="configure">Configures the orchestrator (at least <see cref="ArvoOrchestratorBuilder.Machines"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public ArvoBuilder AddOrchestrator(Action<ArvoOrchestratorBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddOrchestrator((_, builder) => configure(builder));
    }

    /// <summary>Adds a state-machine orchestrator configured with the host's services.</summary>
    /// <param name="configure">Configures the orchestrator; the builder comes with the host's machine memory set.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public ArvoBuilder AddOrchestrator(Action<IServiceProvider, ArvoOrchestratorBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add("orchestrator", null, services =>
        {
            var builder = ArvoOrchestrator.CreateBuilder().Memory(services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>());
            configure(services, builder);
            return builder.Build();
        });
    }

    /// <summary>
    /// Adds a resumable for <paramref name="contract"/>. The builder comes with the host's resumable memory set;
    /// <paramref name="configure"/> adds the services and the versions.
    /// </summary>
    /// <typeparam name="TContext">The resumable's context type.</typeparam>
    /// <param name="contract">The resumable's own orchestrator contract.</param>
    /// <param name="configure">Configures the resumable.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ArvoBuilder AddResumable<TContext>(ArvoOrchestratorContract contract, Action<ArvoResumableBuilder<TContext>> configure)
        where TContext : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddResumable<TContext>(contract, (_, builder) => configure(builder));
    }

    /// <summary>Adds a resumable for <paramref name="contract"/>, configured with the host's services.</summary>
    /// <typeparam name="TContext">The resumable's context type.</typeparam>
    /// <param name="contract">The resumable's own orchestrator contract.</param>
    /// <param name="configure">Configures the resumable; the builder comes with the host's resumable memory set.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ArvoBuilder AddResumable<TContext>(ArvoOrchestratorContract contract, Action<IServiceProvider, ArvoResumableBuilder<TContext>> configure)
        where TContext : class
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(configure);
        return Add($"resumable '{contract.Type}'", null, services =>
        {
            var builder = ArvoResumable.CreateBuilder<TContext>(contract).Memory(services.GetRequiredService<IMachineMemory<ArvoResumableState>>());
            configure(services, builder);
            return builder.Build();
        });
    }

    /// <summary>
    /// Uses these machine memories for orchestrators and resumables (the store packages call this from
    /// <c>UseSqliteMemory</c> / <c>UsePostgreSqlMemory</c>). The last call wins. The container disposes them.
    /// </summary>
    /// <param name="machines">Builds the orchestrators' store.</param>
    /// <param name="resumables">Builds the resumables' store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ArvoBuilder UseMemory(
        Func<IServiceProvider, IMachineMemory<MachineMemoryRecord>> machines,
        Func<IServiceProvider, IMachineMemory<ArvoResumableState>> resumables)
    {
        ArgumentNullException.ThrowIfNull(machines);
        ArgumentNullException.ThrowIfNull(resumables);
        Services.RemoveAll<IMachineMemory<MachineMemoryRecord>>();
        Services.RemoveAll<IMachineMemory<ArvoResumableState>>();
        Services.AddSingleton(machines);
        Services.AddSingleton(resumables);
        return this;
    }

    /// <summary>Uses <paramref name="factory"/>'s transport instead of the in-process one. The last call wins.</summary>
    /// <param name="factory">Builds the transport.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public ArvoBuilder UseTransport(Func<IServiceProvider, IArvoTransport> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IArvoTransport>();
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Uses <paramref name="factory"/>'s dead-letter sink instead of the in-memory one. The last call wins.</summary>
    /// <param name="factory">Builds the sink.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public ArvoBuilder UseDeadLetterSink(Func<IServiceProvider, IArvoDeadLetterSink> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IArvoDeadLetterSink>();
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Changes the host's settings (after the ones bound from configuration).</summary>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public ArvoBuilder Configure(Action<ArvoHostingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Adds a task the worker runs when the host starts, before it consumes (the store packages create their tables
    /// here). A task that throws fails the host's start.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    public ArvoBuilder AddStartupTask(Func<IServiceProvider, CancellationToken, ValueTask> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        StartupTasks.Tasks.Add(task);
        return this;
    }

    internal ArvoStartupTasks StartupTasks =>
        (ArvoStartupTasks?)Services.FirstOrDefault(descriptor => descriptor.ServiceType == typeof(ArvoStartupTasks))?.ImplementationInstance
        ?? throw new InvalidOperationException("AddArvo registers the start-up tasks first.");

    private ArvoBuilder Add(string kind, IArvoEventHandler? instance, Func<IServiceProvider, IArvoEventHandler>? factory)
    {
        var index = Services.Count(descriptor => descriptor.ServiceType == typeof(ArvoHandlerRegistration)) + 1;
        Services.AddSingleton(new ArvoHandlerRegistration(kind, index, instance, factory));
        return this;
    }
}
