using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Contracts;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Schemas;
using Arvo.Subjects;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Schemas;

/// <summary>
/// Deterministic mutation of the reference contracts' events (<c>contracts.json</c>, <c>events.json</c>) and of a few
/// hand-written schemas (compiled and NJsonSchema fallback, pathological patterns): every mutated input goes through
/// schema validation (<see cref="ArvoSchema.Validate"/>, <see cref="ArvoSchema.TryParse"/>, <see cref="ArvoSchema.Parse"/>),
/// contract input validation (<see cref="ArvoContractResolver"/>) and the event factories, and may leave them only
/// with their documented outcomes. Each distinct escape it found has a named regression test in
/// <see cref="UntrustedSchemaInputRegressionTests"/> and <see cref="Contracts.UntrustedContractInputTests"/>.
/// </summary>
public sealed class UntrustedSchemaInputTests
{
    private const int Seed = 20261207;
    private const int MutationsPerSeed = 1000;

    /// <summary>Small, so that inputs that make a backtracking pattern time out keep the test fast.</summary>
    private static readonly ArvoSchemaOptions FastTimeout = new() { PatternMatchTimeout = TimeSpan.FromMilliseconds(2) };

    private static readonly JsonDocumentOptions DeepParsing = new() { MaxDepth = 2000 };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void MutatedInputs_LeaveEveryEntryPoint_OnlyWithDocumentedOutcomes()
    {
        var contracts = UntrustedInputContracts.Load();
        var seeds = Seeds(contracts);
        var random = new Random(Seed);
        var escapes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var inputs = 0;
        foreach (var seed in seeds)
        {
            Exercise(seed, default, "default(JsonElement)", escapes);
            inputs++;
            for (var i = 0; i < MutationsPerSeed; i++)
            {
                var text = Mutate(seed.Data, random);
                using var document = JsonDocument.Parse(text, DeepParsing);
                Exercise(seed, document.RootElement, text, escapes);
                inputs++;
            }
        }

        inputs.Should().BeGreaterThanOrEqualTo(20_000);
        escapes.Should().BeEmpty("every entry point documents what can leave it; found:\n{0}", string.Join("\n", escapes.Select(pair => $"{pair.Key}  <=  {pair.Value}")));
    }

    [Fact]
    public void MutatedSchemas_LoadOrFailWithArgumentException_AndThenValidateWithoutThrowing()
    {
        var random = new Random(Seed);
        var escapes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var loaded = 0;
        foreach (var seed in Seeds(UntrustedInputContracts.Load()).DistinctBy(seed => seed.Schema.ToString()))
        {
            var schemaJson = JsonNode.Parse(seed.Schema.ToString())!;
            for (var i = 0; i < 100; i++)
            {
                var text = random.Next(3) == 0 ? MutatePattern(schemaJson, random) : Mutate(schemaJson, random);
                ArvoSchema schema;
                try
                {
                    using var document = JsonDocument.Parse(text, DeepParsing);
                    schema = ArvoSchema.FromJson(document.RootElement, FastTimeout);
                }
                catch (ArgumentException)
                {
                    continue;
                }
                catch (Exception exception)
                {
                    escapes.TryAdd($"ArvoSchema.FromJson: {exception.GetType().Name}: {FirstLine(exception.Message)}", Shorten(text));
                    continue;
                }

                loaded++;
                Exercise(seed with { Schema = schema, Contract = null }, ContractTestJson.Parse(seed.Data.ToJsonString()), seed.Data.ToJsonString(), escapes);
                using var hostile = JsonDocument.Parse(Mutate(seed.Data, random), DeepParsing);
                Exercise(seed with { Schema = schema, Contract = null }, hostile.RootElement, text, escapes);
            }
        }

        loaded.Should().BeGreaterThan(100);
        escapes.Should().BeEmpty("found:\n{0}", string.Join("\n", escapes.Select(pair => $"{pair.Key}  <=  {pair.Value}")));
    }

