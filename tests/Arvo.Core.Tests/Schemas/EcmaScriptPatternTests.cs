using System.Text.Json;
using Arvo.Internal;

namespace Arvo.Tests.Schemas;

/// <summary>
/// Schema patterns follow JavaScript (issue 16 item 3). Every expected verdict below was produced by Node.js 20
/// (<c>new RegExp(pattern).test(input)</c>); each case runs on the compiled validator, on NJsonSchema's path and as a
/// <c>patternProperties</c> key.
/// </summary>
public sealed class EcmaScriptPatternTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    public static TheoryData<string, string, bool> JavaScriptVerdicts => new()
    {
        { "^\\d{5}$", "\u0661\u0662\u0663\u0664\u0665", false },
        { "^\\d{5}$", "12345", true },
        { "^\\d{5}$", "12345\n", false },
        { "^\\D$", "\u0663", true },
        { "^\\D$", "3", false },
        { "^\\w+$", "\u00e9", false },
        { "^\\w+$", "abc_1", true },
        { "^\\W$", "\u00e9", true },
        { "^\\W$", "_", false },
        { "^\\s$", "\u00a0", true },
        { "^\\s$", "\ufeff", true },
        { "^\\s$", "\u2028", true },
        { "^\\s$", "\u2029", true },
        { "^\\s$", "\u000b", true },
        { "^\\s$", "\u3000", true },
        { "^\\s$", "\u0085", false },
        { "^\\s$", "\u200b", false },
        { "^\\s$", "\u180e", false },
        { "^\\S$", "\u0085", true },
        { "^\\S$", "\ufeff", false },
        { "^.$", "\n", false },
        { "^.$", "\r", false },
        { "^.$", "\u2028", false },
        { "^.$", "\u0085", true },
        { "^a.c$", "abc", true },
        { "^[\\d]+$", "\u0661\u0662", false },
        { "^[^\\d]$", "\u0661", true },
        { "^[\\D]$", "5", false },
        { "^[\\w.]+$", "a.\u00e9", false },
        { "^[\\s]$", "\ufeff", true },
        { "^[\\S]$", " ", false },
        { "^[^\\W]$", "\u00e9", false },
        { "^[\\d-z]$", "-", true },
        { "^[a-\\d]$", "-", true },
        { "^[a-\\d]$", "5", true },
        { "^[a-\\d]$", "b", false },
        { "caf\\b", "caf\u00e9", true },
        { "^caf\\B", "caf\u00e9", false },
        { "\\bab\\b", "x ab y", true },
        { "^[^]$", "\n", true },
        { "^[]$", "a", false },
        { "^a[]?$", "a", true },
        { "^[a-z-[aeiou]]$", "b]", true },
        { "^[a-z-[aeiou]]$", "b", false },
        { "^[.]$", "x", false },
        { "^[$]$", "$", true },
        { "a$", "a\n", false },
        { "^\\$$", "$", true },
        { "^\\.$", "x", false },
    };

    public static TheoryData<string> Patterns => [.. JavaScriptVerdicts.Select(row => (string)row[0]).Distinct()];

    [Theory]
    [MemberData(nameof(JavaScriptVerdicts))]
    public void SchemaPattern_IsMatch_GivesJavaScriptsVerdict(string pattern, string input, bool expected)
    {
        SchemaPattern.Create(pattern, Timeout).IsMatch(input).Should().Be(expected);
        SchemaPattern.Create(pattern, Timeout).IsMatch(input.AsSpan()).Should().Be(expected);
        SchemaPattern.CreateBacktracking(pattern, Timeout).IsMatch(input).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(JavaScriptVerdicts))]
    public void Validate_PatternOnBothValidatorPaths_GivesJavaScriptsVerdict(string pattern, string input, bool expected)
    {
        var property = JsonSerializer.Serialize(pattern);
        var compiled = ArvoSchema.FromJson("""{"type":"object","properties":{"v":{"type":"string","pattern":""" + property + "}}}");
        var fallback = ArvoSchema.FromJson("""{"type":"object","properties":{"v":{"type":"string","pattern":""" + property + """}},"patternProperties":{"^z":{}}}""");
        var data = Data(new Dictionary<string, string> { ["v"] = input });

        compiled.IsCompiled.Should().BeTrue();
        fallback.IsCompiled.Should().BeFalse();
        foreach (var schema in new[] { compiled, fallback })
        {
            var result = schema.Validate(data);
            result.IsValid.Should().Be(expected);
            schema.ValidateWithNJsonSchema(data).IsValid.Should().Be(expected);
            if (!expected)
            {
                var issue = result.Issues.Should().ContainSingle().Subject;
                (issue.Path, issue.Code, issue.Expected).Should().Be(("$.v", "invalid_string", $"string matching /{pattern}/"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(JavaScriptVerdicts))]
    public void Validate_PatternPropertiesKey_MatchesNamesWithJavaScriptsVerdict(string pattern, string input, bool expected)
    {
        var key = JsonSerializer.Serialize(pattern);
        var schema = ArvoSchema.FromJson($$$"""{"type":"object","patternProperties":{{{{key}}}:{"type":"number"}},"additionalProperties":false}""");
        using var document = JsonDocument.Parse("{" + JsonSerializer.Serialize(input) + ":1}");

        schema.Validate(document.RootElement).IsValid.Should().Be(expected);
        schema.ValidateWithNJsonSchema(document.RootElement).IsValid.Should().Be(expected);
    }

    [Fact]
    public void Translate_ClassEscapes_BecomeExplicitClassesInsideAndOutsideBrackets()
    {
        EcmaScriptPattern.Translate(@"^\d{5}$").Should().Be(@"^[0-9]{5}\z");
        EcmaScriptPattern.Translate(@"^\w+\W$").Should().Be(@"^[a-zA-Z0-9_]+[\u0000-/:-@\[-\^`{-\uFFFF]\z");
        EcmaScriptPattern.Translate(@"[^\d\s]").Should().Be(@"[^0-9\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]");
        EcmaScriptPattern.Translate(@"a.b").Should().Be(@"a[^\n\r\u2028\u2029]b");
        EcmaScriptPattern.Translate(@"[a-\d][\d-z]").Should().Be(@"[a\-0-9][0-9\-z]");
        EcmaScriptPattern.Translate(@"[a-z-[aeiou]]").Should().Be(@"[a-z-\[aeiou]]");
        EcmaScriptPattern.Translate(@"\$\.\\d").Should().Be(@"\$\.\\d");
    }

    [Fact]
    public void Translate_PatternWithNothingToRewrite_IsReturnedAsIs()
    {
        const string pattern = "^(a|b)+x{2,3}?";

        EcmaScriptPattern.Translate(pattern).Should().BeSameAs(pattern);
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Translate_TranslatedPattern_IsUnchanged(string pattern)
    {
        var translated = EcmaScriptPattern.Translate(pattern);

        EcmaScriptPattern.Translate(translated).Should().Be(translated);
    }

    [Fact]
    public void SchemaPattern_TranslatedPatternWithoutLookarounds_StaysOnTheLinearEngine()
    {
        SchemaPattern.Create(@"^[\w.-]+@\S+\.\w{2,}$", Timeout).IsLinear.Should().BeTrue();
        SchemaPattern.Create(@"^\bword\b$", Timeout).IsLinear.Should().BeFalse();
    }

    [Fact]
    public void SchemaPattern_Pattern_IsTheTextAsWritten()
    {
        SchemaPattern.Create(@"^\d{5}$", Timeout).Pattern.Should().Be(@"^\d{5}$");
    }

    private static JsonElement Data(Dictionary<string, string> values) => JsonSerializer.SerializeToElement(values);
}
