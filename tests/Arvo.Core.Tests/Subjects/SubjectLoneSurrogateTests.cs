using System.Text.Json;
using Arvo.Subjects;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Subjects;

/// <summary>
/// A lone UTF-16 surrogate (written <c>\ud800</c> in the subject JSON) is rejected, never replaced, and the error
/// names the field; content that parses can always be encoded again.
/// </summary>
public sealed class SubjectLoneSurrogateTests
{
    private const string ValidJson = """{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f","domain":null},"meta":{}}""";

    [Theory]
    [InlineData("\"id\":\"x\"", "\"id\":\"x\\ud800\"", "execution.id")]
    [InlineData("\"name\":\"a.b.c\"", "\"name\":\"\\udc00\"", "orchestrator.name")]
    [InlineData("\"domain\":null", "\"domain\":\"\\ud800\"", "execution.domain")]
    [InlineData("\"meta\":{}", "\"meta\":{\"tenant\":\"\\ud800\"}", "meta.tenant")]
    [InlineData("\"meta\":{}", "\"meta\":{\"k\\ud800\":\"v\"}", "meta")]
    [InlineData("\"meta\":{}", "\"meta\":{},\"extra\":{\"a\":[\"\\udfff\"]}", "extra.a[0]")]
    [InlineData("\"version\":\"1.0.0\"", "\"version\":\"1.0.0\",\"note\":\"\\ud800\"", "orchestrator.note")]
    [InlineData("\"meta\":{}", "\"meta\":{},\"k\\ud800\":1", "$")]
    public void Parse_EscapedLoneSurrogate_ThrowsInvalidJsonNamingTheField(string find, string replace, string field)
    {
        var subject = SubjectText.Encode(ValidJson.Replace(find, replace, StringComparison.Ordinal));

        var error = FluentActions.Invoking(() => ArvoOrchestrationSubject.Parse(subject)).Should().Throw<ArvoOrchestrationSubjectException>().Which;

        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidJson);
        error.Field.Should().Be(field);
        error.Expected.Should().Be("a string without lone surrogates");
        ArvoOrchestrationSubject.IsValid(subject).Should().BeFalse();
        ArvoOrchestrationSubject.TryParse(subject, out _).Should().BeFalse();
    }

    // Found as: parse accepted an extra value with an escaped lone surrogate; create then reported a depth error.
    [Fact]
    public void Create_ExtraValueWithEscapedLoneSurrogate_ThrowsInvalidContentNamingTheField()
    {
        using var document = JsonDocument.Parse("{\"a\":\"\\ud800\"}");
        var content = new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator("a.b.c", "1.0.0"),
            new ArvoSubjectExecution("x", "d.e.f", null),
            additionalProperties: [new("extra", document.RootElement)]);

        var error = FluentActions.Invoking(() => ArvoOrchestrationSubject.Create(content)).Should().Throw<ArvoOrchestrationSubjectException>().Which;

        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidContent);
        error.Field.Should().Be("extra.a");
    }
}
