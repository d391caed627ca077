using System.Diagnostics;
using Arvo.Events;
using Arvo.Samples.Counter;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Interop;

/// <summary>
/// Done-when of issue 6: the interop tool completes a workflow when its <c>handlers</c> role is chained to its
/// <c>orchestrator</c> role through pipes. Two real processes; every wait is bounded by <see cref="DotnetProcess.Timeout"/>.
/// </summary>
public sealed class InteropChainTests
{
    [Theory]
    [InlineData("counter_workflow", 5)]
    [InlineData("counter_workflow_decrement", -3)]
    [InlineData("handler_error_workflow", 0)]
    public async Task TwoProcessesConnectedByPipes_VectorInit_CompleteTheWorkflow(string workflow, double final)
    {
        using var timeout = new CancellationTokenSource(DotnetProcess.Timeout);
        using var orchestrator = DotnetProcess.Start("Interop.dll", "--role", "orchestrator", "--until-completions", "1");
        using var handlers = DotnetProcess.Start("Interop.dll", "--role", "handlers");
        var transcript = new List<string>();

        await orchestrator.Input.WriteLineAsync(CounterVectors.Wires(workflow)[0]);
        await orchestrator.Input.FlushAsync();
        // orchestrator stdout -> handlers stdin (recorded); handlers stdout -> orchestrator stdin.
        var forward = PumpAsync(orchestrator.Output, handlers.Input, transcript, timeout.Token);
        var backward = PumpAsync(handlers.Output, orchestrator.Input, null, timeout.Token);
        await Task.WhenAll(forward, backward, orchestrator.WaitForExitAsync(timeout.Token), handlers.WaitForExitAsync(timeout.Token));

        orchestrator.ExitCode.Should().Be(0);
        handlers.ExitCode.Should().Be(0);
        var last = ArvoEventJson.Parse(transcript[^1]);
        last.Type.Should().Be("arvo.orc.counter.done");
        last.Subject.Should().Be(CounterVectors.Event(workflow, 0).Subject);
        CounterWorkflows.GetFinal(last).Should().Be(final);
    }

    [Fact]
    public async Task ChainScript_FifoBetweenTheRoles_CompletesTwoWorkflows()
    {
        var directory = Directory.CreateTempSubdirectory("arvo-interop-");
        try
        {
            var init = Path.Combine(directory.FullName, "init.jsonl");
            var transcript = Path.Combine(directory.FullName, "transcript.jsonl");
            await File.WriteAllLinesAsync(init, [CounterVectors.Wires("counter_workflow")[0], CounterVectors.Wires("counter_workflow_decrement")[0]]);
            var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "chain.sh"), init, transcript, "2", "dotnet", DotnetProcess.PathOf("Interop.dll") })
            {
                start.ArgumentList.Add(arg);
            }

            using var timeout = new CancellationTokenSource(DotnetProcess.Timeout);
            using var process = Process.Start(start)!;
            try
            {
                var error = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                (await error).Should().BeEmpty();
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            process.ExitCode.Should().Be(0);
            var completions = (await File.ReadAllLinesAsync(transcript)).Select(ArvoEventJson.Parse)
                .Where(e => e.Type == CounterContracts.CompleteType).Select(CounterWorkflows.GetFinal);
            completions.Should().Equal(5, -3);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Copies lines until <paramref name="from"/> ends, then closes <paramref name="to"/> (EOF for the next process).</summary>
    private static async Task PumpAsync(StreamReader from, StreamWriter to, List<string>? record, CancellationToken cancellationToken)
    {
        try
        {
            while (await from.ReadLineAsync(cancellationToken) is { } line)
            {
                record?.Add(line);
                await to.WriteLineAsync(line.AsMemory(), cancellationToken);
                await to.FlushAsync(cancellationToken);
            }
        }
        catch (IOException)
        {
            // The reading side exited (the orchestrator stops after its completion): nothing more to deliver.
        }
        finally
        {
            try
            {
                to.Close();
            }
            catch (IOException)
            {
                // Broken pipe on close: the other side is already gone.
            }
        }
    }
}
