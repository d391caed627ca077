using System.Text.Json;
using Arvo.Events;
using Arvo.Samples.Interop;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Interop;

public sealed class InteropToolHandlersTests
{
    [Fact]
    public async Task ProcessLineAsync_IncrementCommand_WritesTheSuccessEventAsOneJsonLine()
    {
        var tool = InteropTool.Create(InteropRole.Handlers);
        var command = CounterVectors.Wires("counter_workflow")[1];

        var lines = await tool.ProcessLineAsync(command);

        var line = lines.Should().ContainSingle().Subject;
        line.Should().NotContain("\n");
        var answer = ArvoEventJson.Parse(line);
        answer.Type.Should().Be("evt.number.increment.success");
        answer.Data.GetRawText().Should().Be("""{"newValue":5}""");
        answer.To.Should().Be("arvo.orc.counter");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"specversion\":\"1.0\"}")]
    [InlineData("[1,2]")]
    [InlineData("{\"id\":")]
    public async Task ProcessLineAsync_BadLine_WritesOneErrorLine(string line)
    {
        var tool = InteropTool.Create(InteropRole.Handlers);

        var lines = await tool.ProcessLineAsync(line);

        var output = lines.Should().ContainSingle().Subject;
        using var document = JsonDocument.Parse(output);
        document.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("error");
        document.RootElement.GetProperty("error").GetString().Should().StartWith("line 1: invalid event: ");
    }

    [Fact]
    public async Task ProcessLineAsync_ViolatingEvent_WritesOneErrorLineNamingTheViolation()
    {
        var tool = InteropTool.Create(InteropRole.Handlers);
        var command = CounterVectors.Wires("counter_workflow")[1].Replace("{\"delta\":5}", "{\"delta\":\"five\"}", StringComparison.Ordinal);

        var lines = await tool.ProcessLineAsync(command);

        var output = lines.Should().ContainSingle().Subject;
        using var document = JsonDocument.Parse(output);
        document.RootElement.GetProperty("error").GetString().Should().Contain("com.number.increment").And.Contain("ViolationError<Contract>");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{\"error\":\"line 3: from a peer\"}")]
    public async Task ProcessLineAsync_BlankOrPeerErrorLine_WritesNothing(string line)
    {
        var tool = InteropTool.Create(InteropRole.Handlers);

        var lines = await tool.ProcessLineAsync(line);

        lines.Should().BeEmpty();
    }

    [Fact]
    public async Task ProcessLineAsync_EventNotServedByTheRole_WritesNothing()
    {
        var tool = InteropTool.Create(InteropRole.Handlers);
        var completion = CounterVectors.Wires("counter_workflow")[4];
        var init = CounterVectors.Wires("counter_workflow")[0];

        (await tool.ProcessLineAsync(completion)).Should().BeEmpty();
        (await tool.ProcessLineAsync(init)).Should().BeEmpty();
    }

    [Fact]
    public async Task ProcessLineAsync_Notification_IsConsumedSilently()
    {
        var tool = InteropTool.Create(InteropRole.Handlers);

        var lines = await tool.ProcessLineAsync(CounterVectors.Wires("counter_workflow")[3]);

        lines.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_MixedInput_AnswersEveryGoodLineAndKeepsGoingAfterBadOnes()
    {
        var tool = InteropTool.Create(InteropRole.Handlers);
        var input = string.Join('\n',
            CounterVectors.Wires("counter_workflow")[1],
            "garbage",
            CounterVectors.Wires("counter_workflow_decrement")[1],
            "",
            CounterVectors.Wires("handler_error_workflow")[1],
            "{\"error\":\"peer\"}",
            "{}") + "\n";
        using var output = new StringWriter();

        var read = await tool.RunAsync(new StringReader(input), output);

        read.Should().Be(7);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(5);
        ArvoEventJson.Parse(lines[0]).Type.Should().Be("evt.number.increment.success");
        lines[1].Should().StartWith("{\"error\":\"line 2: invalid event:");
        ArvoEventJson.Parse(lines[2]).Data.GetRawText().Should().Be("""{"newValue":-3}""");
        ArvoEventJson.Parse(lines[3]).Type.Should().Be("sys.com.number.increment.error");
        lines[4].Should().StartWith("{\"error\":\"line 7: invalid event:");
    }
}
