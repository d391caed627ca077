using System.Text.Json;
using Arvo.Events;
using Arvo.Samples.Counter;
using Arvo.Samples.Interop;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Interop;

/// <summary>The roles that contain the orchestrator, in process.</summary>
public sealed class InteropToolOrchestratorTests
{
    [Theory]
    [MemberData(nameof(CounterVectors.CompletingWorkflows), MemberType = typeof(CounterVectors))]
    public async Task ProcessLineAsync_AllRoleVectorInit_WritesTheVectorEventsThroughTheCompletion(string workflow)
    {
        var wires = CounterVectors.Wires(workflow);
        var expected = wires.Select(ArvoEventJson.Parse).ToList();
        var tool = InteropTool.Create(InteropRole.All);

        var lines = await tool.ProcessLineAsync(wires[0]);

        var events = lines.Select(ArvoEventJson.Parse).ToList();
        events.Select(e => e.Type).Should().Equal(expected.Skip(1).Select(e => e.Type));
        events[^1].Data.GetProperty("final").GetDouble().Should().Be(expected[^1].Data.GetProperty("final").GetDouble());
        tool.Completions.Should().Be(1);
    }

    [Fact]
    public async Task ProcessLineAsync_OrchestratorAndHandlersRolesChainedInProcess_CompleteTheVectorWorkflow()
    {
        var orchestrator = InteropTool.Create(InteropRole.Orchestrator);
        var handlers = InteropTool.Create(InteropRole.Handlers);
        var transcript = new List<string>();
        var toOrchestrator = new Queue<string>([CounterVectors.Wires("counter_workflow")[0]]);

        for (var round = 0; round < 10 && orchestrator.Completions == 0 && toOrchestrator.Count > 0; round++)
        {
            var produced = await orchestrator.ProcessLineAsync(toOrchestrator.Dequeue());
            transcript.AddRange(produced);
            foreach (var line in produced)
            {
                foreach (var answer in await handlers.ProcessLineAsync(line))
                {
                    toOrchestrator.Enqueue(answer);
                }
            }
        }

        var events = transcript.Select(ArvoEventJson.Parse).ToList();
        events.Select(e => e.Type).Should().Equal("com.number.increment", "notif.number.update", "arvo.orc.counter.done");
        CounterWorkflows.GetFinal(events[^1]).Should().Be(5);
    }

    [Fact]
    public async Task ProcessLineAsync_InitViolatingTheContract_WritesOneErrorLineAndKeepsGoing()
    {
        var tool = InteropTool.Create(InteropRole.Orchestrator);
        var bad = CounterVectors.Wires("counter_workflow")[0].Replace("\"delta\":5", "\"delta\":\"five\"", StringComparison.Ordinal);

        var errorLines = await tool.ProcessLineAsync(bad);
        var goodLines = await tool.ProcessLineAsync(CounterVectors.Wires("counter_workflow_decrement")[0]);

        using var document = JsonDocument.Parse(errorLines.Should().ContainSingle().Subject);
        document.RootElement.GetProperty("error").GetString().Should().StartWith("line 1: arvo.orc.counter").And.Contain("ViolationError<Contract>");
        ArvoEventJson.Parse(goodLines.Should().ContainSingle().Subject).Type.Should().Be("com.number.decrement");
    }

    [Fact]
    public async Task RunAsync_UntilCompletions_StopsReadingAfterTheCompletion()
    {
        var tool = InteropTool.Create(InteropRole.All);
        var input = CounterVectors.Wires("counter_workflow")[0] + "\n" + CounterVectors.Wires("counter_workflow_decrement")[0] + "\n";
        using var output = new StringWriter();

        var read = await tool.RunAsync(new StringReader(input), output, untilCompletions: 1);

        read.Should().Be(1);
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(4);
    }
}
