using BenchmarkDotNet.Running;

// Run all or some benchmarks: dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*Subject*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point type, referenced by the switcher.</summary>
public partial class Program;
