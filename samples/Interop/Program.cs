// The counter system over newline-delimited CloudEvents JSON (stdin -> stdout); see InteropTool for the protocol.
// Run: dotnet run --project samples/Interop -- --role all < init.jsonl
//      chain.sh (next to this file) connects the handlers role to the orchestrator role through a FIFO.
using System.Text;
using Arvo.Samples.Interop;

const string Usage = """
    usage: Interop [--role orchestrator|handlers|all] [--until-completions N]
      --role                the part of the counter system to play (default: all)
      --until-completions   exit after writing N completion / orchestrator system-error events (default: read to EOF)
    Reads one CloudEvents JSON object per line on stdin, writes every resulting event as one JSON line on stdout;
    a bad line produces one {"error": "..."} line and the tool keeps going.
    """;

var role = InteropRole.All;
int? untilCompletions = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--role" when i + 1 < args.Length && Enum.TryParse<InteropRole>(args[i + 1], ignoreCase: true, out var parsed):
            role = parsed;
            i++;
            break;
        case "--until-completions" when i + 1 < args.Length && int.TryParse(args[i + 1], out var count) && count > 0:
            untilCompletions = count;
            i++;
            break;
        case "-h" or "--help":
            Console.Out.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

var tool = InteropTool.Create(role);
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
using var input = new StreamReader(Console.OpenStandardInput(), utf8);
await using var output = new StreamWriter(Console.OpenStandardOutput(), utf8) { AutoFlush = false, NewLine = "\n" };
await tool.RunAsync(input, output, untilCompletions);
return 0;
