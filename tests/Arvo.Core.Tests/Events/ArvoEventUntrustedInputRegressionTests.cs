using System.Text;
using System.Text.Json;
using Arvo.Events;
using Arvo.Tests.TestSupport;
using CloudNative.CloudEvents.SystemTextJson;

namespace Arvo.Tests.Events;

/// <summary>
/// One test per input class that <see cref="UntrustedEventInputTests"/> found escaping as an untyped exception
/// (or parsing and failing later). Text that cannot be encoded as UTF-8 is rejected at the door, never replaced.
/// </summary>
public sealed class ArvoEventUntrustedInputRegressionTests
{
    private static readonly JsonEventFormatter Formatter = new();

    // Found as: InvalidOperationException "Cannot read incomplete UTF-16 JSON text as string with missing low surrogate".
    [Theory]
    [InlineData("source", "\"com.test\\ud800.service\"")]
    [InlineData("subject", "\"a\\ud800b\"")]
    [InlineData("id", "\"\\ud800\"")]
    [InlineData("accesscontrol", "\"x\\ud800\"")]
    [InlineData("traceparent", "\"\\udc00x\"")]
    [InlineData("parentid", "\"\\udc00\\ud800\"")]
    public void Parse_EscapedLoneSurrogateInAttribute_ThrowsNamingTheAttributeFromEveryOverload(string attribute, string value)
    {
        var json = Replace(TestEvents.ExampleB, attribute, value);

        foreach (var parse in Parsers(json))
        {
            var error = parse.Should().Throw<ArvoEventValidationException>().Which;
            error.Attribute.Should().Be(attribute);
            error.Reason.Should().Be($"The value of '{attribute}' holds a lone UTF-16 surrogate, which cannot be encoded as UTF-8 (rejected, not replaced)");
        }
    }

    [Fact]
    public void Parse_EscapedLoneSurrogateInExtensionValue_ThrowsNamingTheExtension()
    {
        var json = TestEvents.ExampleB.Replace("\"domain\": null", "\"domain\": null, \"tenant\": \"a\\ud800b\"", StringComparison.Ordinal);

        foreach (var parse in Parsers(json))
        {
            var error = parse.Should().Throw<ArvoEventValidationException>().Which;
            error.Attribute.Should().Be("tenant");
            error.Actual.Should().Be("\"a\\ud800b\"");
        }
    }

    // Found as: InvalidOperationException "Invalid surrogate value: '0xDC00'" from the property name.
    [Fact]
    public void Parse_EscapedLoneSurrogateInAttributeName_ThrowsNamingTheNameAsWritten()
    {
        var json = TestEvents.ExampleB.Replace("\"tracestate\"", "\"trace\\udc00state\"", StringComparison.Ordinal);

        foreach (var parse in Parsers(json))
        {
            var error = parse.Should().Throw<ArvoEventValidationException>().Which;
            error.Attribute.Should().Be("trace\\udc00state");
            error.Reason.Should().Be("The attribute name holds a lone UTF-16 surrogate, which cannot be encoded as UTF-8 (rejected, not replaced)");
        }
    }

    // Found as: parsed, then InvalidOperationException from ToJson and Equals.
    [Theory]
    [InlineData("{ \"delta\": \"x\\ud800y\" }", "data.delta")]
    [InlineData("{ \"n1\": { \"s\": \"\\udc00\" } }", "data.n1.s")]
    [InlineData("{ \"list\": [1, \"ok\", \"\\ud800\"] }", "data.list[2]")]
    [InlineData("{ \"k\\ud800\": 1 }", "data.k\\ud800")]
    [InlineData("{ \"pair\": \"\\ud83d\\ude00\", \"bad\": \"\\ude00\\ud83d\" }", "data.bad")]
    public void Parse_EscapedLoneSurrogateInData_ThrowsAtParseTimeNamingTheJsonPath(string data, string path)
    {
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", data, StringComparison.Ordinal);

        foreach (var parse in Parsers(json))
        {
            var error = parse.Should().Throw<ArvoEventValidationException>().Which;
            error.Attribute.Should().Be("data");
            error.Reason.Should().Be($"The text at '{path}' holds a lone UTF-16 surrogate, which cannot be encoded as UTF-8 (rejected, not replaced)");
        }
    }

