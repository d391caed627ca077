using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Resumable;

namespace Arvo.Tests.Docs;

/// <summary>The README's "Machine or resumable?" example, compiled and run; the region between the markers is in README.md verbatim.</summary>
public sealed class ReadmeResumableExampleTests
{
    /// <summary>The example's context.</summary>
    public sealed record GreetingsContext(int Expected);

    [Fact]
    public async Task ResumableExample_RunsThroughTheBroker()
    {
        // README:resumable:start
        // A service, and a workflow contract: greet every name, complete with the greetings.
        var greeter = ArvoContract.Create("#/demo/greeter", "com.demo.greet", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")
                .Emits("evt.demo.greet.success", """{"type":"object","properties":{"greeting":{"type":"string"}},"required":["greeting"]}""")));
        var greetAll = ArvoContract.CreateOrchestrator("#/demo/greet-all", "greet.all", contract => contract
            .Version("1.0.0", version => version
                .Init("""{"type":"object","properties":{"names":{"type":"array","items":{"type":"string"}}},"required":["names"]}""")
                .Complete("""{"type":"object","properties":{"greetings":{"type":"array","items":{"type":"string"}}},"required":["greetings"]}""")));

        // The resumable: one function per version. It gets the stored context and the responses collected so far
        // (in request order), and returns the new context, the service calls and, when finished, the output.
        var workflow = ArvoResumable.CreateBuilder<GreetingsContext>(greetAll)
            .Memory(new SimpleMachineMemory<ArvoResumableState>())
            .Service("greeter", greeter.Version("1.0.0"))
            .Version("1.0.0", context =>
            {
                if (context.Input is { } init)
                {
                    var names = init.Data.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray();
                    return new()
                    {
                        Context = new GreetingsContext(names.Length),
                        Services = [.. names.Select(name => ArvoMachineEmit.Create("com.demo.greet", new { name }))],
                    };
                }

                var greetings = context.Collected("evt.demo.greet.success");
                return greetings.Count < context.Context!.Expected
                    ? null // keep waiting
                    : new() { Output = new { greetings = greetings.Select(g => g.Data.GetProperty("greeting").GetString()) } };
            })
            .Build();

        var handler = ArvoEventHandler.CreateBuilder(greeter)
            .ExecutionUnits(1)
            .Version("1.0.0", context => ArvoHandlerOutput.Emit(
                "evt.demo.greet.success", new { greeting = $"Hello, {context.Data.GetProperty("name").GetString()}!" }))
            .Build();
        var broker = SimpleEventBroker.Create([workflow, handler]);
        var init = new ArvoOrchestratorEventFactory(greetAll.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { names = new[] { "Ada", "Grace" } });
        ArvoEvent? done = await broker.ResolveAsync(init);

        // done.Type == "arvo.orc.greet.all.done", done.Data == {"greetings":["Hello, Ada!","Hello, Grace!"]}
        // README:resumable:end

        done!.Type.Should().Be("arvo.orc.greet.all.done");
        done.Data.GetRawText().Should().Be("""{"greetings":["Hello, Ada!","Hello, Grace!"]}""");
    }

    [Fact]
    public void Readme_ContainsTheResumableExample()
    {
        var root = ReadmeHandlerExampleTests.RepositoryRoot();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Arvo.Orchestration.Tests", "Docs", "ReadmeResumableExampleTests.cs")).ReplaceLineEndings("\n");
        var start = source.IndexOf("// README:resumable:start\n", StringComparison.Ordinal) + "// README:resumable:start\n".Length;
        var end = source.IndexOf("        // README:resumable:end", StringComparison.Ordinal);
        var example = string.Join('\n', source[start..end].TrimEnd('\n').Split('\n').Select(line => line.Length >= 8 ? line[8..] : line.TrimStart()));

        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");

        readme.Should().Contain(example);
    }
}
