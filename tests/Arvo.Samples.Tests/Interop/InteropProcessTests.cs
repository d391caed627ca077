using Arvo.Events;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Interop;

/// <summary>The built tool as a process: standard streams, arguments, exit codes.</summary>
public sealed class InteropProcessTests
{
    [Fact]
    public async Task HandlersRole_LinesOnStdin_AnswersOnStdoutAndExitsAtEndOfInput()
    {
        using var timeout = new CancellationTokenSource(DotnetProcess.Timeout);
        using var tool = DotnetProcess.Start("Interop.dll", "--role", "handlers");

        await tool.Input.WriteLineAsync(CounterVectors.Wires("counter_workflow")[1]);
        await tool.Input.WriteLineAsync("this is not an event");
        await tool.Input.WriteLineAsync(CounterVectors.Wires("counter_workflow_decrement")[1]);
        await tool.Input.FlushAsync();
        tool.Input.Close();
        var output = await tool.Output.ReadToEndAsync(timeout.Token);
        await tool.WaitForExitAsync(timeout.Token);

        tool.ExitCode.Should().Be(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3);
        ArvoEventJson.Parse(lines[0]).Data.GetRawText().Should().Be("""{"newValue":5}""");
        lines[1].Should().StartWith("{\"error\":\"line 2: invalid event:");
        ArvoEventJson.Parse(lines[2]).Data.GetRawText().Should().Be("""{"newValue":-3}""");
    }

    [Fact]
    public async Task UnknownArgument_ExitsWithUsage()
    {
        using var timeout = new CancellationTokenSource(DotnetProcess.Timeout);
        using var tool = DotnetProcess.Start("Interop.dll", "--role", "broker");
        tool.Input.Close();

        var error = await tool.Error.ReadToEndAsync(timeout.Token);
        await tool.WaitForExitAsync(timeout.Token);

        tool.ExitCode.Should().Be(2);
        error.Should().Contain("usage: Interop");
    }
}
