using System.Text.Json;
using System.Text.RegularExpressions;
using Arvo.Internal;
using Arvo.Schemas;

namespace Arvo.Tests.Schemas;

/// <summary>
/// One test per escape <see cref="UntrustedSchemaInputTests"/> found (or the issue reported), built from the failing
/// input, with the exact result now given.
/// </summary>
public sealed class UntrustedSchemaInputRegressionTests
{
    private const string LoneSurrogateExpected = "text without a lone UTF-16 surrogate (text must be encodable as UTF-8)";
    private const string FiniteExpected = "a finite number (within the double range)";

    private static readonly JsonDocumentOptions DeepParsing = new() { MaxDepth = 2000 };

    private static readonly ArvoSchema Compiled = ArvoSchema.FromJson(
        """{"type":"object","properties":{"s":{"type":"string"},"n":{"type":"number"},"e":{"enum":["x",1]},"p":{"type":"string","pattern":"^(a+)+$"}}}""");

    private static readonly ArvoSchema Fallback = ArvoSchema.FromJson(
        """{"type":"object","properties":{"s":{"type":"string"},"n":{"type":"number"},"p":{"type":"string","pattern":"^(a+)+$"}},"patternProperties":{"^z":{"type":"string"}}}""",
        new ArvoSchemaOptions { PatternMatchTimeout = TimeSpan.FromMilliseconds(20) });

    public static TheoryData<string> Paths() => ["compiled", "fallback"];

    private static ArvoSchema SchemaOf(string path) => path == "compiled" ? Compiled : Fallback;

