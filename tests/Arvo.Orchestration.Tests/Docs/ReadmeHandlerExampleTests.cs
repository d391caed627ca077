using Arvo.Factories;
using Arvo.Handlers;

namespace Arvo.Tests.Docs;

/// <summary>
/// The README's "A complete handler" example, compiled and run. The region between the markers is
/// copied verbatim into README.md; <see cref="Readme_ContainsTheHandlerExample"/> keeps them in sync.
/// </summary>
public sealed class ReadmeHandlerExampleTests
{
    [Fact]
    public async Task HandlerExample_RunsThroughTheBroker()
    {
        // README:handler:start
        // The contract: what the service accepts and emits, per version.
        var greeter = ArvoContract.Create("#/demo/greeter", "com.demo.greet", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")
                .Emits("evt.demo.greet.success", """{"type":"object","properties":{"greeting":{"type":"string"}},"required":["greeting"]}""")));

        // The handler: one function per contract version; thrown exceptions become sys.com.demo.greet.error events.
        var handler = ArvoEventHandler.CreateBuilder(greeter)
            .ExecutionUnits(1)
            .Version("1.0.0", context => ArvoHandlerOutput.Emit(
                "evt.demo.greet.success",
                new { greeting = $"Hello, {context.GetData<GreetInput>()!.Name}!" }))
            .Build();

        // The broker delivers each event to the handler whose Source equals the event's `to`;
        // ResolveAsync publishes the event and returns the answer sent back to its source.
        var broker = SimpleEventBroker.Create([handler]);
        var request = new ArvoEventFactory(greeter.Version("1.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { name = "Ada" });
        ArvoEvent? answer = await broker.ResolveAsync(request);

        // answer.Type == "evt.demo.greet.success", answer.Data == {"greeting":"Hello, Ada!"}
        // README:handler:end

        answer.Should().NotBeNull();
        answer!.Type.Should().Be("evt.demo.greet.success");
        answer.Data.GetRawText().Should().Be("""{"greeting":"Hello, Ada!"}""");
        answer.To.Should().Be("com.demo.client");
        answer.ParentId.Should().Be(request.Id);
        answer.Subject.Should().Be(request.Subject);
    }

    [Fact]
    public void Readme_ContainsTheHandlerExample()
    {
        var root = RepositoryRoot();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Arvo.Orchestration.Tests", "Docs", "ReadmeHandlerExampleTests.cs")).ReplaceLineEndings("\n");
        var start = source.IndexOf("// README:handler:start\n", StringComparison.Ordinal) + "// README:handler:start\n".Length;
        var end = source.IndexOf("        // README:handler:end", StringComparison.Ordinal);
        var example = string.Join('\n', source[start..end].TrimEnd('\n').Split('\n').Select(line => line.Length >= 8 ? line[8..] : line.TrimStart()));

        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");

        readme.Should().Contain(example);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Arvo.Orchestration.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Arvo.Orchestration.sln not found above {AppContext.BaseDirectory}.");
    }

    private sealed record GreetInput(string Name);
}