    /// <summary>The schema with a pathological <c>pattern</c> on one of its subschemas.</summary>
    private static string MutatePattern(JsonNode schema, Random random)
    {
        var copy = schema.DeepClone();
        var objects = Objects(copy).ToList();
        var target = objects[random.Next(objects.Count)];
        target["pattern"] = new[] { "^(a+)+$", "^(?!x)(a+)+$", "(a|aa)+\\1", "(", "[", "^(?<n>a)\\k<n>$", "a{1,60000}" }[random.Next(7)];
        if (random.Next(3) == 0)
        {
            target["patternProperties"] = new JsonObject { ["^(?=a)(a+)+$"] = new JsonObject() };
        }

        return copy.ToJsonString();
    }

    /// <summary>One seed: a schema (and where it belongs, its contract and event type) and valid data for it.</summary>
    internal sealed record SeedInput(string Label, ArvoSchema Schema, JsonNode Data, VersionedArvoContract? Contract = null, string? EventType = null, string? Dataschema = null);

    private static List<SeedInput> Seeds(UntrustedInputContracts contracts)
    {
        var seeds = new List<SeedInput>();
        foreach (var (label, json) in UntrustedInputContracts.WorkflowEvents())
        {
            var type = json.GetProperty("type").GetString()!;
            var dataschema = json.GetProperty("dataschema").GetString()!;
            var version = contracts.VersionFor(dataschema);
            version.TryGetSchema(type, out var schema).Should().BeTrue();
            seeds.Add(new SeedInput(label, schema!, JsonNode.Parse(json.GetProperty("data").GetRawText())!, version, type, dataschema));
        }

        // Hand-written schemas: both validator paths, patterns on both engines.
        seeds.Add(new SeedInput("compiled patterns", ArvoSchema.FromJson(
            """{"type":"object","properties":{"p":{"type":"string","pattern":"^(a+)+$"},"q":{"type":"string","pattern":"^(?!x)(a+)+$"},"n":{"type":"number","maximum":10},"e":{"enum":["x",1,null]},"u":{"anyOf":[{"type":"string","minLength":2},{"type":"integer"}]},"o":{"type":"object","additionalProperties":{"type":"string","pattern":"^(?=a)(a|aa)+$"}}},"required":["p"]}""",
            FastTimeout), JsonNode.Parse("""{"p":"aaa","q":"aa","n":3,"e":"x","u":"ab","o":{"k":"aa"}}""")!));
        seeds.Add(new SeedInput("fallback patterns", ArvoSchema.FromJson(
            """{"type":"object","properties":{"p":{"type":"string","pattern":"^(a+)+$"},"tags":{"type":"array","uniqueItems":true,"items":{"type":"string","pattern":"^(?!x)(a+)+$"}},"n":{"type":"integer"}},"patternProperties":{"^(a+)+$":{"type":"number"},"^(?=z)(z|zz)+$":{"type":"string"}},"required":["p"]}""",
            FastTimeout), JsonNode.Parse("""{"p":"aa","tags":["a","aa"],"n":1,"aaa":2,"zz":"v"}""")!));
        seeds.Add(new SeedInput("zod export", ArvoSchema.FromZodExport(
            """{"type":"object","properties":{"name":{"type":"string","minLength":1},"items":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"qty":{"type":"integer","minimum":0}},"required":["id"],"additionalProperties":false}},"meta":{"type":"object","additionalProperties":true},"when":{"type":"string","default":"now"}},"required":["name"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}"""),
            JsonNode.Parse("""{"name":"n","items":[{"id":"a","qty":1}],"meta":{"k":[1,{"z":null}]}}""")!));
        return seeds;
    }

