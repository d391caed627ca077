using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Memory;

namespace Arvo.Tests.Docs;

/// <summary>The machine context of the README's orchestrator example.</summary>
/// <param name="N">The number being doubled.</param>
public sealed record DemoContext(double N);

/// <summary>
/// The README's "An orchestrator" example, compiled and run. The region between the markers is copied verbatim into
/// README.md; <see cref="Readme_ContainsTheOrchestratorExample"/> keeps them in sync.
/// </summary>
public sealed class ReadmeOrchestratorExampleTests
{
    [Fact]
    public async Task OrchestratorExample_RunsThroughTheBroker()
    {
        // README:orchestrator:start
        // Contracts: the service the workflow calls, and the workflow itself (init and completion schemas).
        var doubler = ArvoContract.Create("#/demo/doubler", "com.demo.double", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}""")
                .Emits("evt.demo.double.success", """{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}""")));
        var workflow = ArvoContract.CreateOrchestrator("#/demo/workflow", "demo.workflow", contract => contract
            .Version("1.0.0", version => version
                .Init("""{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}""")
                .Complete("""{"type":"object","properties":{"result":{"type":"number"}},"required":["result"]}""")));

        // The machine: ask the service, keep its answer, finish with the result.
        var machine = ArvoMachine.Setup<DemoContext>(workflow.Version("1.0.0"))
            .Service("doubler", doubler.Version("1.0.0"))
            .CreateMachine("demo", m => m
                .Context(input => new DemoContext(input.Data.GetProperty("n").GetDouble()))
                .Initial("doubling")
                .State("doubling", s => s
                    .Entry(a => a.Emit("com.demo.double", ctx => new { n = ctx.N }))
                    .On("evt.demo.double.success", "done", t => t.Assign((ctx, evt) => ctx with { N = evt.Data.GetProperty("n").GetDouble() })))
                .Final("done")
                .Output(ctx => new { result = ctx.N }));

        // The orchestrator keeps every workflow's state in memory between its events.
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(memory)
            .ExecutionUnits(1)
            .Machines(machine)
            .Build();
        var service = ArvoEventHandler.CreateBuilder(doubler)
            .ExecutionUnits(1)
            .Version("1.0.0", context => ArvoHandlerOutput.Emit(
                "evt.demo.double.success",
                new { n = 2 * context.Data.GetProperty("n").GetDouble() }))
            .Build();

        // init → arvo.orc.demo.workflow → com.demo.double → evt.demo.double.success → arvo.orc.demo.workflow.done
        var broker = SimpleEventBroker.Create([orchestrator, service]);
        var init = new ArvoOrchestratorEventFactory(workflow.Version("1.0.0"))
            .Init(new ArvoEventEnvelope { Source = "com.demo.client" }, new { n = 21 });
        ArvoEvent? done = await broker.ResolveAsync(init);

        // done.Type == "arvo.orc.demo.workflow.done", done.Data == {"result":42}, done.ParentId == init.Id
        // README:orchestrator:end

        done.Should().NotBeNull();
        done!.Type.Should().Be("arvo.orc.demo.workflow.done");
        done.Data.GetRawText().Should().Be("""{"result":42}""");
        done.To.Should().Be("com.demo.client");
        done.ParentId.Should().Be(init.Id);
        done.Subject.Should().Be(init.Subject);
        ((MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!).Status.Should().Be("done");
    }

    [Fact]
    public void Readme_ContainsTheOrchestratorExample()
    {
        var root = ReadmeHandlerExampleTests.RepositoryRoot();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Arvo.Orchestration.Tests", "Docs", "ReadmeOrchestratorExampleTests.cs")).ReplaceLineEndings("\n");
        var start = source.IndexOf("// README:orchestrator:start\n", StringComparison.Ordinal) + "// README:orchestrator:start\n".Length;
        var end = source.IndexOf("        // README:orchestrator:end", StringComparison.Ordinal);
        var example = string.Join('\n', source[start..end].TrimEnd('\n').Split('\n').Select(line => line.Length >= 8 ? line[8..] : line.TrimStart()));

        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");

        readme.Should().Contain(example);
    }
}
