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
}
