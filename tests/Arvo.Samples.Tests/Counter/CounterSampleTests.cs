using Arvo.Memory;
using Arvo.Memory.Sqlite;
using Arvo.Samples.Counter;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Counter;

/// <summary><c>dotnet run --project samples/Counter</c>: the built sample as a process.</summary>
public sealed class CounterSampleTests
{
    [Fact]
    public async Task Main_ThreeWorkflowsInBothStyles_PrintTheirEventsAndEndAsExpected()
    {
        using var timeout = new CancellationTokenSource(DotnetProcess.Timeout);
        using var sample = DotnetProcess.Start("Counter.dll");
        sample.Input.Close();

        var output = await sample.Output.ReadToEndAsync(timeout.Token);
        var error = await sample.Error.ReadToEndAsync(timeout.Token);
        await sample.WaitForExitAsync(timeout.Token);

        error.Should().BeEmpty();
        sample.ExitCode.Should().Be(0);
        var results = output.Split('\n').Where(l => l.TrimStart().StartsWith("result:", StringComparison.Ordinal)).Select(l => l.Trim());
        string[] once = ["result: arvo.orc.counter.done final = 5", "result: arvo.orc.counter.done final = -3", "result: arvo.orc.counter.done final = 0"];
        results.Should().Equal([.. once, .. once], "the machine and the resumable section end alike");
        output.Should().Contain("#### Machine (ArvoOrchestrator)").And.Contain("#### Resumable (ArvoResumable)");
        output.Should().Contain("com.number.increment").And.Contain("evt.number.decrement.success")
            .And.Contain("sys.com.number.increment.error").And.Contain("notif.number.update");
    }

    [Fact]
    public async Task Main_SqliteMemory_SecondRunShowsTheWorkflowsOfTheFirst()
    {
        var path = Path.Combine(Path.GetTempPath(), $"arvo-counter-{Guid.NewGuid():N}.db");
        try
        {
            var first = await RunAsync("--memory", "sqlite", "--db", path);
            first.Should().Contain("  machine workflows: 0").And.Contain("  resumable workflows: 0");
            var firstSubjects = ShortSubjectsOfResults(first);

            var second = await RunAsync("--memory", "sqlite", "--db", path);

            second.Should().Contain("  machine workflows: 3").And.Contain("  resumable workflows: 3");
            var listed = second[..second.IndexOf("#### Machine", StringComparison.Ordinal)];
            foreach (var subject in firstSubjects)
            {
                listed.Should().Contain($"[{subject}] done (version 2)");
            }
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task Main_SqliteMemoryAfterACrashBeforePublish_RepublishesAndCompletesTheWorkflow()
    {
        var path = Path.Combine(Path.GetTempPath(), $"arvo-counter-{Guid.NewGuid():N}.db");
        try
        {
            // A run that persisted an init's command and died before publishing it.
            var init = CounterWorkflows.CreateInit("increment", 9);
            await using (var store = new SqliteMachineMemory<MachineMemoryRecord>(SqliteMachineMemoryOptions.ForFile(path) with { TablePrefix = "machine_" }))
            {
                (await CounterOrchestrator.Create(store).ExecuteAsync(init)).All.Should().ContainSingle();
                (await store.ReadPendingOutboxAsync(10)).Should().ContainSingle();
            }

            var output = await RunAsync("--memory", "sqlite", "--db", path);

            output.Should().Contain($"[{CounterWorkflows.ShortSubject(init.Subject)}] active (version 1)");
            output.Should().Contain("== republished 1 pending events left by an earlier run");
            output.Should().Contain($"  recovered [{CounterWorkflows.ShortSubject(init.Subject)}]: arvo.orc.counter.done {{\"final\":9}}");
            await using var reopened = new SqliteMachineMemory<MachineMemoryRecord>(SqliteMachineMemoryOptions.ForFile(path) with { TablePrefix = "machine_" });
            ((MachineMemoryStateRecord)(await reopened.ReadRecordAsync(init.Subject))!).Status.Should().Be("done");
            (await reopened.ReadPendingOutboxAsync(10)).Should().BeEmpty();
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(DotnetProcess.Timeout);
        using var sample = DotnetProcess.Start("Counter.dll", args);
        sample.Input.Close();
        var output = await sample.Output.ReadToEndAsync(timeout.Token);
        var error = await sample.Error.ReadToEndAsync(timeout.Token);
        await sample.WaitForExitAsync(timeout.Token);
        error.Should().BeEmpty();
        sample.ExitCode.Should().Be(0, output);
        return output;
    }

    /// <summary>The short subjects printed on the machine section's event lines (e.g. <c>[90fd138e]</c>).</summary>
    private static IReadOnlyList<string> ShortSubjectsOfResults(string output) =>
        [.. output[output.IndexOf("#### Machine", StringComparison.Ordinal)..output.IndexOf("#### Resumable", StringComparison.Ordinal)]
            .Split('\n')
            .Where(l => l.TrimStart().StartsWith("arvo.orc.counter.done", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('[', StringComparison.Ordinal) + 1)..l.IndexOf(']', StringComparison.Ordinal)])];
}
