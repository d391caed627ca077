using System.Globalization;
using System.Text;
using System.Text.Json;
using Arvo.Internal;
using Arvo.Schemas;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Schemas;

/// <summary>
/// Differential tests of the compiled <see cref="JsonElement"/> validator against NJsonSchema's validator: the same
/// verdict for many generated values (valid and invalid), on every contract-vector schema and on hand-written schemas
/// covering each supported keyword; invalid data gets NJsonSchema's own report on both paths.
/// </summary>
public sealed class CompiledSchemaValidatorTests
{
    private const int ValuesPerSchema = 400;

    /// <summary>Hand-written schemas, each exercising supported keywords.</summary>
    public static readonly TheoryData<string> HandWrittenSchemas =
    [
        """{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""",
        """{"type":"object","properties":{"n":{"type":"integer","minimum":0,"maximum":10},"x":{"type":"number","exclusiveMinimum":-1.5,"exclusiveMaximum":2.5},"m":{"type":"number","multipleOf":0.5}},"required":["n"]}""",
        """{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","properties":{"a":{"type":"number","minimum":1,"exclusiveMinimum":true,"maximum":3,"exclusiveMaximum":true}}}""",
        """{"type":"object","properties":{"s":{"type":"string","minLength":2,"maxLength":4},"p":{"type":"string","pattern":"^[a-c]+\\d?$"},"e":{"type":"string","enum":["a","b","ab"]},"c":{"const":"x"},"k":{"const":3},"mixed":{"enum":[1,"1",true,null]}},"required":["s","e"]}""",
        """{"type":"object","properties":{"t":{"type":["string","null"]},"u":{"type":["integer","boolean"],"minimum":2},"v":{"type":["array","string"],"minItems":1,"maxLength":2}},"required":["t"]}""",
        """{"type":"object","properties":{"list":{"type":"array","minItems":1,"maxItems":3,"items":{"type":"object","properties":{"x":{"type":"integer"},"y":{"type":"string"}},"required":["x"]}}}}""",
        """{"type":"object","properties":{"a":{"type":"number"}},"additionalProperties":false}""",
        """{"type":"object","properties":{"id":{"type":"string"}},"additionalProperties":{"type":"object","properties":{"v":{"type":"number"}},"required":["v"]}}""",
        """{"type":"object","properties":{"a":{"type":"number"}},"additionalProperties":true,"minProperties":1,"maxProperties":3}""",
        """{"type":"object","properties":{"p":{"anyOf":[{"type":"string","minLength":1},{"type":"null"}]},"q":{"oneOf":[{"type":"integer"},{"type":"number","minimum":0}]},"r":{"allOf":[{"type":"object","properties":{"a":{"type":"number"}},"required":["a"]},{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}]}},"required":["p"]}""",
        """{"type":"object","properties":{"n":{"not":{"type":"string"}},"o":{"not":{"enum":[1,2]}}}}""",
        """{"type":"object","properties":{"a":{"$ref":"#/definitions/n"},"b":{"$ref":"#/$defs/s"},"c":{"type":"array","items":{"$ref":"#/definitions/obj"}}},"required":["a"],"definitions":{"n":{"type":"number","maximum":5},"obj":{"type":"object","properties":{"k":{"$ref":"#/definitions/n"}},"required":["k"]}},"$defs":{"s":{"type":"string","maxLength":3}}}""",
        """{"type":"object","properties":{"tree":{"$ref":"#/definitions/node"}},"definitions":{"node":{"type":"object","properties":{"v":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/definitions/node"}}},"required":["v"]}}}""",
        """{"type":"object","properties":{"when":{"type":"string","format":"date-time"},"mail":{"type":"string","format":"email"},"id":{"type":"string","format":"uuid"}}}""",
        """{"properties":{"a":{"type":"string"}},"required":["a","b"]}""",
        """{"type":["object","null"],"properties":{"a":{"type":"string"}},"required":["a"]}""",
        """{"type":"array","items":{"type":["number","null"],"maximum":3}}""",
        """{"anyOf":[{"type":"object","properties":{"kind":{"const":"a"},"a":{"type":"number"}},"required":["kind","a"]},{"type":"object","properties":{"kind":{"const":"b"},"b":{"type":"string"}},"required":["kind","b"]}]}""",
        """{"type":"object","properties":{"x y":{"type":"number"},"o":{"type":"object","additionalProperties":{"type":"integer"}}}}""",
        """{"type":"object","properties":{"errorName":{"type":"string"},"errorMessage":{"type":"string"},"errorStack":{"type":["string","null"]}},"required":["errorName","errorMessage","errorStack"],"additionalProperties":false}""",
    ];