    private static void Exercise(SeedInput seed, JsonElement data, string text, SortedDictionary<string, string> escapes)
    {
        void Run(string entry, Action action, params Type[] documented)
        {
            try
            {
                action();
            }
            catch (Exception exception) when (Array.Exists(documented, type => type == exception.GetType()))
            {
                // A documented outcome; its message must still be text that serializes.
                if (!IsWellFormed(exception.Message))
                {
                    Record($"{entry}: {exception.GetType().Name} with a message holding a lone surrogate");
                }
            }
            catch (Exception exception)
            {
                Record($"{entry}: {exception.GetType().Name}: {FirstLine(exception.Message)}");
            }

            void Record(string key) => escapes.TryAdd(key, $"[{seed.Label}] {Shorten(text)}");
        }

        void CheckResult(string entry, ArvoSchemaValidationResult result)
        {
            if (!IsWellFormed(result.ToString()))
            {
                escapes.TryAdd($"{entry}: an issue holding a lone surrogate", $"[{seed.Label}] {Shorten(text)}");
            }
        }

        Run("ArvoSchema.Validate", () => CheckResult("ArvoSchema.Validate", seed.Schema.Validate(data)));
        Run("ArvoSchema.TryParse", () =>
        {
            if (seed.Schema.TryParse(data, out var parsed, out var validation))
            {
                IsWellFormed(parsed.GetRawText()).Should().BeTrue();
            }

            CheckResult("ArvoSchema.TryParse", validation);
        });
        Run("ArvoSchema.Parse", () => seed.Schema.Parse(data), typeof(ArvoSchemaValidationException));
        if (seed.Contract is not { } version)
        {
            return;
        }

        var contracts = UntrustedInputContracts.Load();
        Run("ArvoContractResolver.ValidateInput(machine)", () =>
        {
            var result = ArvoContractResolver.ValidateInput("evt-1", seed.EventType!, seed.Dataschema, data, contracts.Machine, contracts.Services);
            _ = result.ToViolation("machine");
            if (!IsWellFormed(result.ToString()))
            {
                throw new InvalidDataException("lone surrogate in the result");
            }
        });
        Run("ArvoContractResolver.ValidateInput(resumable)", () =>
            ArvoContractResolver.ValidateInput("evt-1", seed.EventType!, seed.Dataschema, data, contracts.Machine.Contract, contracts.Services));
        if (seed.EventType == version.Accepts.Type && !version.IsOrchestrator)
        {
            Run("ArvoContractResolver.ResolveHandlerInput", () =>
                ArvoContractResolver.ResolveHandlerInput(version.Contract, seed.EventType!, seed.Dataschema, data, out _), typeof(ContractViolation), typeof(ConfigViolation));
        }

        var envelope = new ArvoEventEnvelope { Source = "com.test.untrusted" };
        Type[] factoryOutcomes = [typeof(ContractViolation), typeof(ArvoEventValidationException), typeof(ArvoOrchestrationSubjectException)];
        if (version.IsOrchestrator)
        {
            var factory = new ArvoOrchestratorEventFactory(version);
            if (seed.EventType == version.Accepts.Type)
            {
                Run("ArvoOrchestratorEventFactory.Init", () => factory.Init(envelope, data), factoryOutcomes);
            }
            else if (version.Emits.ContainsKey(seed.EventType!))
            {
                Run("ArvoOrchestratorEventFactory.Complete", () => factory.Complete(envelope, data), factoryOutcomes);
            }
        }
        else
        {
            var factory = new ArvoEventFactory(version);
            if (seed.EventType == version.Accepts.Type)
            {
                Run("ArvoEventFactory.Accepts", () => factory.Accepts(envelope, data), factoryOutcomes);
            }
            else if (version.Emits.ContainsKey(seed.EventType!))
            {
                Run("ArvoEventFactory.Emits", () => factory.Emits(envelope, seed.EventType!, data), factoryOutcomes);
            }
        }
    }

    // ---- Mutation ----

    private const string Placeholder = "__arvo_mutation__";

    /// <summary>The seed data with one value (or the root) replaced, or one property added, as JSON text.</summary>
    internal static string Mutate(JsonNode seed, Random random)
    {
        var copy = seed.DeepClone();
        var positions = new List<(JsonNode? Parent, string? Name, int Index)> { (null, null, -1) };
        Collect(copy, positions);
        var (parent, name, index) = positions[random.Next(positions.Count)];
        var replacement = MutationText(random);
        if (random.Next(8) == 0 && Objects(copy).ToList() is { Count: > 0 } objects)
        {
            // A property with a mutated name (and a mutated value).
            var target = objects[random.Next(objects.Count)];
            target[Placeholder + "k"] = Placeholder;
            return copy.ToJsonString().Replace($"\"{Placeholder}k\"", KeyText(random), StringComparison.Ordinal)
                .Replace($"\"{Placeholder}\"", replacement, StringComparison.Ordinal);
        }

        switch (parent)
        {
            case null:
                return replacement;
            case JsonObject obj:
                obj[name!] = Placeholder;
                break;
            case JsonArray array:
                array[index] = Placeholder;
                break;
        }

        return copy.ToJsonString().Replace($"\"{Placeholder}\"", replacement, StringComparison.Ordinal);
    }