    [Fact]
    public void Parse_EscapedSurrogatePairsInData_AreAccepted()
    {
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", "{ \"emoji\": \"\\ud83d\\ude00\", \"\\u00e9\": \"\\u002B\" }", StringComparison.Ordinal);

        var arvoEvent = ArvoEventJson.Parse(json);

        arvoEvent.Data.GetProperty("emoji").GetString().Should().Be("\U0001F600");
        arvoEvent.Data.GetProperty("é").GetString().Should().Be("+");
        ArvoEventJson.Parse(arvoEvent.ToJson()).Should().Be(arvoEvent);
    }

    // Found as: a raw lone surrogate char in the .NET string was silently turned into U+FFFD by the UTF-8 transcoding.
    [Fact]
    public void ParseString_RawLoneSurrogateChar_IsRejectedNotReplaced()
    {
        var json = Replace(TestEvents.ExampleB, "subject", "\"a\ud800b\"");

        var error = FluentActions.Invoking(() => ArvoEventJson.Parse(json)).Should().Throw<ArvoEventValidationException>().Which;

        error.Attribute.Should().Be("subject");
        error.Reason.Should().Be("The value of 'subject' holds a lone UTF-16 surrogate, which cannot be encoded as UTF-8 (rejected, not replaced)");
    }

    [Fact]
    public void ParseString_RawLoneSurrogateCharInData_IsRejectedNamingThePath()
    {
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", "{ \"note\": \"\udc00\" }", StringComparison.Ordinal);

        var error = FluentActions.Invoking(() => ArvoEventJson.Parse(json)).Should().Throw<ArvoEventValidationException>().Which;

        error.Attribute.Should().Be("data");
        error.Reason.Should().StartWith("The text at 'data.note' holds a lone UTF-16 surrogate");
    }

