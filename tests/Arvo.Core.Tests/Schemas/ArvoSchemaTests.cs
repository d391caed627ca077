using System.ComponentModel;
using System.Text.Json;
using Arvo.Schemas;
using Arvo.Tests.TestSupport;
using NJsonSchema;

namespace Arvo.Tests.Schemas;

public sealed class ArvoSchemaTests
{
    private const string DeltaSchema = """{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""";

    private static JsonElement Data(string json) => ContractTestJson.Parse(json);

    // ---- Validation: issues name the path, what was expected and what was found ----

    [Fact]
    public void Validate_MatchingData_ReturnsSharedSuccess()
    {
        var result = ArvoSchema.FromJson(DeltaSchema).Validate(Data("""{"delta":1}"""));

        result.Should().BeSameAs(ArvoSchemaValidationResult.Success);
        result.IsValid.Should().BeTrue();
        result.ToString().Should().Be("valid");
    }

    [Fact]
    public void Validate_WrongType_NamesPathExpectedAndFound()
    {
        var result = ArvoSchema.FromJson(DeltaSchema).Validate(Data("""{"delta":"1"}"""));

        result.Issues.Should().ContainSingle().Which.Should().Be(new ArvoSchemaIssue("$.delta", "invalid_type", "number", "string"));
        result.ToString().Should().Be("$.delta: expected number, found string");
    }

    [Fact]
    public void Validate_MissingRequiredProperty_ReportsMissing()
    {
        var result = ArvoSchema.FromJson(DeltaSchema).Validate(Data("{}"));

        result.Issues.Should().ContainSingle().Which.Should().Be(new ArvoSchemaIssue("$.delta", "invalid_type", "number (required)", "missing"));
    }

    [Fact]
    public void Validate_RootOfWrongType_ReportsOnlyTheTypeIssue()
    {
        var result = ArvoSchema.FromJson(DeltaSchema).Validate(Data("5"));

        result.Issues.Should().ContainSingle().Which.Should().Be(new ArvoSchemaIssue("$", "invalid_type", "object", "number"));
    }