    private static JsonElement Data(string json)
    {
        using var document = JsonDocument.Parse(json, DeepParsing);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Schemas_UnderTest_TakeBothValidatorPaths()
    {
        Compiled.IsCompiled.Should().BeTrue();
        Fallback.IsCompiled.Should().BeFalse();
    }

    // ---- Lone surrogates (escaped InvalidOperationException) ----

    [Theory]
    [MemberData(nameof(Paths))]
    public void Validate_StringWithLoneHighSurrogate_IsInvalidString(string path)
    {
        var result = SchemaOf(path).Validate(Data("""{"s":"a\ud800b"}"""));

        result.Issues.Should().Equal(new ArvoSchemaIssue("$.s", "invalid_string", LoneSurrogateExpected, "a string holding the lone surrogate \\uD800"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Validate_LoneLowSurrogateInAnUndeclaredProperty_IsInvalidString(string path)
    {
        var result = SchemaOf(path).Validate(Data("""{"zz":"\udc00"}"""));

        result.Issues.Should().Equal(new ArvoSchemaIssue("$.zz", "invalid_string", LoneSurrogateExpected, "a string holding the lone surrogate \\uDC00"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Validate_TwoHighSurrogates_ReportsTheFirst(string path)
    {
        var result = SchemaOf(path).Validate(Data("""{"s":"\ud800\ud800"}"""));

        result.Issues.Should().Equal(new ArvoSchemaIssue("$.s", "invalid_string", LoneSurrogateExpected, "a string holding the lone surrogate \\uD800"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Validate_PropertyNameWithLoneSurrogate_NamesThePropertyAsWritten(string path)
    {
        var result = SchemaOf(path).Validate(Data("""{"a\udc00b":1}"""));

        result.Issues.Should().Equal(new ArvoSchemaIssue(
            "$['a\\udc00b']", "invalid_string", "a property name without a lone UTF-16 surrogate (text must be encodable as UTF-8)",
            "the name \"a\\udc00b\" holding the lone surrogate \\uDC00"));
    }

    [Fact]
    public void TryParse_LoneSurrogateInAnEnumValue_IsFalseWithTheIssue()
    {
        Compiled.TryParse(Data("""{"e":"\ud800"}"""), out var parsed, out var validation).Should().BeFalse();

        parsed.ValueKind.Should().Be(JsonValueKind.Undefined);
        validation.Issues.Should().Equal(new ArvoSchemaIssue("$.e", "invalid_string", LoneSurrogateExpected, "a string holding the lone surrogate \\uD800"));
    }

    [Fact]
    public void Parse_LoneSurrogateAtTheRoot_ThrowsTheValidationException()
    {
        var act = () => Compiled.Parse(Data("\"\\ud800\""));

        act.Should().Throw<ArvoSchemaValidationException>().Which.Result.Issues.Should().Equal(
            new ArvoSchemaIssue("$", "invalid_string", LoneSurrogateExpected, "a string holding the lone surrogate \\uD800"));
    }

    [Theory]
    [InlineData("""{"s":"\ud83d\ude00"}""")]
    [InlineData("""{"s":"\\ud800 is text"}""")]
    [InlineData("""{"s":"\u00e9\n\u2028"}""")]
    public void Validate_SurrogatePairsAndOtherEscapes_AreValid(string json)
    {
        Compiled.Validate(Data(json)).IsValid.Should().BeTrue();
        Fallback.Validate(Data(json)).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_ManyLoneSurrogates_ReportsAtMost100Issues()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("\"\\ud800\"", 150)) + "]";

        var result = Compiled.Validate(Data(json));

        result.Issues.Should().HaveCount(UntrustedData.MaxIssues);
        result.Issues[99].Path.Should().Be("$[99]");
    }

    // ---- default(JsonElement) (escaped ArgumentException) ----

    [Theory]
    [MemberData(nameof(Paths))]
    public void Validate_DefaultJsonElement_IsInvalidAtTheRoot(string path)
    {
        var result = SchemaOf(path).Validate(default);

        result.Issues.Should().Equal(new ArvoSchemaIssue("$", "invalid_type", "a JSON value", "an undefined JsonElement (default(JsonElement))"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void TryParse_DefaultJsonElement_IsFalse(string path)
    {
        SchemaOf(path).TryParse(default, out _, out var validation).Should().BeFalse();

        validation.Issues.Should().ContainSingle().Which.Path.Should().Be("$");
    }

    // ---- Numbers beyond the double range (passed type: number) ----

    [Theory]
    [InlineData("1e309", "1e309")]
    [InlineData("-1e309", "-1e309")]
    [InlineData("1.8e308", "1.8e308")]
    public void Validate_NumberBeyondTheDoubleRange_IsNotFinite(string number, string found)
    {
        foreach (var schema in new[] { Compiled, Fallback })
        {
            schema.Validate(Data($$"""{"n":{{number}}}""")).Issues.Should().Equal(new ArvoSchemaIssue("$.n", "not_finite", FiniteExpected, found));
        }
    }

    [Fact]
    public void Validate_400DigitInteger_IsNotFinite_WithTheLiteralShortened()
    {
        var digits = "1" + new string('0', 400);

        var issue = Compiled.Validate(Data($$"""{"n":{{digits}}}""")).Issues.Should().ContainSingle().Subject;

        issue.Should().Be(new ArvoSchemaIssue("$.n", "not_finite", FiniteExpected, digits[..80] + "…"));
    }

    [Theory]
    [InlineData("1.7976931348623157e308")]
    [InlineData("-1.7976931348623157e308")]
    [InlineData("1e-400")]
    [InlineData("0e999999")]
    [InlineData("123456789012345678901234567890")]
    public void Validate_LargeButFiniteNumbers_AreValid(string number)
    {
        Compiled.Validate(Data($$"""{"n":{{number}}}""")).IsValid.Should().BeTrue();
        Fallback.Validate(Data($$"""{"n":{{number}}}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Validate_InfiniteNumberUnderAFreeFormProperty_IsNotFinite()
    {
        Compiled.Validate(Data("""{"meta":{"k":[1,-1e309]}}""")).Issues.Should().Equal(
            new ArvoSchemaIssue("$.meta.k[1]", "not_finite", FiniteExpected, "-1e309"));
    }

    // ---- Deep nesting (escaped JsonReaderException / InvalidOperationException from TryParse) ----

    [Theory]
    [MemberData(nameof(Paths))]
    public void Validate_NestingDeeperThan256Levels_IsTooBig(string path)
    {
        var json = new string('[', 300) + new string(']', 300);

        var result = SchemaOf(path).Validate(Data(json));

        result.Issues.Should().Equal(new ArvoSchemaIssue(
            "$" + string.Concat(Enumerable.Repeat("[0]", 256)), "too_big", "a value nested at most 256 levels deep", "an array at nesting level 257"));
    }

    [Fact]
    public void TryParse_DataNested100LevelsThatNeedsRewriting_IsParsed()
    {
        // Before: the normalizer reparsed its output with the default depth limit (64) and threw JsonReaderException.
        var schema = ArvoSchema.FromZodExport("""{"type":"object","properties":{"meta":{"type":"object","additionalProperties":true}},"additionalProperties":false}""");
        var deep = new string('[', 100) + new string(']', 100);

        schema.TryParse(Data("{\"extra\":1,\"meta\":{\"k\":" + deep + "}}"), out var parsed, out var validation).Should().BeTrue(validation.ToString());

        parsed.GetRawText().Should().Be("{\"meta\":{\"k\":" + deep + "}}");
    }

    [Fact]
    public void TryParse_NestedExactly256Levels_IsParsed()
    {
        var schema = ArvoSchema.FromJson("""{"type":"array"}""");
        var json = new string('[', 256) + new string(']', 256);

        schema.TryParse(Data(json), out var parsed, out _).Should().BeTrue();

        parsed.GetRawText().Should().Be(json);
    }

    [Fact]
    public void Validate_NestedHundredThousandLevels_IsTooBig_WithoutOverflowingTheStack()
    {
        var json = string.Concat(Enumerable.Repeat("{\"a\":", 100_000)) + "1" + new string('}', 100_000);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 200_000 });

        var result = Fallback.Validate(document.RootElement);

        result.Issues.Should().ContainSingle().Which.Code.Should().Be("too_big");
    }

    // ---- Patterns (no match timeout: ^(a+)+$ on 27 characters took 8 s) ----

    [Fact]
    public void Validate_CatastrophicPatternOnTheCompiledPath_RunsInLinearTime()
    {
        var input = new string('a', 5000) + "!";

        var result = Compiled.Validate(Data($$"""{"p":"{{input}}"}"""));

        result.Issues.Should().Equal(new ArvoSchemaIssue("$.p", "invalid_string", "string matching /^(a+)+$/", "\"" + input[..79] + "…"));
    }

    [Fact]
    public void Validate_BacktrackingOnlyPattern_TimesOut_NamingThePathAndThePattern()
    {
        var schema = ArvoSchema.FromJson(
            """{"type":"object","properties":{"q":{"type":"string","pattern":"^(?!x)(a+)+$"}}}""",
            new ArvoSchemaOptions { PatternMatchTimeout = TimeSpan.FromMilliseconds(10) });
        var input = new string('a', 40) + "!";

        var result = schema.Validate(Data($$"""{"q":"{{input}}"}"""));

        result.Issues.Should().Equal(new ArvoSchemaIssue(
            "$.q", "invalid_string", "string matching /^(?!x)(a+)+$/ within 10 ms", $"\"{input}\" (the match timed out)"));
    }

    [Fact]
    public void TryParse_BacktrackingOnlyPatternInAUnion_TimesOut_IsFalse()
    {
        var schema = ArvoSchema.FromJson(
            """{"type":"object","properties":{"q":{"not":{"type":"string","pattern":"^(?!x)(a+)+$"}}}}""",
            new ArvoSchemaOptions { PatternMatchTimeout = TimeSpan.FromMilliseconds(10) });
        var input = new string('a', 40) + "!";

        // A timeout inside 'not' must not turn into acceptance.
        schema.TryParse(Data($$"""{"q":"{{input}}"}"""), out _, out var validation).Should().BeFalse();

        validation.Issues.Should().ContainSingle().Which.Path.Should().Be("$.q");
    }

    [Fact]
    public void Validate_CatastrophicPatternOnTheFallbackPath_RunsInLinearTime()
    {
        // NJsonSchema hands the pattern to the same linear-time matcher as the compiled path (it timed out before).
        var input = new string('a', 5000) + "!";

        var result = Fallback.Validate(Data($$"""{"p":"{{input}}"}"""));

        result.Issues.Should().Equal(new ArvoSchemaIssue("$.p", "invalid_string", "string matching /^(a+)+$/", "\"" + input[..79] + "…"));
    }

    [Fact]
    public void Validate_BacktrackingOnlyPatternOnTheFallbackPath_TimesOut_NamingThePathAndThePattern()
    {
        var schema = ArvoSchema.FromJson(
            """{"type":"object","properties":{"q":{"type":"string","pattern":"^(?!x)(a+)+$"}},"patternProperties":{"^z":{"type":"string"}}}""",
            new ArvoSchemaOptions { PatternMatchTimeout = TimeSpan.FromMilliseconds(10) });
        var input = new string('a', 40) + "!";

        var result = schema.Validate(Data($$"""{"q":"{{input}}"}"""));

        schema.IsCompiled.Should().BeFalse();
        result.Issues.Should().Equal(new ArvoSchemaIssue(
            "$.q", "invalid_string", "string matching /^(?!x)(a+)+$/ within 10 ms", $"\"{input}\" (the match timed out)"));
    }

    [Fact]
    public void Validate_CatastrophicPatternNextToAnotherIssue_IsReportedByNJsonSchemaWithoutHanging()
    {
        // The compiled path finds the data invalid (n is a string); NJsonSchema then reports, matching p with the
        // compiled path's linear-time matcher, not with its own Regex.IsMatch (which took 8 s on 27 characters).
        var input = new string('a', 5000) + "!";

        var result = Compiled.Validate(Data($$"""{"p":"{{input}}","n":"x"}"""));

        result.Issues.Should().Equal(
            new ArvoSchemaIssue("$.n", "invalid_type", "number", "string"),
            new ArvoSchemaIssue("$.p", "invalid_string", "string matching /^(a+)+$/", "\"" + input[..79] + "…"));
    }

    [Fact]
    public void Validate_CatastrophicPatternPropertiesKeyOnAPropertyName_TimesOut()
    {
        var schema = ArvoSchema.FromJson(
            """{"type":"object","patternProperties":{"^(a+)+$":{"type":"number"}}}""",
            new ArvoSchemaOptions { PatternMatchTimeout = TimeSpan.FromMilliseconds(10) });
        var name = new string('a', 40) + "!";

        var result = schema.Validate(Data($$"""{"{{name}}":1}"""));

        result.Issues.Should().Equal(new ArvoSchemaIssue(
            $"$.{name}", "invalid_string", "a property name matching /^(a+)+$/ within 10 ms", $"\"{name}\" (the match timed out)"));
    }

    [Fact]
    public void Validate_FallbackPatterns_StillMatchAsBefore()
    {
        Fallback.Validate(Data("""{"p":"aaa","zq":"x"}""")).IsValid.Should().BeTrue();
        Fallback.Validate(Data("""{"p":"ab"}""")).Issues.Should().Equal(new ArvoSchemaIssue("$.p", "invalid_string", "string matching /^(a+)+$/", "\"ab\""));
    }

    [Fact]
    public void SchemaPattern_UsesTheLinearEngine_WhenThePatternAllows()
    {
        SchemaPattern.Create("^(a+)+$", TimeSpan.FromMilliseconds(100)).IsLinear.Should().BeTrue();
        SchemaPattern.Create("^(?!x)(a+)+$", TimeSpan.FromMilliseconds(100)).IsLinear.Should().BeFalse();
        SchemaPattern.Create("^(a)\\1$", TimeSpan.FromMilliseconds(100)).IsLinear.Should().BeFalse();
    }

    [Fact]
    public void SchemaPattern_SpanMatchTimeout_CarriesTheInput()
    {
        var pattern = SchemaPattern.Create("^(?!x)(a+)+$", TimeSpan.FromMilliseconds(5));
        var input = new string('a', 40) + "!";

        var act = () => pattern.IsMatch(input.AsSpan());

        act.Should().Throw<RegexMatchTimeoutException>().Which.Input.Should().Be(input);
    }

    [Fact]
    public void Options_PatternMatchTimeout_DefaultsTo100Milliseconds()
    {
        ArvoSchemaOptions.Default.PatternMatchTimeout.Should().Be(TimeSpan.FromMilliseconds(100));
        ArvoSchemaOptions.ZodExport.PatternMatchTimeout.Should().Be(TimeSpan.FromMilliseconds(100));
        ArvoSchemaOptions.DefaultPatternMatchTimeout.Should().Be(TimeSpan.FromMilliseconds(100));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Options_PatternMatchTimeout_MustBePositive(int milliseconds)
    {
        var act = () => new ArvoSchemaOptions { PatternMatchTimeout = TimeSpan.FromMilliseconds(milliseconds) };

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    // ---- Schemas that made validation throw later ----

    [Theory]
    [InlineData("""{"type":"object","properties":{"s":{"pattern":"("}}}""")]
    [InlineData("""{"type":"object","properties":{"s":{"pattern":"("}},"patternProperties":{"x":{}}}""")]
    [InlineData("""{"type":"object","patternProperties":{"(":{}}}""")]
    public void FromJson_InvalidPattern_IsArgumentException(string json)
    {
        var act = () => ArvoSchema.FromJson(json);

        act.Should().Throw<ArgumentException>().WithMessage("The schema pattern /(/ is not a valid regular expression: *");
    }

    [Fact]
    public void FromJson_LoneSurrogateInAnEnum_IsArgumentException()
    {
        var act = () => ArvoSchema.FromJson("""{"type":"object","properties":{"e":{"enum":["\ud800","x"]}}}""");

        act.Should().Throw<ArgumentException>().WithMessage(
            "The JSON Schema cannot be loaded: $.properties.e.enum[0]: expected text without a lone UTF-16 surrogate (text must be encodable as UTF-8), found a string holding the lone surrogate \\uD800*");
    }

    [Fact]
    public void FromJson_MultipleOfThatReadsAsZero_IsArgumentException()
    {
        // Before: loaded, and every validation of a number threw DivideByZeroException.
        var act = () => ArvoSchema.FromJson("""{"type":"object","properties":{"n":{"multipleOf":1e-400}}}""");

        act.Should().Throw<ArgumentException>().WithMessage("The JSON Schema cannot be loaded: multipleOf must be greater than 0, not 0.*");
    }

    [Fact]
    public void FromJson_ElementDeeperThan64Levels_IsArgumentException()
    {
        var json = string.Concat(Enumerable.Repeat("{\"type\":\"object\",\"properties\":{\"a\":", 100)) + "{}" + new string('}', 200);

        var act = () => ArvoSchema.FromJson(Data(json));

        act.Should().Throw<ArgumentException>().WithMessage("The JSON Schema cannot be loaded: The maximum configured depth of 64 has been exceeded.*");
    }

    // Found by the fuzz pass (tests/Arvo.Fuzz, schema target): JsonDocument keeps bytes that are not UTF-8 inside a
    // string as they came, and reading them as text threw InvalidOperationException.
    [Theory]
    [MemberData(nameof(Paths))]
    public void Validate_InvalidUtf8InAString_IsAnIssueAtItsPath(string path)
    {
        var data = Utf8Data("{\"n\":1,\"s\":\"a"u8, [0xFF, 0xC3], "b\"}"u8);

        var result = SchemaOf(path).Validate(data);

        result.Issues.Should().ContainSingle().Which.Should().Be(new ArvoSchemaIssue("$.s", "invalid_string", "well-formed UTF-8 text", "bytes that are not valid UTF-8"));
        SchemaOf(path).TryParse(data, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Validate_InvalidUtf8InAPropertyNameNextToALoneSurrogateName_IsAnIssueAtTheParent()
    {
        var data = Utf8Data("{\"\\ud800x\":1,\"o\":{\"k"u8, [0xED, 0xA0, 0x80], "\":2}}"u8);

        Compiled.Validate(data).Issues.Should().ContainSingle().Which.Path.Should().Be("$.o");
    }

    private static JsonElement Utf8Data(ReadOnlySpan<byte> head, byte[] invalid, ReadOnlySpan<byte> tail)
    {
        byte[] json = [.. head, .. invalid, .. tail];
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
