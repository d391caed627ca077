using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Arvo.Benchmarks;

/// <summary>
/// Validation of event data by <see cref="ArvoSchema"/>: the NJsonSchema path (JsonElement → JToken → NJsonSchema,
/// baseline) against the compiled JsonElement-native validator, for a valid and an invalid payload, plus
/// <see cref="ArvoSchema.TryParse"/> (validation + parse plan) on valid data.
/// Run: dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*SchemaBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class SchemaBenchmarks
{
    private ArvoSchema _schema = null!;
    private JsonElement _valid;
    private JsonElement _invalid;

    [GlobalSetup]
    public void Setup()
    {
        _schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{
              "name":{"type":"string","minLength":1},
              "age":{"type":"number","minimum":0},
              "email":{"type":["string","null"]},
              "tags":{"type":"array","items":{"type":"string"},"maxItems":10},
              "kind":{"enum":["basic","premium"]},
              "address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string","pattern":"^[0-9]{5}$"}},"required":["city"]}},
             "required":["name","age","email","kind"]}
            """);
        if (!_schema.IsCompiled)
        {
            throw new InvalidOperationException("The benchmark schema must compile.");
        }

        _valid = Parse("""{"name":"Saad Ahmad","age":26,"email":null,"tags":["a","b"],"kind":"premium","address":{"city":"Berlin","zip":"10115"}}""");
        _invalid = Parse("""{"name":"","age":"26","tags":["a",3],"kind":"gold","address":{"zip":"x"}}""");
    }

    /// <summary>Valid payload, NJsonSchema path.</summary>
    [Benchmark(Baseline = true)]
    public bool ValidNJsonSchema() => _schema.ValidateWithNJsonSchema(_valid).IsValid;

    /// <summary>Valid payload, compiled validator.</summary>
    [Benchmark]
    public bool ValidCompiled() => _schema.Validate(_valid).IsValid;

    /// <summary>Invalid payload (7 issues), NJsonSchema path.</summary>
    [Benchmark]
    public int InvalidNJsonSchema() => _schema.ValidateWithNJsonSchema(_invalid).Issues.Count;

    /// <summary>Invalid payload (7 issues), compiled validator.</summary>
    [Benchmark]
    public int InvalidCompiled() => _schema.Validate(_invalid).Issues.Count;

    /// <summary>TryParse of the valid payload (already in parsed form): compiled validation + parse plan.</summary>
    [Benchmark]
    public bool TryParseCompiled() => _schema.TryParse(_valid, out _, out _);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