    // Found as: InvalidOperationException "Cannot transcode invalid UTF-8 JSON text to UTF-16 string".
    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0x80 })]
    public void ParseUtf8_InvalidUtf8InAttributeValue_ThrowsNamingTheAttribute(byte[] invalid)
    {
        var bytes = Splice(TestEvents.ExampleB, "\"test-subject\"", 1, invalid);

        var error = FluentActions.Invoking(() => ArvoEventJson.Parse(bytes)).Should().Throw<ArvoEventValidationException>().Which;

        error.Attribute.Should().Be("subject");
        error.Reason.Should().Be("The value of 'subject' is not valid UTF-8 (rejected, not replaced)");
    }

    // The three-byte encoding of a surrogate (CESU-8/WTF-8) is how a lone surrogate looks in "UTF-8".
    [Fact]
    public void ParseUtf8_EncodedSurrogateInAttributeValue_ThrowsAsLoneSurrogate()
    {
        var bytes = Splice(TestEvents.ExampleB, "\"test-subject\"", 1, [0xED, 0xA0, 0x80]);

        var error = FluentActions.Invoking(() => ArvoEventJson.Parse(bytes)).Should().Throw<ArvoEventValidationException>().Which;

        error.Attribute.Should().Be("subject");
        error.Reason.Should().Be("The value of 'subject' holds a lone UTF-16 surrogate, which cannot be encoded as UTF-8 (rejected, not replaced)");
    }

    // Found as: a byte flip inside "datacontenttype" (the name), InvalidOperationException from GetString.
    [Fact]
    public void ParseUtf8_InvalidUtf8InAttributeName_ThrowsNamingTheNameAsWritten()
    {
        var bytes = Splice(TestEvents.ExampleB, "\"datacontenttype\"", 4, [0xFF]);

        var error = FluentActions.Invoking(() => ArvoEventJson.Parse(bytes)).Should().Throw<ArvoEventValidationException>().Which;

        error.Attribute.Should().Be("dat\ufffdacontenttype");
        error.Reason.Should().Be("The attribute name is not valid UTF-8 (rejected, not replaced)");
    }

    // Found as: parsed (invalid UTF-8 inside data is not checked by the reader), then failed in ToJson/Equals.
    [Fact]
    public void ParseUtf8_InvalidUtf8InData_IsRejectedNotReplaced()
    {
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", "{ \"s\": \"ab\" }", StringComparison.Ordinal);
        var bytes = Splice(json, "\"ab\"", 2, [0xFE]);

        foreach (var parse in new Func<ArvoEvent>[] { () => ArvoEventJson.Parse(bytes), () => ParseElement(bytes) })
        {
            var error = parse.Should().Throw<ArvoEventValidationException>().Which;
            error.Attribute.Should().Be("data");
            error.Reason.Should().Be("The text at 'data.s' is not valid UTF-8 (rejected, not replaced)");
        }
    }

    // Found as: Parse(JsonElement) of a document read with a larger MaxDepth accepted data that Parse(string) rejects.
    [Fact]
    public void ParseElement_DataDeeperThanMaxDepth_Throws()
    {
        var deep = new string('[', 100) + new string(']', 100);
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", "{ \"deep\": " + deep + " }", StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 512 });

        var error = FluentActions.Invoking(() => ArvoEventJson.Parse(document.RootElement)).Should().Throw<ArvoEventValidationException>().Which;

        error.Attribute.Should().Be(ArvoEventValidationException.DocumentAttribute);
        error.Reason.Should().StartWith("The JSON text is nested too deeply at 'data.deep[0]");
        error.Expected.Should().Be("JSON nested at most 64 levels deep, counting the event object (ArvoEventParseOptions.MaxDepth)");
    }

    [Fact]
    public void ParseUtf8_DataDeeperThanMaxDepth_ThrowsNamingTheAttributeInTheMessage()
    {
        var deep = new string('[', 100) + new string(']', 100);
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", "{ \"deep\": " + deep + " }", StringComparison.Ordinal);

        var error = FluentActions.Invoking(() => ArvoEventJson.Parse(json)).Should().Throw<ArvoEventValidationException>().Which;

        error.Attribute.Should().Be(ArvoEventValidationException.DocumentAttribute);
        error.Actual.Should().Contain("maximum configured depth of 64").And.EndWith("(in the value of 'data')");
    }

    // Found as: FromCloudEvent with data "\ud800" (a JSON string): InvalidOperationException from GetString.
    [Fact]
    public void FromCloudEvent_DataStringWithLoneSurrogate_ThrowsNamingData()
    {
        var json = Replace(TestEvents.ExampleB, "data", "\"\\ud800\"");
        var cloudEvent = Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(json), null, ArvoCloudEventAttributes.AllAttributes);

        var error = FluentActions.Invoking(() => ArvoEvent.FromCloudEvent(cloudEvent)).Should().Throw<ArvoEventValidationException>().Which;

        error.Attribute.Should().Be("data");
    }

    // Found as: FromCloudEvent accepted data holding an escaped lone surrogate or invalid UTF-8 (the SDK keeps data as a JsonElement).
    [Fact]
    public void FromCloudEvent_DataWithEscapedLoneSurrogate_ThrowsNamingThePath()
    {
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", "{ \"a\": [\"\\udfff\"] }", StringComparison.Ordinal);
        var cloudEvent = Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(json), null, ArvoCloudEventAttributes.AllAttributes);

        var error = FluentActions.Invoking(() => ArvoEvent.FromCloudEvent(cloudEvent)).Should().Throw<ArvoEventValidationException>().Which;

        error.Attribute.Should().Be("data");
        error.Reason.Should().StartWith("The text at 'data.a[0]' holds a lone UTF-16 surrogate");
    }

    [Fact]
    public void Constructor_DataWithEscapedLoneSurrogate_ThrowsInsteadOfBreakingToJsonLater()
    {
        using var document = JsonDocument.Parse("{\"s\":\"\\ud800\"}");

        var act = () => new ArvoEvent("id", "a.b", "a.b.c", "s", document.RootElement, "2025-01-01T00:00:00Z", to: "a.b.c");

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    [Fact]
    public void Constructor_ExtensionWithLoneSurrogate_ThrowsNamingIt()
    {
        using var document = JsonDocument.Parse("{}");

        var act = () => new ArvoEvent("id", "a.b", "a.b.c", "s", document.RootElement, "2025-01-01T00:00:00Z", to: "a.b.c", extensions: [new("tenant", "\udc00")]);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("tenant");
    }

    // Decision: a repeated attribute name is rejected (JSON.parse would keep the last value silently).
    [Theory]
    [InlineData("\"subject\": \"other\"", "subject")]
    [InlineData("\"data\": {}", "data")]
    [InlineData("\"to\": null", "to")]
    [InlineData("\"tenant\": 1, \"tenant\": 2", "tenant")]
    public void Parse_RepeatedAttributeName_ThrowsNamingIt(string duplicate, string attribute)
    {
        var json = TestEvents.ExampleB.Replace("\"domain\": null", "\"domain\": null, " + duplicate, StringComparison.Ordinal);

        foreach (var parse in Parsers(json))
        {
            var error = parse.Should().Throw<ArvoEventValidationException>().Which;
            error.Attribute.Should().Be(attribute);
            error.Reason.Should().Be("The attribute appears more than once in the event object");
        }
    }

    [Fact]
    public void Parse_RepeatedAttributeNameWrittenWithAnEscape_IsStillARepeat()
    {
        var json = TestEvents.ExampleB.Replace("\"domain\": null", "\"domain\": null, \"d\\u006fmain\": \"x\"", StringComparison.Ordinal);

        var act = () => ArvoEventJson.Parse(json);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("domain");
    }

    [Fact]
    public void Parse_ManyRepeatsOfOneExtension_ThrowsAtTheFirstRepeat()
    {
        var extensions = string.Join(", ", Enumerable.Range(0, 20).Select(i => $"\"x{i}\": {i}")) + ", \"x3\": 0";
        var json = TestEvents.ExampleB.Replace("\"domain\": null", "\"domain\": null, " + extensions, StringComparison.Ordinal);

        var act = () => ArvoEventJson.Parse(json);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("x3");
    }

    private static Func<ArvoEvent>[] Parsers(string json) =>
    [
        () => ArvoEventJson.Parse(json),
        () => ArvoEventJson.Parse(Encoding.UTF8.GetBytes(json)),
        () => ParseElement(Encoding.UTF8.GetBytes(json)),
    ];

    private static ArvoEvent ParseElement(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return ArvoEventJson.Parse(document.RootElement);
    }

    private static string Replace(string json, string attribute, string valueJson)
    {
        var start = json.IndexOf($"\"{attribute}\": ", StringComparison.Ordinal) + attribute.Length + 4;
        var end = attribute == "data" ? json.IndexOf('}', start) + 1 : json.IndexOf(",\n", start, StringComparison.Ordinal);
        return json[..start] + valueJson + json[end..];
    }

    // The UTF-8 of text with raw bytes inserted at offset `at` of the first occurrence of `anchor`.
    private static byte[] Splice(string text, string anchor, int at, byte[] inserted)
    {
        var index = text.IndexOf(anchor, StringComparison.Ordinal) + at;
        return [.. Encoding.UTF8.GetBytes(text[..index]), .. inserted, .. Encoding.UTF8.GetBytes(text[index..])];
    }
}
