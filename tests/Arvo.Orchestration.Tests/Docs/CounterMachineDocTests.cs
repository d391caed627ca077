using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Docs;

/// <summary>Keeps docs/counter-machine.md in sync with the compiled counter machine and its Mermaid export.</summary>
public sealed class CounterMachineDocTests
{
    private static string Doc() =>
        File.ReadAllText(Path.Combine(ReadmeHandlerExampleTests.RepositoryRoot(), "docs", "counter-machine.md")).ReplaceLineEndings("\n");

    [Fact]
    public void CounterMachineDoc_ContainsTheGeneratedMermaidDiagram()
    {
        var diagram = CounterMachine.Create().ToMermaid().ReplaceLineEndings("\n");

        Doc().Should().Contain("```mermaid\n" + diagram + "```\n");
    }

    [Fact]
    public void CounterMachineDoc_ContainsTheCompiledDefinition()
    {
        var source = File.ReadAllText(Path.Combine(ReadmeHandlerExampleTests.RepositoryRoot(), "tests", "Arvo.Orchestration.Tests", "TestSupport", "CounterMachine.cs"))
            .ReplaceLineEndings("\n");
        var start = source.IndexOf("// README:counter-machine:begin\n", StringComparison.Ordinal) + "// README:counter-machine:begin\n".Length;
        var end = source.IndexOf("        // README:counter-machine:end", StringComparison.Ordinal);
        var code = string.Join('\n', source[start..end].TrimEnd('\n').Split('\n').Select(line => line.Length >= 8 ? line[8..] : line.TrimStart()));

        Doc().Should().Contain("```csharp\nvar counter = " + code + "\n```\n");
    }
}
