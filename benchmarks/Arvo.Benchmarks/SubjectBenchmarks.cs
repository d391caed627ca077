using Arvo.Events;
using Arvo.Subjects;
using BenchmarkDotNet.Attributes;

namespace Arvo.Benchmarks;

/// <summary>
/// Orchestration subjects: the orchestrator parses one on every event, so <see cref="Parse"/> is the
/// hot path (baseline; after the first read it is a subject-cache hit, <see cref="ParseUncached"/> is the full decode);
/// creating a subject happens once per execution.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*SubjectBenchmarks*'</c>.</remarks>
[MemoryDiagnoser]
public class SubjectBenchmarks
{
    private static readonly Dictionary<string, string> RedirectMeta = new() { ["redirectto"] = "com.test.other.service" };

    private readonly FixedIdGenerator _ids = new("3f2a6c1e-8b4d-4c1a-9e7f-0a1b2c3d4e5f");
    private string _typical = string.Empty;
    private string _minimal = string.Empty;
    private ArvoOrchestrationSubjectContent _content = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A root execution with a redirect hint, and a plain one (wire-format.md 12 C2 shape).
        _typical = ArvoOrchestrationSubject.New("arvo.orc.counter", "0.0.1", "com.test.service", meta: RedirectMeta, idGenerator: _ids);
        _minimal = ArvoOrchestrationSubject.New("arvo.orc.counter", "0.0.1", "com.test.service", idGenerator: _ids);
        _content = ArvoOrchestrationSubject.Parse(_typical);
    }

    /// <summary>Parse a typical subject (one meta entry, null domain).</summary>
    [Benchmark(Baseline = true)]
    public ArvoOrchestrationSubjectContent Parse() => ArvoOrchestrationSubject.Parse(_typical);

    /// <summary>Parse a typical subject without the subject cache: the first read of a workflow's subject.</summary>
    [Benchmark]
    public ArvoOrchestrationSubjectContent? ParseUncached() =>
        Internal.SubjectCodec.TryParse(_typical, ArvoSubjectOptions.Default, cache: null, out var content, out _) ? content : null;

    /// <summary>Parse a subject with empty meta.</summary>
    [Benchmark]
    public ArvoOrchestrationSubjectContent ParseMinimal() => ArvoOrchestrationSubject.Parse(_minimal);

    /// <summary>Validate, serialise, deflate and base64-encode existing content.</summary>
    [Benchmark]
    public string Create() => ArvoOrchestrationSubject.Create(_content);

    /// <summary>New root subject with a fixed id (no Guid cost).</summary>
    [Benchmark]
    public string New() => ArvoOrchestrationSubject.New("arvo.orc.counter", "0.0.1", "com.test.service", meta: RedirectMeta, idGenerator: _ids);

    private sealed class FixedIdGenerator(string id) : IArvoIdGenerator
    {
        public string NewId() => id;
    }
}
