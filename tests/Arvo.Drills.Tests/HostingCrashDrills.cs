using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Arvo.Hosting;
using Arvo.Memory;
using Arvo.Memory.Sqlite;
using Arvo.Samples.Counter;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Arvo.Drills.Tests;

/// <summary>
/// The hosted worker (Arvo.Hosting in a real generic host, SQLite, the in-process Channel transport) killed with
/// SIGKILL while workflows are in flight, then restarted on the same file (issue 13: "pending events are published
/// after a crash", "a workflow survives a host restart (SQLite)").
/// </summary>
public sealed class HostingCrashDrills(ITestOutputHelper output) : IDisposable
{
    private const int Workflows = 300;
    private const int DispatchedBeforeKill = 200;
    private const int KillAfterDone = 100;
    private const int Replays = 10;
    private const int SigKillExitCode = 128 + 9;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] ServiceCommandTypes = [CounterContracts.IncrementType, CounterContracts.DecrementType, CounterContracts.NotificationType];

    private readonly string _directory = Directory.CreateTempSubdirectory("arvo-host-drill-").FullName;

    private string DatabasePath => Path.Combine(_directory, "host.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("ARVO_DRILL_KEEP") is not null)
        {
            // ARVO_DRILL_KEEP=1 keeps the database and the logs to inspect a failed drill.
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a killed process's last handle; the temp folder is cleaned later.
        }
    }

    [Fact]
    public async Task KillNine_HostedWorkerWithEventsInFlight_RestartOnTheSameFileCompletesEveryWorkflowOnce()
    {
        var clock = Stopwatch.StartNew();
        output.WriteLine($"drill files: {_directory}");
        var workload = await DrillWorkload.CreateAsync(Workflows);
        string[] run =
        [
            "host", "--memory", "sqlite", "--db", DatabasePath, "--inits", workload.WriteInits(_directory),
            "--dispatched", Path.Combine(_directory, "dispatched.log"),
        ];
        var firstLog = Path.Combine(_directory, "commands-1.log");
        var secondLog = Path.Combine(_directory, "commands-2.log");

        // 1. 200 inits dispatched and 100 workflows done, then SIGKILLed by itself while dispatching the next inits, with
        //    a backlog of events in the channel.
        using (var first = WorkerProcess.Start([.. run, "--commands", firstLog, "--kill-at-init", Invariant(DispatchedBeforeKill), "--kill-after-done", Invariant(KillAfterDone)]))
        {
            (await first.WaitAsync(RunTimeout)).Should().Be(SigKillExitCode, $"the host killed itself with SIGKILL. Output:\n{first.Output}");
            first.Output.Should().Contain("killing after");
            output.WriteLine($"run 1 ({clock.Elapsed.TotalSeconds:F1} s): {first.Output.Trim()}");
        }

        var pendingAtKill = await ReadPendingAsync();
        var appliedBeforeKill = (await ReadInboxesAsync()).Select(entry => entry.Applied).ToHashSet(StringComparer.Ordinal);
        var doneAtKill = await CountDoneAsync(workload);
        var executedBeforeKill = ServiceExecution.Read(firstLog);
        var executedIds = executedBeforeKill.Select(e => e.CommandId).ToHashSet(StringComparer.Ordinal);
        var pendingCommands = pendingAtKill.Where(e => ServiceCommandTypes.Contains(e.Event.Type)).Select(e => e.Event.Id).ToHashSet(StringComparer.Ordinal);
        File.WriteAllLines(Path.Combine(_directory, "pending-at-kill.txt"), pendingAtKill.Select(e => $"{e.WorkflowId}\t{e.Event.Type}\t{e.Event.Id}"));
        pendingAtKill.Should().NotBeEmpty("events were persisted and not yet consumed when the host died");
        doneAtKill.Should().BeLessThan(Workflows, "the host died with workflows in flight");
        pendingCommands.Count(id => !executedIds.Contains(id)).Should().BePositive("commands were persisted and never consumed (queued in the channel)");

        // 2. Restarted on the same file: the relay publishes what is pending; the first inits dispatched again are
        //    answered from the inbox (the worker exits 4 otherwise); the inits run 1 did not confirm are dispatched.
        var confirmedAtKill = File.ReadAllLines(Path.Combine(_directory, "dispatched.log")).ToHashSet(StringComparer.Ordinal);
        confirmedAtKill.Count.Should().BeInRange(DispatchedBeforeKill + 1, DispatchedBeforeKill + 4, "the kill came once one of the four last dispatches had returned");
        using (var second = WorkerProcess.Start([.. run, "--commands", secondLog, "--resume", "--replay", Invariant(Replays)]))
        {
            (await second.WaitAsync(RunTimeout)).Should().Be(0, second.Output);
            using var counts = JsonDocument.Parse(second.Output.Trim().Split('\n')[^1]);
            var executedInits = counts.RootElement.GetProperty("inits_executed").GetInt32();
            executedInits.Should().BeInRange(Workflows - confirmedAtKill.Count - 3, Workflows - confirmedAtKill.Count, "the inits never dispatched, or not persisted, are executed now");
            output.WriteLine($"run 2 ({clock.Elapsed.TotalSeconds:F1} s): {second.Output.Trim()}");
        }

        // Every workflow done with its exact value; nothing pending; the orchestrator emitted exactly the event ids of a
        // crash-free run (a re-applied init or answer would have added events under new ids).
        await using (var memory = OpenMemory())
        {
            var lost = new List<string>();
            foreach (var init in workload.Inits)
            {
                if ((await memory.ReadAsync(init.Subject))?.Record is not MachineMemoryStateRecord { Status: "done" } record)
                {
                    lost.Add(init.Subject);
                    continue;
                }

                var delta = init.Data.GetProperty("delta").GetDouble();
                var expected = init.Data.GetProperty("type").GetString() == "increment" ? delta : -delta;
                record.State.GetProperty("output").GetProperty("final").GetDouble().Should().Be(expected, $"workflow {init.Subject}");
            }

            lost.Should().BeEmpty("no workflow is lost");
            (await memory.ReadPendingOutboxAsync(1000)).Should().BeEmpty("the outbox is drained");
        }

        var rows = await SqliteCrashDrills.ReadOutboxAsync(DatabasePath, SqliteMachineMemoryOptions.DefaultTablePrefix + SqliteArvoBuilderExtensions.MachineTablePrefix + "outbox");
        CrashDrills.AssertExactlyTheCrashFreeEvents(workload, rows);

        // Service commands: stateless handlers are at least once. Each was executed, and an execution again always
        // answered under the same ids (the orchestrator's inbox drops the repeat).
        var executions = executedBeforeKill.Concat(ServiceExecution.Read(secondLog)).ToList();
        var commandIds = rows.Where(r => ServiceCommandTypes.Contains(r.Type)).Select(r => r.EventId).ToList();
        commandIds.Should().HaveCount(2 * Workflows);
        executions.Select(e => e.CommandId).Distinct().Should().BeEquivalentTo(commandIds, "every service command was executed");
        var repeated = executions.GroupBy(e => e.CommandId).Where(g => g.Count() > 1).ToList();
        repeated.Should().OnlyContain(g => g.Select(e => e.AnswerIds).Distinct().Count() == 1, "a command executed again is answered under the same ids");

        // And a command runs again only as often as something is delivered again, once per such delivery:
        // - the relay publishes once more a pending command whose execution was logged (its answer had not settled);
        // - an event the orchestrator had applied comes again and is answered from its inbox, whose events are published
        //   again (each once its first copy has settled): an init dispatched again (the replays, and an init in the
        //   middle of its dispatch at the kill whose execution was stored), or the answer of a command that runs again
        //   (not counting the first copy of an answer that the kill lost before the orchestrator applied it).
        // An execution in progress at the kill adds nothing: its line is written before its answer leaves the handler,
        // so a lost line means an answer that never left, and its execution after the restart is its first one logged.
        var relayedAgain = pendingCommands.Where(executedIds.Contains).ToHashSet(StringComparer.Ordinal);
        var initsAgain = workload.Inits.Where((init, index) => (index < Replays || !confirmedAtKill.Contains(init.Id)) && appliedBeforeKill.Contains(init.Id))
            .Select(init => init.Id).ToHashSet(StringComparer.Ordinal);
        initsAgain.Count.Should().BeLessThanOrEqualTo(Replays + 3, "besides the replays, at most the three dispatches in progress at the kill were stored and not confirmed");
        var emittedBy = (await ReadInboxesAsync()).SelectMany(entry => entry.Emitted.Select(emitted => (emitted, entry.Applied)))
            .ToDictionary(pair => pair.emitted, pair => pair.Applied, StringComparer.Ordinal);
        var answeredCommand = executions.DistinctBy(e => e.CommandId)
            .SelectMany(e => e.AnswerIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(answer => (answer, e.CommandId)))
            .ToDictionary(pair => pair.answer, pair => pair.CommandId, StringComparer.Ordinal);
        var explainedRuns = new Dictionary<string, int>(StringComparer.Ordinal);
        int DeliveredAgain(string eventId) =>
            initsAgain.Contains(eventId) ? 1
            : answeredCommand.TryGetValue(eventId, out var command)
                ? Math.Max(0, RunsAgain(command) - (executedIds.Contains(command) && !appliedBeforeKill.Contains(eventId) ? 1 : 0))
                : 0;
        int RunsAgain(string commandId)
        {
            if (!explainedRuns.TryGetValue(commandId, out var runs))
            {
                runs = (relayedAgain.Contains(commandId) ? 1 : 0) + (emittedBy.TryGetValue(commandId, out var cause) ? DeliveredAgain(cause) : 0);
                explainedRuns[commandId] = runs;
            }

            return runs;
        }

        repeated.Where(g => g.Count() - 1 > RunsAgain(g.Key))
            .Select(g => $"{g.First().Type} {g.Key}: {g.Count()} executions, {RunsAgain(g.Key)} more explained (pending at the kill: {pendingCommands.Contains(g.Key)}, logged before it: {executedIds.Contains(g.Key)})")
            .Should().BeEmpty("a command runs again only once per delivery again of itself (the relay) or of the event whose execution emitted it (the inbox replay)");
        var reExecutions = repeated.Sum(g => g.Count() - 1);
        var explained = commandIds.Sum(RunsAgain);

        output.WriteLine(
            $"workflows {Workflows}; at the kill: {doneAtKill} done, {pendingAtKill.Count} events pending ({pendingCommands.Count} service commands: " +
            $"{pendingCommands.Count(id => !executedIds.Contains(id))} never consumed, {relayedAgain.Count} executed with their answer not settled), " +
            $"{initsAgain.Count - Replays} inits in progress stored; after the restart: {Workflows} done, 0 lost, 0 pending; " +
            $"service executions {executions.Count} for {commandIds.Count} commands: {reExecutions} re-executions, at most {explained} explained " +
            $"by the relay and the inbox replays ({Replays} inits dispatched again on purpose); duration {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private SqliteMachineMemory<MachineMemoryRecord> OpenMemory() =>
        new(SqliteMachineMemoryOptions.ForFile(DatabasePath) with
        {
            TablePrefix = SqliteMachineMemoryOptions.DefaultTablePrefix + SqliteArvoBuilderExtensions.MachineTablePrefix,
        });

    /// <summary>The orchestrator's inboxes now: every event it applied, with the ids of the events that execution emitted.</summary>
    private async Task<IReadOnlyList<(string Applied, IReadOnlyList<string> Emitted)>> ReadInboxesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT json_extract(entry.value, '$.eventId'), (SELECT json_group_array(json_extract(emitted.value, '$.id')) FROM json_each(entry.value, '$.emitted') emitted) " +
            $"FROM {SqliteMachineMemoryOptions.DefaultTablePrefix + SqliteArvoBuilderExtensions.MachineTablePrefix}records, json_each(inbox) entry";
        var entries = new List<(string, IReadOnlyList<string>)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetString(0), JsonSerializer.Deserialize<string[]>(reader.GetString(1))!));
        }

        return entries;
    }

    private async Task<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingAsync()
    {
        await using var memory = OpenMemory();
        return await memory.ReadPendingOutboxAsync(100_000);
    }

    private async Task<int> CountDoneAsync(DrillWorkload workload)
    {
        await using var memory = OpenMemory();
        var done = 0;
        foreach (var init in workload.Inits)
        {
            if ((await memory.ReadAsync(init.Subject))?.Record is MachineMemoryStateRecord { Status: "done" })
            {
                done++;
            }
        }

        return done;
    }
}
