using Arvo.Dispatch;
using Arvo.Handlers;
using Arvo.Hosting.Tests.TestSupport;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Samples.Counter;
using Microsoft.Extensions.DependencyInjection;

namespace Arvo.Hosting.Tests.Hosting;

public sealed class ArvoOutboxRelayRunnerTests
{
    [Fact]
    public async Task RelayAsync_EventSettledWhileTheBatchWasRead_IsNotPublishedAgain()
    {
        // Found by the SIGKILL drill of the hosted worker: after a restart the relay chases a backlog, and an event its
        // consumer settled between the relay's read and its in-flight check was still listed as pending, so the relay
        // published it again and the stateless service executed it a second time.
        var memory = new HookedMachineMemory(new SimpleMachineMemory<MachineMemoryRecord>());
        var release = new TaskCompletionSource<ArvoExecutionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ScriptedHandler(CounterContracts.IncrementType, (_, cancellationToken) => new ValueTask<ArvoExecutionResult>(release.Task.WaitAsync(cancellationToken)));
        using var host = TestHosts.Build(arvo => arvo
            .UseMemory(_ => memory, _ => new SimpleMachineMemory<ArvoResumableState>())
            .AddOrchestrator(o => o.Machines(CounterMachine.Create()))
            .AddHandler(service)
            .Configure(o => o.OutboxRelayInterval = TimeSpan.FromHours(1)));
        await host.StartAsync();
        var command = (await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(CounterWorkflows.CreateInit("increment", 5))).Emitted.Single();
        var settlements = host.Services.GetRequiredService<InProcessSettlements>();
        await TestHosts.WaitUntilAsync(() => service.Calls == 1, "the service to receive the command");
        settlements.IsInFlight(command.Id).Should().BeTrue();

        // The service finishes, and the command settles, after the relay read it as pending and before it looks at it.
        memory.AfterNextPendingRead(async () =>
        {
            release.SetResult(ArvoExecutionResult.Empty);
            await TestHosts.WaitUntilAsync(() => !settlements.IsInFlight(command.Id), "the command to settle");
        });
        var relayed = await host.Services.GetRequiredService<ArvoOutboxRelayRunner>().RelayAsync(CancellationToken.None);

        relayed.Should().Be(0);
        service.Calls.Should().Be(1);
        (await memory.ReadPendingOutboxAsync(10)).Should().BeEmpty();
        await host.StopAsync();
    }
}