    [Fact]
    public void Validate_NestedArrayItems_ReportFullPaths()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"x":{"type":"integer"}},"required":["x"]}}}}
            """);

        var result = schema.Validate(Data("""{"items":[{"x":1.5},{}]}"""));

        result.Issues.Should().Equal(
            new ArvoSchemaIssue("$.items[0].x", "invalid_type", "integer", "number"),
            new ArvoSchemaIssue("$.items[1].x", "invalid_type", "integer (required)", "missing"));
    }

    [Fact]
    public void Validate_EnumMismatch_ListsAllowedValues()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"type":{"type":"string","enum":["increment","decrement"]}}}""");

        var result = schema.Validate(Data("""{"type":"test"}"""));

        result.Issues.Should().ContainSingle().Which.Should().Be(
            new ArvoSchemaIssue("$.type", "invalid_enum_value", "one of \"increment\", \"decrement\"", "\"test\""));
    }

    [Fact]
    public void Validate_Const_IsEnforced()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"kind":{"type":"string","const":"inc"}}}""");

        schema.Validate(Data("""{"kind":"inc"}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"kind":"dec"}""")).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.kind", "invalid_enum_value", "one of \"inc\"", "\"dec\""));
    }

    [Fact]
    public void Validate_NullableUnionWithEmptyString_DescribesEveryBranch()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"p":{"anyOf":[{"type":"string","minLength":1},{"type":"null"}]}},"required":["p"]}
            """);

        var result = schema.Validate(Data("""{"p":""}"""));

        result.Issues.Should().ContainSingle().Which.Should().Be(
            new ArvoSchemaIssue("$.p", "invalid_union", "string of at least 1 character(s) or null", "\"\""));
    }

    [Fact]
    public void Validate_TypeList_ReportsEveryAllowedType()
    {
        var result = ArvoSchema.SystemError.Validate(Data("""{"errorName":"E","errorMessage":"m","errorStack":5}"""));

        result.Issues.Should().ContainSingle().Which.Should().Be(new ArvoSchemaIssue("$.errorStack", "invalid_type", "null or string", "number"));
    }

    [Fact]
    public void Validate_StringTooShort_ReportsLength()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"name":{"type":"string","minLength":3}}}""");

        schema.Validate(Data("""{"name":"ab"}""")).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.name", "too_small", "string of at least 3 character(s)", "string of length 2"));
    }

    [Fact]
    public void Validate_NumberBelowMinimum_ReportsBound()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"n":{"type":"number","minimum":0}}}""");

        schema.Validate(Data("""{"n":-1}""")).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.n", "too_small", "number >= 0", "-1"));
    }

    [Fact]
    public void Validate_IntegralFloat_IsAnInteger()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"n":{"type":"integer"}}}""");

        schema.Validate(Data("""{"n":5.0}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"n":1e3}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_NumberBeyondDoubleRange_IsNotFinite()
    {
        // Team policy: a number whose value is infinite is rejected before the schema is consulted.
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"n":{"type":"string"}}}""");

        schema.Validate(Data("""{"n":1e400}""")).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.n", "not_finite", "a finite number (within the double range)", "1e400"));
    }

    [Fact]
    public void Validate_IsoDateString_StaysAString()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"at":{"type":"string","pattern":"^2024-01-01T00:00:00Z$"}}}""");

        schema.Validate(Data("""{"at":"2024-01-01T00:00:00Z"}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_PatternAndLengthBothFail_ReportsNJsonSchemasOrder()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"code":{"type":"string","pattern":"^[a-z]+$","minLength":3}}}""");

        schema.Validate(Data("""{"code":"A"}""")).Issues.Should().Equal(
            new ArvoSchemaIssue("$.code", "too_small", "string of at least 3 character(s)", "string of length 1"),
            new ArvoSchemaIssue("$.code", "invalid_string", "string matching /^[a-z]+$/", "\"A\""));
    }

    [Fact]
    public void Validate_PatternInATypeList_IsCheckedForTheString()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"code":{"type":["string","null"],"pattern":"^[a-z]+$"}}}""");

        schema.Validate(Data("""{"code":null}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"code":"abc"}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"code":"ABC"}""")).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Validate_FormatSpelledLikeThePatternCarrier_IsIgnoredLikeAnyFormat()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"code":{"type":"string","format":"x-arvo-pattern:^a$"}}}""");

        schema.Validate(Data("""{"code":"b"}""")).IsValid.Should().BeTrue();
    }

    // ---- Optional vs nullable (contracts.md 3) ----

    private static readonly ArvoSchema OptionalAndNullable = ArvoSchema.FromJson("""
        {"type":"object","properties":{"optional":{"type":"string"},"nullable":{"type":["string","null"]}},"required":["nullable"]}
        """);

    [Fact]
    public void Validate_OptionalAbsent_IsValid()
    {
        OptionalAndNullable.Validate(Data("""{"nullable":"x"}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_OptionalNull_IsInvalid()
    {
        OptionalAndNullable.Validate(Data("""{"nullable":"x","optional":null}""")).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.optional", "invalid_type", "string", "null"));
    }

    [Fact]
    public void Validate_NullablePresentAsNull_IsValid()
    {
        OptionalAndNullable.Validate(Data("""{"nullable":null}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_NullableAbsent_IsInvalid()
    {
        OptionalAndNullable.Validate(Data("{}")).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.nullable", "invalid_type", "null or string (required)", "missing"));
    }

    // ---- Undeclared properties ----

    [Fact]
    public void Validate_UndeclaredProperties_AreAccepted()
    {
        ArvoSchema.FromJson(DeltaSchema).Validate(Data("""{"delta":1,"more":true}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_AdditionalPropertiesFalseByDefault_RejectsUndeclaredProperties()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"a":{"type":"number"}},"additionalProperties":false}""");

        schema.Validate(Data("""{"a":1,"more":true}""")).Issues.Should().ContainSingle().Which.Should().Be(
            new ArvoSchemaIssue("$.more", "unrecognized_keys", "no undeclared property (additionalProperties is false)", "undeclared property 'more'"));
    }

    [Fact]
    public void Validate_ZodExportWithAdditionalPropertiesFalse_AcceptsUndeclaredProperties()
    {
        var schema = ArvoSchema.FromZodExport("""{"type":"object","properties":{"a":{"type":"number"}},"additionalProperties":false}""");

        schema.Validate(Data("""{"a":1,"more":{"x":1}}""")).IsValid.Should().BeTrue();
        schema.Options.Should().Be(ArvoSchemaOptions.ZodExport);
    }

    [Fact]
    public void Json_ZodExport_IsKeptExactlyAsGiven()
    {
        const string text = """{"type":"object","properties":{"a":{"type":"number"}},"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}""";

        ArvoSchema.FromZodExport(text).Json.GetRawText().Should().Be(text);
    }

    // ---- Parse: zod semantics for emitted data ----

    [Fact]
    public void Parse_UndeclaredTopLevelProperty_IsRemoved()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"a":{"type":"number"}},"required":["a"]}""");

        ContractTestJson.Compact(schema.Parse(Data("""{"a":1,"more":true}"""))).Should().Be("""{"a":1}""");
    }

    [Fact]
    public void Parse_UndeclaredNestedProperties_AreRemovedAtEveryLevel()
    {
        // scenarios.md H-11: emits { x: number, nested?: { y: number } }.
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"x":{"type":"number"},"nested":{"type":"object","properties":{"y":{"type":"number"}},"required":["y"]}},"required":["x"]}
            """);

        var parsed = schema.Parse(Data("""{"x":1,"extra":2,"nested":{"y":1,"z":3}}"""));

        ContractTestJson.Compact(parsed).Should().Be("""{"x":1,"nested":{"y":1}}""");
    }

    [Fact]
    public void Parse_ArrayItems_AreStripped()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"list":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}}}}}
            """);

        ContractTestJson.Compact(schema.Parse(Data("""{"list":[{"k":"a","x":1},{"k":"b"}]}""")))
            .Should().Be("""{"list":[{"k":"a"},{"k":"b"}]}""");
    }

    [Fact]
    public void Parse_AbsentPropertyWithDefault_GetsTheDefault()
    {
        // scenarios.md H-11: accepts { a: number, d?: string default "dflt" }.
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"a":{"type":"number"},"d":{"type":"string","default":"dflt"}},"required":["a"]}
            """);

        ContractTestJson.Compact(schema.Parse(Data("""{"a":1}"""))).Should().Be("""{"a":1,"d":"dflt"}""");
        ContractTestJson.Compact(schema.Parse(Data("""{"a":1,"d":"own"}"""))).Should().Be("""{"a":1,"d":"own"}""");
    }

    [Fact]
    public void Parse_ObjectDefault_IsAppliedAndNormalized()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"opts":{"type":"object","properties":{"n":{"type":"number","default":3}},"default":{}}}}
            """);

        ContractTestJson.Compact(schema.Parse(Data("{}"))).Should().Be("""{"opts":{"n":3}}""");
    }

    [Fact]
    public void Parse_DeclaredPropertiesOutOfSchemaOrder_AreReordered()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}}}""");

        ContractTestJson.Compact(schema.Parse(Data("""{"b":2,"a":1}"""))).Should().Be("""{"a":1,"b":2}""");
    }

    [Fact]
    public void Parse_DataAlreadyInParsedForm_IsReturnedUntouched()
    {
        const string text = """{ "delta" : 1.0 }""";

        ArvoSchema.FromJson(DeltaSchema).Parse(Data(text)).GetRawText().Should().Be(text);
    }

    [Fact]
    public void Parse_AdditionalPropertiesSchema_KeepsAndNormalizesExtras()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"id":{"type":"string"}},"additionalProperties":{"type":"object","properties":{"v":{"type":"number"}}}}
            """);

        ContractTestJson.Compact(schema.Parse(Data("""{"k1":{"v":1,"x":0},"id":"a"}""")))
            .Should().Be("""{"id":"a","k1":{"v":1}}""");
    }

    [Fact]
    public void Parse_AdditionalPropertiesTrue_KeepsExtras()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"a":{"type":"number"}},"additionalProperties":true}""");

        ContractTestJson.Compact(schema.Parse(Data("""{"a":1,"more":true}"""))).Should().Be("""{"a":1,"more":true}""");
    }

    [Fact]
    public void Parse_FreeFormObject_KeepsItsContent()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"meta":{"type":"object"}}}""");

        ContractTestJson.Compact(schema.Parse(Data("""{"meta":{"any":1,"thing":[true]}}""")))
            .Should().Be("""{"meta":{"any":1,"thing":[true]}}""");
    }

    [Fact]
    public void Parse_ZodExportOfEmptyObject_RemovesEverything()
    {
        var schema = ArvoSchema.FromZodExport("""{"type":"object","properties":{},"additionalProperties":false}""");

        ContractTestJson.Compact(schema.Parse(Data("""{"x":1}"""))).Should().Be("{}");
    }

    [Fact]
    public void Parse_ZodExportWithUndeclaredNestedProperties_RemovesThem()
    {
        var schema = ArvoSchema.FromZodExport("""
            {"type":"object","properties":{"n":{"type":"object","properties":{"y":{"type":"number"}},"required":["y"],"additionalProperties":false}},"required":["n"],"additionalProperties":false}
            """);

        ContractTestJson.Compact(schema.Parse(Data("""{"n":{"y":1,"z":2},"w":3}"""))).Should().Be("""{"n":{"y":1}}""");
    }

    [Fact]
    public void Parse_Union_UsesTheFirstMatchingBranch()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"u":{"anyOf":[
              {"type":"object","properties":{"a":{"type":"number"}},"required":["a"]},
              {"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}]}}}
            """);

        ContractTestJson.Compact(schema.Parse(Data("""{"u":{"b":"x","c":1}}"""))).Should().Be("""{"u":{"b":"x"}}""");
    }

    [Fact]
    public void Parse_NullForNullableObject_StaysNull()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"o":{"anyOf":[{"type":"object","properties":{"a":{"type":"number"}}},{"type":"null"}]}},"required":["o"]}
            """);

        ContractTestJson.Compact(schema.Parse(Data("""{"o":null}"""))).Should().Be("""{"o":null}""");
        ContractTestJson.Compact(schema.Parse(Data("""{"o":{"a":1,"b":2}}"""))).Should().Be("""{"o":{"a":1}}""");
    }

    [Fact]
    public void Parse_InvalidData_ThrowsWithTheIssues()
    {
        var act = () => ArvoSchema.FromJson(DeltaSchema).Parse(Data("""{"delta":"x"}"""));

        act.Should().Throw<ArvoSchemaValidationException>()
            .WithMessage("Data does not match the schema: $.delta: expected number, found string")
            .Which.Result.Issues.Should().ContainSingle();
    }

    [Fact]
    public void TryParse_InvalidData_ReturnsFalseWithTheIssues()
    {
        var ok = ArvoSchema.FromJson(DeltaSchema).TryParse(Data("{}"), out var parsed, out var validation);

        ok.Should().BeFalse();
        parsed.ValueKind.Should().Be(JsonValueKind.Undefined);
        validation.Issues.Should().ContainSingle().Which.Path.Should().Be("$.delta");
    }

    [Fact]
    public void Validate_UndeclaredProperties_LeavesTheDataUnchanged()
    {
        var data = Data("""{"delta":1,"more":true}""");

        ArvoSchema.FromJson(DeltaSchema).Validate(data);

        ContractTestJson.Compact(data).Should().Be("""{"delta":1,"more":true}""");
    }

    // ---- Generated from C# types ----

    public sealed record IncrementResult(double NewValue);

    public enum Trend
    {
        Linear,
        Exponential,
    }

    public sealed class Modifier
    {
        public required double Value { get; init; }

        public string? Note { get; init; }

        public Trend Trend { get; init; }

        [DefaultValue("up")]
        public string Direction { get; init; } = "up";

        public IncrementResult? Previous { get; init; }
    }

    [Fact]
    public void FromType_Record_RequiresItsCamelCaseProperty()
    {
        var schema = ArvoSchema.FromType<IncrementResult>();

        schema.Validate(Data("""{"newValue":1}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("{}")).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.newValue", "invalid_type", "number (required)", "missing"));
    }

    [Fact]
    public void FromType_UndeclaredProperties_AreAcceptedAndRemovedByParse()
    {
        var schema = ArvoSchema.FromType<IncrementResult>();

        ContractTestJson.Compact(schema.Parse(Data("""{"newValue":1,"x":2}"""))).Should().Be("""{"newValue":1}""");
    }

    [Fact]
    public void FromType_NullableProperty_MayBeAbsentOrNull()
    {
        var schema = ArvoSchema.FromType<Modifier>();

        schema.Validate(Data("""{"value":1,"trend":"linear"}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"value":1,"trend":"linear","note":null,"previous":null}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void FromType_Enum_IsACamelCaseString()
    {
        var schema = ArvoSchema.FromType<Modifier>();

        schema.Validate(Data("""{"value":1,"trend":"exponential"}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"value":1,"trend":"Exponential"}""")).Issues.Should().ContainSingle()
            .Which.Path.Should().Be("$.trend");
    }

    [Fact]
    public void FromType_DefaultValueAttribute_IsAppliedByParse()
    {
        var schema = ArvoSchema.FromType<Modifier>();

        ContractTestJson.Compact(schema.Parse(Data("""{"value":1,"trend":"linear","previous":{"newValue":2,"x":1}}""")))
            .Should().Be("""{"value":1,"trend":"linear","direction":"up","previous":{"newValue":2}}""");
    }

    // ---- Loading ----

    [Fact]
    public void FromJson_NotJson_ThrowsArgumentException()
    {
        var act = () => ArvoSchema.FromJson("{not json");

        act.Should().Throw<ArgumentException>().WithMessage("The schema is not valid JSON:*");
    }

    [Fact]
    public void FromJson_NotAnObject_ThrowsArgumentException()
    {
        var act = () => ArvoSchema.FromJson("[1]");

        act.Should().Throw<ArgumentException>().WithMessage("A JSON Schema must be a JSON object or a boolean, not Array.*");
    }

    [Fact]
    public void FromJson_UrlReference_IsRejectedWithoutLoading()
    {
        var act = () => ArvoSchema.FromJson("""{"type":"object","properties":{"a":{"$ref":"https://example.invalid/schema.json"}}}""");

        act.Should().Throw<ArgumentException>().WithMessage("The JSON Schema cannot be loaded:*");
    }

    [Fact]
    public void FromJson_LocalReferences_AreResolved()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"a":{"$ref":"#/definitions/n"},"b":{"$ref":"#/$defs/s"}},"definitions":{"n":{"type":"number"}},"$defs":{"s":{"type":"string"}}}
            """);

        schema.Validate(Data("""{"a":"x","b":1}""")).Issues.Select(issue => issue.Message).Should().Equal(
            "$.a: expected number, found string",
            "$.b: expected string, found number");
    }

    [Fact]
    public void FromJson_FileReference_IsRejectedWithoutLoading()
    {
        var act = () => ArvoSchema.FromJson("""{"type":"object","properties":{"a":{"$ref":"other.json#/definitions/n"}}}""");

        act.Should().Throw<ArgumentException>().WithMessage(
            "The JSON Schema cannot be loaded: The schema references 'other.json#/definitions/n'. Only references inside the schema (#/...) are supported; inline the referenced schema.*");
    }

    [Fact]
    public void FromJson_UnresolvableLocalReference_IsRejected()
    {
        var act = () => ArvoSchema.FromJson("""{"type":"object","properties":{"a":{"$ref":"#/definitions/missing"}}}""");

        act.Should().Throw<ArgumentException>().WithMessage("The JSON Schema cannot be loaded: *#/definitions/missing*");
    }

    [Fact]
    public void FromJson_RecursiveReferenceToTheRoot_ValidatesEveryLevel()
    {
        var schema = ArvoSchema.FromJson("""{"type":"object","properties":{"v":{"type":"integer"},"next":{"$ref":"#"}},"required":["v"]}""");

        schema.Validate(Data("""{"v":1,"next":{"v":2,"next":{"v":3}}}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"v":1,"next":{"v":2,"next":{}}}""")).Issues.Should().Equal(
            new ArvoSchemaIssue("$.next.next.v", "invalid_type", "integer (required)", "missing"));
    }

    [Fact]
    public void FromJson_DefinitionThatIsOnlyAReference_ResolvesToItsTarget()
    {
        var schema = ArvoSchema.FromJson("""
            {"type":"object","properties":{"a":{"$ref":"#/definitions/alias"}},"definitions":{"alias":{"$ref":"#/definitions/n"},"n":{"type":"number","maximum":5}}}
            """);

        schema.Validate(Data("""{"a":4}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"a":6}""")).Issues.Should().Equal(new ArvoSchemaIssue("$.a", "too_big", "number <= 5", "6"));
    }

    [Fact]
    public async Task FromSchema_LaterChangesToTheSource_DoNotAffectTheSchema()
    {
        var source = await JsonSchema.FromJsonAsync(DeltaSchema);
        var schema = ArvoSchema.FromSchema(source);

        source.RequiredProperties.Clear();

        schema.Validate(Data("{}")).IsValid.Should().BeFalse();
    }

    [Fact]
    public void SystemError_ErrorData_IsValid()
    {
        ArvoSchema.SystemError.Validate(Data("""{"errorName":"Error","errorMessage":"m","errorStack":null}""")).IsValid.Should().BeTrue();
        ArvoSchema.SystemError.Validate(Data("""{"errorName":"Error","errorMessage":"m","errorStack":"at x","extra":1}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void SystemError_MissingStack_IsInvalid()
    {
        ArvoSchema.SystemError.Validate(Data("""{"errorName":"Error","errorMessage":"m"}""")).Issues.Should().ContainSingle()
            .Which.Path.Should().Be("$.errorStack");
    }

    [Fact]
    public void Validate_ConcurrentCalls_GiveTheSameResults()
    {
        var schema = ArvoSchema.FromJson(DeltaSchema);
        var good = Data("""{"delta":1,"x":{"y":[1,2]}}""");
        var bad = Data("""{"delta":"1"}""");

        var results = new bool[2000];
        Parallel.For(0, results.Length, i =>
            results[i] = schema.Validate(i % 2 == 0 ? good : bad).IsValid == (i % 2 == 0)
                && ContractTestJson.Compact(schema.Parse(good)) == """{"delta":1}""");

        results.Should().AllSatisfy(result => result.Should().BeTrue());
    }
}
