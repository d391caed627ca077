using System.Text.Json;
using Arvo.Events;
using BenchmarkDotNet.Attributes;

namespace Arvo.Benchmarks;

/// <summary>
/// The ArvoEvent hot paths of an orchestrator: create one event (factory defaults, URI checks, validation),
/// serialize one event to UTF-8 JSON, parse one event from UTF-8 JSON.
/// Run: dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*EventBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class EventBenchmarks
{
    // A realistic orchestration subject (wire-format.md Example C2).
    private const string Subject =
        "eJwlzVsKwyAQheG9zHMUzaVtspvpZEIHooIxUpDsvUP6ej44f4OU6cNHyVhShqVBxMCwAOaarJotitBB5XxIiirOOuvh6oC/TGe5xwayKg2b33oc2by2icxIA5sZp9n09Fg9u/cTvdcviVLk3wNK4U7Yg3MVYuU1BRQ9jee+ayZwQS1c1w/oxTfx";

    private ArvoEventInit _init = null!;
    private JsonElement _data;
    private ArvoEventCreationOptions _options = null!;
    private ArvoEvent _event = null!;
    private byte[] _utf8 = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var data = JsonDocument.Parse("""{"parentSubject$$":null,"delta":5,"type":"increment"}""");
        _init = new ArvoEventInit
        {
            Source = "com.test.service",
            Type = "com.number.increment",
            Subject = Subject,
            Data = data.RootElement.Clone(),
            To = "com.number.increment",
            DataSchema = "#/test/service/increment/0.0.1",
            ExecutionUnits = 1,
            ParentId = "5400a8a1-39e3-47e4-b486-68f54d888e40",
        };
        _data = (JsonElement)_init.Data;
        _options = ArvoEventCreationOptions.Default;
        _event = ArvoEvent.Create(_init, _options);
        _utf8 = ArvoEventJson.SerializeToUtf8Bytes(_event);
    }

    /// <summary>ArvoEvent.Create with a JsonElement payload (id, time, encoding fast paths, validation).</summary>
    [Benchmark]
    public ArvoEvent Create() => ArvoEvent.Create(_init, _options);

    /// <summary>
    /// ArvoEvent.Create from an <see cref="ArvoEventDraft"/> stack value (what the orchestrators' emitted-event stage
    /// and the factories use): the same event as <see cref="Create"/>, without the init object or a boxed payload.
    /// </summary>
    [Benchmark]
    public ArvoEvent CreateFromDraft() => ArvoEvent.Create(
        new ArvoEventDraft
        {
            Source = _init.Source,
            Type = _init.Type,
            Subject = _init.Subject,
            Data = _data,
            To = _init.To,
            DataSchema = _init.DataSchema,
            ExecutionUnits = _init.ExecutionUnits,
            ParentId = _init.ParentId,
        },
        _options);

    /// <summary>ArvoDerivedEventId.Create: the name-based (UUID v5) id of an emitted event.</summary>
    [Benchmark]
    public string DerivedId() => ArvoDerivedEventId.Create(_event.Source, _event.ParentId!, 1);

    /// <summary>Structured-mode JSON to a new UTF-8 byte array.</summary>
    [Benchmark]
    public byte[] SerializeToUtf8() => ArvoEventJson.SerializeToUtf8Bytes(_event);

    /// <summary>Structured-mode JSON from UTF-8 bytes, fully validated.</summary>
    [Benchmark]
    public ArvoEvent ParseFromUtf8() => ArvoEventJson.Parse(_utf8);
}
