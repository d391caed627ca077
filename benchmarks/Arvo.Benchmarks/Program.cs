using Arvo.Benchmarks.Throughput;
using BenchmarkDotNet.Running;

// The throughput runner (one JSON object on stdout):
//   dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- throughput --workflows 10000 [--concurrency K]
if (args.Length > 0 && args[0] == "throughput")
{
    return await ThroughputCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

// Run all or some benchmarks: dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*Subject*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

/// <summary>Entry point type, referenced by the switcher.</summary>
public partial class Program;
