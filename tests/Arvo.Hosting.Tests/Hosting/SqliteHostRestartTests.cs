using Arvo.Dispatch;
using Arvo.Handlers;
using Arvo.Hosting.Tests.TestSupport;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Microsoft.Extensions.DependencyInjection;

namespace Arvo.Hosting.Tests.Hosting;

public sealed class SqliteHostRestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("arvo-hosting-").FullName;

    private string DatabasePath => Path.Combine(_directory, "host.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Workflow_StoppedWhileItsCommandWasInFlight_IsFinishedByTheNextHostOnTheSameFile()
    {
        var init = CounterWorkflows.CreateInit("increment", 5);
        var commandReceived = new TaskCompletionSource();

        // First host: the service never answers; the host stops while the command is being handled.
        var stuck = new ScriptedHandler(CounterContracts.IncrementType, async (_, cancellationToken) =>
        {
            commandReceived.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return ArvoExecutionResult.Empty;
        });
        using (var first = TestHosts.Build(arvo => arvo
                   .UseSqliteMemory(DatabasePath)
                   .AddOrchestrator(o => o.Machines(CounterMachine.Create()))
                   .AddHandler(stuck)))
        {
            await first.StartAsync();
            (await first.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(init)).Succeeded.Should().BeTrue();
            await commandReceived.Task.WaitAsync(TestHosts.Deadline);
            await first.StopAsync();

            var memory = first.Services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>();
            var pending = await memory.ReadPendingOutboxAsync(10);
            pending.Select(entry => entry.Event.Type).Should().Equal(CounterContracts.IncrementType);
        }

        // Second host, same file, the real service: the relay publishes the pending command and the workflow completes.
        using var second = TestHosts.Build(arvo =>
        {
            arvo.UseSqliteMemory(DatabasePath).AddOrchestrator(o => o.Machines(CounterMachine.Create()));
            foreach (var handler in CounterHandlers.CreateAll())
            {
                arvo.AddHandler(handler);
            }
        });
        await second.StartAsync();
        var store = second.Services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>();
        await TestHosts.WaitUntilAsync(
            async () => (await store.ReadAsync(init.Subject))?.Record is MachineMemoryStateRecord { Status: "done" },
            "the workflow to complete on the second host");
        await TestHosts.WaitUntilAsync(async () => (await store.ReadPendingOutboxAsync(10)).Count == 0, "the outbox to be empty");

        var record = (MachineMemoryStateRecord)(await store.ReadAsync(init.Subject))!.Record;
        record.State.GetProperty("output").GetRawText().Should().Be("""{"final":5}""");
        stuck.Calls.Should().Be(1);
        await second.StopAsync();
    }
}
