using Arvo.Dispatch;
using Arvo.Hosting.Tests.TestSupport;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Arvo.Hosting.Tests.Hosting;

public sealed class ArvoHostTests
{
    private static void Counter(ArvoBuilder arvo)
    {
        arvo.AddOrchestrator(orchestrator => orchestrator.Machines(CounterMachine.Create()));
        foreach (var handler in CounterHandlers.CreateAll())
        {
            arvo.AddHandler(handler);
        }
    }

    [Fact]
    public async Task CounterWorkflow_ThroughTheWorker_CompletesAndLeavesNoPendingOutbox()
    {
        using var host = TestHosts.Build(Counter);
        await host.StartAsync();
        await using var client = await host.ListenAsync(CounterWorkflows.DefaultInitiator);
        var init = CounterWorkflows.CreateInit("increment", 5);

        var dispatched = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(init);
        var completion = await client.WaitForAsync(CounterContracts.CompleteType);

        dispatched.Succeeded.Should().BeTrue();
        dispatched.Emitted.Select(e => e.Type).Should().Equal(CounterContracts.IncrementType);
        CounterWorkflows.GetFinal(completion).Should().Be(5);
        var memory = host.Services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>();
        var stored = (MachineMemoryStateRecord)(await memory.ReadAsync(init.Subject))!.Record;
        stored.Status.Should().Be("done");
        await TestHosts.WaitUntilAsync(async () => (await memory.ReadPendingOutboxAsync(10)).Count == 0, "the outbox to be empty");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddArvo_CalledTwiceWithTheSameHandler_RegistersOneWorkerAndOneHandler()
    {
        var increment = CounterHandlers.CreateIncrement();
        using var host = TestHosts.Build(
            arvo => arvo.AddHandler(increment).AddHandler(increment),
            services => services.AddArvo(arvo => arvo.AddHandler(increment)));

        host.Services.GetServices<IHostedService>().Should().ContainSingle();
        host.Services.GetRequiredService<IArvoDispatcher>().Registry.Destinations.Should().Equal(CounterContracts.IncrementType);
    }

    [Fact]
    public async Task Start_TwoHandlersForOneSource_FailsNamingTheSource()
    {
        using var host = TestHosts.Build(arvo => arvo.AddHandler(CounterHandlers.CreateIncrement()).AddHandler(CounterHandlers.CreateIncrement()));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<ConfigViolation>()).Which.Message.Should().StartWith(
            "ViolationError<Config> Two handlers consume the source 'com.number.increment'");
    }

    [Fact]
    public async Task Start_HandlerThatCannotBeBuilt_FailsTheHostNamingTheRegistrationAndTheCause()
    {
        using var host = TestHosts.Build(arvo => arvo
            .AddHandler(CounterHandlers.CreateIncrement())
            .AddHandler(_ => ArvoEventHandler.CreateBuilder(CounterContracts.Decrement).Build()));

        var start = () => host.StartAsync();

        var error = (await start.Should().ThrowAsync<ArvoHostingException>()).Which;
        error.Message.Should().StartWith("Arvo could not build the handler registered as #2: ");
        error.Message.Should().Be("Arvo could not build the handler registered as #2: " + error.InnerException!.Message);
        error.InnerException.Message.Should().Contain("#/test/service/decrement");
    }

    [Fact]
    public async Task Start_OrchestratorWithoutMachines_FailsTheHostNamingTheOrchestrator()
    {
        using var host = TestHosts.Build(arvo => arvo.AddOrchestrator(_ => { }));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<ArvoHostingException>()).Which.Message.Should().StartWith("Arvo could not build the orchestrator registered as #1: ");
    }

    [Fact]
    public async Task Options_BoundFromConfiguration_AreValidatedAtStartNamingTheSetting()
    {
        using var host = TestHosts.Build(Counter, settings: [new("Arvo:MaxConcurrency", "0"), new("Arvo:OutboxRelayBatchSize", "20000")]);

        var start = () => host.StartAsync();

        var error = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Failures.Should().Equal(
            "Arvo:MaxConcurrency must be between 1 and 1024; it is 0.",
            "Arvo:OutboxRelayBatchSize must be between 1 and 10000; it is 20000.");
    }

    [Fact]
    public async Task Options_BoundFromConfiguration_ReachTheDispatcher()
    {
        var handler = new ScriptedHandler("com.test.locked", ScriptedHandler.Throw(ScriptedHandler.LockDenied()));
        using var host = TestHosts.Build(arvo => arvo.AddHandler(handler), settings: [new("Arvo:MaxRetryAttempts", "3")]);
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(TestEvents.To("com.test.locked"));

        result.Attempts.Should().Be(4);
        handler.Calls.Should().Be(4);
        await host.StopAsync();
    }
}