    [Theory]
    [MemberData(nameof(HandWrittenSchemas))]
    public void HandWrittenSchema_CompiledAndNJsonSchemaAgree(string schemaJson)
    {
        foreach (var options in new[] { ArvoSchemaOptions.Default, ArvoSchemaOptions.ZodExport })
        {
            var schema = ArvoSchema.FromJson(schemaJson, options);
            schema.IsCompiled.Should().BeTrue("every keyword of {0} is supported", schemaJson);
            AssertAgreement(schema, seed: schemaJson.Length);
        }
    }

    [Fact]
    public void ContractVectorSchemas_CompiledAndNJsonSchemaAgree()
    {
        var schemas = new List<JsonElement>();
        CollectSchemas(ContractVectorFiles.Contracts, schemas);
        schemas.Should().NotBeEmpty();

        var seed = 1;
        foreach (var json in schemas)
        {
            foreach (var schema in new[] { ArvoSchema.FromJson(json), ArvoSchema.FromZodExport(json) })
            {
                schema.IsCompiled.Should().BeTrue();
                AssertAgreement(schema, seed++);
            }
        }
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"number"}},"patternProperties":{"^x":{"type":"string"}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"dependencies":{"a":["b"]}}""")]
    [InlineData("""{"type":"object","properties":{"t":{"type":"array","items":[{"type":"string"},{"type":"number"}]}}}""")]
    [InlineData("""{"type":"object","properties":{"u":{"type":"array","uniqueItems":true}}}""")]
    public void UnsupportedKeyword_FallsBackToNJsonSchema_ForTheWholeSchema(string schemaJson)
    {
        var schema = ArvoSchema.FromJson(schemaJson);

        schema.IsCompiled.Should().BeFalse();
        AssertAgreement(schema, seed: 7);
    }

    [Fact]
    public void Fallback_PatternProperties_StillValidates()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"a":{"type":"number"}},"patternProperties":{"^x":{"type":"string"}}}""");

        schema.IsCompiled.Should().BeFalse();
        schema.Validate(ContractTestJson.Parse("""{"a":1,"xy":"s"}""")).IsValid.Should().BeTrue();
        schema.Validate(ContractTestJson.Parse("""{"a":1,"xy":2}""")).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.xy", "invalid_type", "string", "number"));
        ContractTestJson.Compact(schema.Parse(ContractTestJson.Parse("""{"a":1,"xy":"s","z":0}"""))).Should().Be("""{"a":1,"xy":"s"}""");
    }

    [Fact]
    public void Validate_ValidData_DoesNotAllocate()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"name":{"type":"string","minLength":1},"age":{"type":"number","minimum":0},"tags":{"type":"array","items":{"type":"string"}},"kind":{"enum":["a","b"]},"code":{"type":"string","pattern":"^[a-z]+$","maxLength":5}},"required":["name","age"]}
            """);
        var data = ContractTestJson.Parse("""{"name":"Saad","age":26,"tags":["x","y"],"kind":"b","code":"abc","extra":{"z":1}}""");
        schema.Validate(data).IsValid.Should().BeTrue();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            schema.Validate(data);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static void AssertAgreement(ArvoSchema schema, int seed)
    {
        var generator = new ValueGenerator(schema.Json, new Random(seed));
        var validCount = 0;
        for (var i = 0; i < ValuesPerSchema; i++)
        {
            var data = ContractTestJson.Parse(generator.Generate());
            if (UntrustedData.Check(data) is { } rejected)
            {
                // Rejected before either validator runs (here: a number beyond the double range), on both paths alike.
                schema.Validate(data).Issues.Should().Equal(rejected.Issues);
                continue;
            }

            var (compiled, compiledError) = Run(() => schema.Validate(data));
            var (reference, referenceError) = Run(() => schema.ValidateWithNJsonSchema(data));
            compiledError.Should().Be(referenceError, "the paths must fail alike for {0} against {1}", data.GetRawText(), schema);
            if (compiled is null || reference is null)
            {
                continue;
            }

            compiled.IsValid.Should().Be(reference.IsValid, "the verdicts differ for {0} against {1}", data.GetRawText(), schema);
            compiled.Issues.Select(issue => issue.Path).ToHashSet().Should().BeEquivalentTo(
                reference.Issues.Select(issue => issue.Path).ToHashSet(), "the issue paths differ for {0} against {1}", data.GetRawText(), schema);
            compiled.Issues.Should().Equal(reference.Issues, "the issues differ for {0} against {1}", data.GetRawText(), schema);
            if (compiled.IsValid)
            {
                validCount++;
                schema.TryParse(data, out var parsed, out _).Should().BeTrue();
                parsed.ValueKind.Should().NotBe(JsonValueKind.Undefined);
            }
        }

        // The generator must exercise both outcomes.
        validCount.Should().BeGreaterThan(0, "some generated values should be valid for {0}", schema);
        validCount.Should().BeLessThan(ValuesPerSchema, "some generated values should be invalid for {0}", schema);
    }

    /// <summary>The result, or the type of the exception (both paths reject a required property of a non-object without a type issue alike).</summary>
    private static (ArvoSchemaValidationResult? Result, Type? Error) Run(Func<ArvoSchemaValidationResult> validate)
    {
        try
        {
            return (validate(), null);
        }
        catch (ArgumentException exception)
        {
            return (null, exception.GetType());
        }
    }

    private static void CollectSchemas(JsonElement element, List<JsonElement> schemas)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("$schema", out _))
                {
                    schemas.Add(element);
                    return;
                }

                foreach (var property in element.EnumerateObject())
                {
                    CollectSchemas(property.Value, schemas);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectSchemas(item, schemas);
                }

                break;
        }
    }

    /// <summary>
    /// Generates JSON text guided by a schema: mostly conforming values, with wrong types, missing and extra
    /// properties, boundary numbers and lengths, nulls and random values mixed in.
    /// </summary>
    private sealed class ValueGenerator(JsonElement root, Random random)
    {
        private static readonly string[] Keys = ["a", "b", "x", "extra", "k1", "v", "x y"];

        public string Generate()
        {
            var builder = new StringBuilder();
            Write(builder, root, depth: 0);
            return builder.ToString();
        }

        private bool Chance(double probability) => random.NextDouble() < probability;

        private void Write(StringBuilder builder, JsonElement schema, int depth)
        {
            if (depth > 6 || schema.ValueKind != JsonValueKind.Object || Chance(0.08))
            {
                WriteRandom(builder, depth);
                return;
            }

            if (schema.TryGetProperty("$ref", out var reference))
            {
                Write(builder, Resolve(reference.GetString()!), depth + 1);
                return;
            }

            foreach (var union in new[] { "anyOf", "oneOf" })
            {
                if (schema.TryGetProperty(union, out var branches) && Chance(0.9))
                {
                    Write(builder, branches[random.Next(branches.GetArrayLength())], depth + 1);
                    return;
                }
            }

            if (schema.TryGetProperty("allOf", out var parts) && Chance(0.9))
            {
                WriteAllOf(builder, parts, depth);
                return;
            }

            if (schema.TryGetProperty("const", out var constant) && Chance(0.8))
            {
                builder.Append(constant.GetRawText());
                return;
            }

            if (schema.TryGetProperty("enum", out var values) && Chance(0.8))
            {
                builder.Append(values[random.Next(values.GetArrayLength())].GetRawText());
                return;
            }

            var type = PickType(schema);
            switch (type)
            {
                case "object":
                    WriteObject(builder, [schema], depth);
                    break;
                case "array":
                    var count = random.Next(0, 5);
                    builder.Append('[');
                    for (var i = 0; i < count; i++)
                    {
                        if (i > 0)
                        {
                            builder.Append(',');
                        }

                        if (schema.TryGetProperty("items", out var items))
                        {
                            Write(builder, items, depth + 1);
                        }
                        else
                        {
                            WriteRandom(builder, depth + 1);
                        }
                    }

                    builder.Append(']');
                    break;
                case "string":
                    WriteString(builder, schema);
                    break;
                case "number":
                case "integer":
                    WriteNumber(builder, schema, type == "integer");
                    break;
                case "boolean":
                    builder.Append(Chance(0.5) ? "true" : "false");
                    break;
                case "null":
                    builder.Append("null");
                    break;
                default:
                    WriteRandom(builder, depth);
                    break;
            }
        }

        private void WriteAllOf(StringBuilder builder, JsonElement parts, int depth)
        {
            var objects = parts.EnumerateArray().Select(part => part.TryGetProperty("$ref", out var r) ? Resolve(r.GetString()!) : part).ToList();
            WriteObject(builder, objects, depth);
        }

        private string PickType(JsonElement schema)
        {
            if (Chance(0.1))
            {
                return new[] { "object", "array", "string", "number", "integer", "boolean", "null" }[random.Next(7)];
            }

            if (!schema.TryGetProperty("type", out var type))
            {
                return schema.TryGetProperty("properties", out _) ? "object" : "any";
            }

            return type.ValueKind == JsonValueKind.Array ? type[random.Next(type.GetArrayLength())].GetString()! : type.GetString()!;
        }

        private void WriteObject(StringBuilder builder, List<JsonElement> schemas, int depth)
        {
            builder.Append('{');
            var first = true;
            void Name(string name)
            {
                if (!first)
                {
                    builder.Append(',');
                }

                first = false;
                builder.Append(JsonSerializer.Serialize(name)).Append(':');
            }

            var additional = default(JsonElement);
            foreach (var schema in schemas)
            {
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        var required = schema.TryGetProperty("required", out var list) && list.EnumerateArray().Any(r => r.GetString() == property.Name);
                        if (Chance(required ? 0.92 : 0.6))
                        {
                            Name(property.Name);
                            if (Chance(0.05))
                            {
                                builder.Append("null");
                            }
                            else
                            {
                                Write(builder, property.Value, depth + 1);
                            }
                        }
                    }
                }

                if (schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.Object)
                {
                    additional = extra;
                }
            }

            while (Chance(0.3))
            {
                Name(Keys[random.Next(Keys.Length)] + (Chance(0.5) ? string.Empty : random.Next(3).ToString(CultureInfo.InvariantCulture)));
                if (additional.ValueKind == JsonValueKind.Object && Chance(0.8))
                {
                    Write(builder, additional, depth + 1);
                }
                else
                {
                    WriteRandom(builder, depth + 1);
                }
            }

            builder.Append('}');
        }

        private void WriteString(StringBuilder builder, JsonElement schema)
        {
            if (schema.TryGetProperty("format", out var format) && Chance(0.7))
            {
                var formatted = format.GetString() switch
                {
                    "date-time" => Chance(0.5) ? "2024-01-01T00:00:00Z" : "2024-13-45",
                    "email" => Chance(0.5) ? "a@b.co" : "not-an-email",
                    "uuid" => Chance(0.5) ? "3fa85f64-5717-4562-b3fc-2c963f66afa6" : "3fa85f64",
                    _ => "x",
                };
                builder.Append(JsonSerializer.Serialize(formatted));
                return;
            }

            var min = schema.TryGetProperty("minLength", out var minLength) ? minLength.GetInt32() : 0;
            var max = schema.TryGetProperty("maxLength", out var maxLength) ? maxLength.GetInt32() : min + 4;
            var length = Math.Max(0, random.Next(min - 1, max + 2));
            const string alphabet = "abc12é\"\\ x";
            var text = new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(Chance(0.7) ? 3 : alphabet.Length)])]);
            if (Chance(0.2))
            {
                text += random.Next(10).ToString(CultureInfo.InvariantCulture);
            }

            builder.Append(JsonSerializer.Serialize(text));
        }

        private void WriteNumber(StringBuilder builder, JsonElement schema, bool integer)
        {
            var anchors = new List<double> { 0, 1, -1, 2, 3, 5, 10, 0.5, 1.5, -1.5, 2.5 };
            foreach (var keyword in new[] { "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" })
            {
                if (schema.TryGetProperty(keyword, out var bound) && bound.ValueKind == JsonValueKind.Number)
                {
                    var value = bound.GetDouble();
                    anchors.AddRange([value, value - 1, value + 1, value - 0.5, value + 0.5]);
                }
            }

            var number = anchors[random.Next(anchors.Count)];
            if (integer && Chance(0.8))
            {
                number = Math.Floor(number);
            }

            var text = Chance(0.1) ? number.ToString("0.0##", CultureInfo.InvariantCulture) : number.ToString("R", CultureInfo.InvariantCulture);
            if (Chance(0.03))
            {
                text = "1e400";
            }

            builder.Append(text);
        }

        private void WriteRandom(StringBuilder builder, int depth)
        {
            switch (random.Next(depth > 3 ? 6 : 8))
            {
                case 0: builder.Append("null"); break;
                case 1: builder.Append(Chance(0.5) ? "true" : "false"); break;
                case 2: builder.Append(random.Next(-3, 12).ToString(CultureInfo.InvariantCulture)); break;
                case 3: builder.Append("2.25"); break;
                case 4: builder.Append(JsonSerializer.Serialize(new string('a', random.Next(4)))); break;
                case 5: builder.Append("\"b\""); break;
                case 6: builder.Append("{\"a\":").Append(random.Next(3).ToString(CultureInfo.InvariantCulture)).Append(",\"v\":\"s\"}"); break;
                default: builder.Append("[1,\"a\",null]"); break;
            }
        }

        private JsonElement Resolve(string reference)
        {
            var current = root;
            foreach (var segment in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                current = current.GetProperty(segment);
            }

            return current;
        }
    }
}