    private static void Collect(JsonNode? node, List<(JsonNode? Parent, string? Name, int Index)> positions)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    positions.Add((obj, name, -1));
                    Collect(child, positions);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    positions.Add((array, null, i));
                    Collect(array[i], positions);
                }

                break;
        }
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            yield return obj;
        }

        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(pair => pair.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var nested in Objects(child))
            {
                yield return nested;
            }
        }
    }

    private static readonly string[] Keys =
    [
        "\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud83d\\ude00\"", "\"a.b\"", "\"['x']\"", "\"\"", "\"delta\"", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"",
        "\"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz!\"", "\"parentSubject$$\"", "\"\\\\ud800\"", "\"\\u0000\"",
    ];

    private static string KeyText(Random random) => Keys[random.Next(Keys.Length)];

    /// <summary>JSON text of a hostile value.</summary>
    internal static string MutationText(Random random)
    {
        switch (random.Next(12))
        {
            case 0:
                return random.Next(6) switch
                {
                    0 => "\"a\\ud800b\"",
                    1 => "\"\\udc00\"",
                    2 => "\"\\ud800\\ud800\"",
                    3 => "\"x\\udbff\"",
                    4 => "\"\\ud83d\\ude00 ok\"",
                    _ => "\"\\\\ud800 is not an escape\"",
                };
            case 1:
                return random.Next(10) switch
                {
                    0 => "1e309",
                    1 => "-1e309",
                    2 => "1.7976931348623157e308",
                    3 => "1.8e308",
                    4 => "1e-400",
                    5 => "0e999999",
                    6 => "1" + new string('0', 400),
                    7 => "-" + new string('9', 300),
                    8 => "-0",
                    _ => "123456789012345678901234567890",
                };
            case 2:
            {
                var depth = new[] { 63, 64, 65, 255, 256, 257, 300, 1500 }[random.Next(8)];
                return random.Next(2) == 0
                    ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "{}" + new string('}', depth - 1);
            }

            case 3:
                return random.Next(4) switch
                {
                    0 => "\"" + new string('a', 30) + "!\"",
                    1 => "\"" + new string('z', 40) + "!\"",
                    2 => "\"" + new string('a', 100_000) + "\"",
                    _ => "[" + string.Join(",", Enumerable.Repeat("\"aaaaaaaaaaaaaaaaaaaa!\"", 3)) + "]",
                };
            case 4:
                return new[] { "null", "true", "false", "[]", "{}", "\"\"", "0", "1.5", "-1", "\"text\"" }[random.Next(10)];
            case 5:
                return new[] { "{\"a\":1,\"a\":\"x\"}", "[1,\"a\",null,{}]", "{\"delta\":\"5\"}", "[[],[[]]]", "{\"\":{\"\":[]}}" }[random.Next(5)];
            case 6:
                return "\"" + new[] { "\\u0000", "\\\"", "\\n\\t", "é", "\\u2028", "\\ufeff" }[random.Next(6)] + "\"";
            case 7:
                return "{\"parentSubject$$\":" + new[] { "\"not a subject\"", "\"\"", "null", "1e309", "\"\\ud800\"" }[random.Next(5)] + "}";
            case 8:
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(1, 40)).Select(_ => random.Next(3) == 0 ? "\"a\"" : random.NextDouble().ToString("R", CultureInfo.InvariantCulture))) + "]";
            case 9:
                return "{\"type\":\"increment\",\"delta\":" + MutationText(random) + "}";
            default:
                return random.NextDouble() < 0.5
                    ? random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture)
                    : "\"" + (char)('a' + random.Next(26)) + "\"";
        }
    }

    private static bool IsWellFormed(string text)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0];

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
