using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Events;

/// <summary>Structured-mode JSON: W-3 (JSON key), W-7, W-10, reader validation and the JsonSerializer converter.</summary>
public sealed class ArvoEventJsonTests
{
    private static readonly string[] ReferenceKeyOrder =
    [
        "id", "source", "specversion", "type", "subject", "datacontenttype", "dataschema", "data", "time",
        "to", "accesscontrol", "redirectto", "executionunits", "traceparent", "tracestate", "parentid", "domain",
    ];

    // W-7: one flat object, exactly the reference keys in the reference order, explicit nulls (Example B).
    [Fact]
    public void Serialize_ExampleBEvent_EqualsReferenceOutput()
    {
        var arvoEvent = ArvoEvent.Create(new ArvoEventInit
        {
            Id = ArvoEventId.DeveloperManaged("evt-0001"),
            Time = "2025-01-01T00:00:00.000+00:00",
            Source = "com.test.service",
            Type = "com.number.increment",
            Subject = "test-subject",
            Data = new JsonObject { ["delta"] = 1 },
        });

        var json = arvoEvent.ToJson();

        JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(TestEvents.ExampleB)).Should().BeTrue(json);
        KeysOf(json).Should().Equal(ReferenceKeyOrder);
        json.Should().Be("""{"id":"evt-0001","source":"com.test.service","specversion":"1.0","type":"com.number.increment","subject":"test-subject","datacontenttype":"application/cloudevents+json;charset=UTF-8;profile=arvo","dataschema":null,"data":{"delta":1},"time":"2025-01-01T00:00:00.000+00:00","to":"com.number.increment","accesscontrol":null,"redirectto":null,"executionunits":null,"traceparent":null,"tracestate":null,"parentid":null,"domain":null}""");
    }

    // W-3 (a), W-7: custom extensions sit at the top level between time and to.
    [Fact]
    public void Serialize_CustomExtensions_AreTopLevelKeysAfterTime()
    {
        var arvoEvent = TestEvents.Strict(extensions: [new("customfield", "custom-value"), new("flag", true), new("n", 3), new("nil", null)]);

        var json = arvoEvent.ToJson();

        KeysOf(json).Should().Equal(
            "id", "source", "specversion", "type", "subject", "datacontenttype", "dataschema", "data", "time",
            "customfield", "flag", "n", "nil",
            "to", "accesscontrol", "redirectto", "executionunits", "traceparent", "tracestate", "parentid", "domain");
        var node = JsonNode.Parse(json)!;
        node["customfield"]!.GetValue<string>().Should().Be("custom-value");
        node["flag"]!.GetValue<bool>().Should().BeTrue();
        node["n"]!.ToJsonString().Should().Be("3");
        node["nil"].Should().BeNull();
    }

    [Fact]
    public void Serialize_FractionalExecutionUnits_IsJsonNumber()
    {
        TestEvents.Strict(executionUnits: 0.1).ToJson().Should().Contain("\"executionunits\":0.1,");
    }

    [Fact]
    public void Serialize_Indented_IsEquivalent()
    {
        var arvoEvent = TestEvents.Strict(executionUnits: 5, domain: "x");

        var indented = ArvoEventJson.Serialize(arvoEvent, indented: true);

        indented.Should().Contain("\n");
        JsonNode.DeepEquals(JsonNode.Parse(indented), JsonNode.Parse(arvoEvent.ToJson())).Should().BeTrue();
    }

    [Fact]
    public void SerializeToUtf8Bytes_MatchesToJson()
    {
        var arvoEvent = TestEvents.Strict(data: """{"text":"a+b <é> \"q\""}""");

        Encoding.UTF8.GetString(ArvoEventJson.SerializeToUtf8Bytes(arvoEvent)).Should().Be(arvoEvent.ToJson());
        arvoEvent.ToJson().Should().Contain("\"datacontenttype\":\"application/cloudevents+json;");
    }

    [Fact]
    public void WriteTo_CallerWriter_WritesOneObject()
    {
        var arvoEvent = TestEvents.Strict();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            arvoEvent.WriteTo(writer);
            arvoEvent.WriteTo(writer);
            writer.WriteEndArray();
        }

        var array = JsonNode.Parse(stream.ToArray())!.AsArray();
        array.Should().HaveCount(2);
        ArvoEventJson.Parse(array[1]!.ToJsonString()).Should().Be(arvoEvent);
    }

    // W-10 [port decision]: 2.x JSON without parentid/domain is accepted; re-serialised with both keys null.
    [Fact]
    public void Parse_ArvoCore2ExampleA_ReadsMissingKeysAsNull()
    {
        var arvoEvent = ArvoEventJson.Parse(TestEvents.ExampleA);

        arvoEvent.ParentId.Should().BeNull();
        arvoEvent.Domain.Should().BeNull();
        var reserialized = JsonNode.Parse(arvoEvent.ToJson())!.AsObject();
        reserialized.ContainsKey("parentid").Should().BeTrue();
        reserialized.ContainsKey("domain").Should().BeTrue();
        reserialized["parentid"].Should().BeNull();
        reserialized["domain"].Should().BeNull();
        JsonNode.DeepEquals(reserialized, JsonNode.Parse(TestEvents.ExampleB)).Should().BeTrue();
    }

    [Fact]
    public void Parse_AllThreeInputForms_GiveEqualEvents()
    {
        var fromString = ArvoEventJson.Parse(TestEvents.ExampleB);
        var fromUtf8 = ArvoEventJson.Parse(Encoding.UTF8.GetBytes(TestEvents.ExampleB));
        using var document = JsonDocument.Parse(TestEvents.ExampleB);
        var fromElement = ArvoEventJson.Parse(document.RootElement);

        fromString.Should().Be(fromUtf8).And.Be(fromElement);
        fromString.Id.Should().Be("evt-0001");
        fromString.Time.Should().Be("2025-01-01T00:00:00.000+00:00");
    }

    [Fact]
    public void Parse_Utf8WithByteOrderMark_SkipsIt()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(TestEvents.ExampleB)).ToArray();

        ArvoEventJson.Parse(bytes).Id.Should().Be("evt-0001");
    }

    [Fact]
    public void Parse_ElementFromDisposedDocument_KeepsData()
    {
        ArvoEvent arvoEvent;
        using (var document = JsonDocument.Parse(TestEvents.ExampleB))
        {
            arvoEvent = ArvoEventJson.Parse(document.RootElement);
        }

        arvoEvent.Data.GetRawText().Should().Be("""{ "delta": 1 }""");
    }

    [Fact]
    public void Parse_UnknownTopLevelKeys_BecomeCustomExtensions()
    {
        var json = TestEvents.ExampleB.Replace("\"domain\": null", "\"domain\": null, \"tenant\": \"t1\", \"retries\": 2, \"urgent\": false");

        var arvoEvent = ArvoEventJson.Parse(json);

        arvoEvent.Extensions.Should().Equal(
            new KeyValuePair<string, object?>("tenant", "t1"),
            new KeyValuePair<string, object?>("retries", 2.0),
            new KeyValuePair<string, object?>("urgent", false));
    }

    [Fact]
    public void Parse_MissingDataContentType_DefaultsToArvoContentType()
    {
        var json = Remove(TestEvents.ExampleB, "datacontenttype");

        ArvoEventJson.Parse(json).DataContentType.Should().Be(ArvoEvent.ArvoContentType);
    }

    [Fact]
    public void Parse_MissingDataSchema_ReadsNull()
    {
        ArvoEventJson.Parse(Remove(TestEvents.ExampleB, "dataschema")).DataSchema.Should().BeNull();
    }

    [Fact]
    public void Parse_DuplicateKey_ThrowsNamingTheAttribute()
    {
        // Deliberate change: JSON.parse keeps the last value, but two readers of one text must not see two events.
        var json = TestEvents.ExampleB.Replace("\"domain\": null", "\"domain\": \"first\", \"domain\": \"second\"");

        var act = () => ArvoEventJson.Parse(json);

        var error = act.Should().Throw<ArvoEventValidationException>().Which;
        error.Attribute.Should().Be("domain");
        error.Reason.Should().Be("The attribute appears more than once in the event object");
    }

    [Fact]
    public void Parse_EscapedPropertyNames_AreRecognised()
    {
        var json = TestEvents.ExampleB.Replace("\"domain\": null", "\"d\\u006fmain\": \"x\"");

        ArvoEventJson.Parse(json).Domain.Should().Be("x");
        ArvoEventJson.Parse(Encoding.UTF8.GetBytes(json)).Domain.Should().Be("x");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{\"id\":}")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("null")]
    public void Parse_MalformedOrNotAnObject_ThrowsDocumentAttribute(string json)
    {
        var act = () => ArvoEventJson.Parse(json);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be(ArvoEventValidationException.DocumentAttribute);
    }

    [Fact]
    public void Parse_TrailingContent_ThrowsDocumentAttribute()
    {
        var act = () => ArvoEventJson.Parse(TestEvents.ExampleB + " {}");

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("$");
    }

    [Fact]
    public void Parse_Comments_AreRejected()
    {
        var act = () => ArvoEventJson.Parse("/* c */" + TestEvents.ExampleB);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("$");
    }

    [Theory]
    [InlineData("executionunits", "\"5\"")]
    [InlineData("executionunits", "true")]
    [InlineData("executionunits", "[5]")]
    [InlineData("data", "[1]")]
    [InlineData("data", "null")]
    [InlineData("data", "\"{}\"")]
    [InlineData("id", "5")]
    [InlineData("id", "null")]
    [InlineData("source", "{}")]
    [InlineData("to", "5")]
    [InlineData("domain", "true")]
    [InlineData("time", "1735689600000")]
    [InlineData("specversion", "1.0")]
    [InlineData("dataschema", "false")]
    [InlineData("parentid", "[]")]
    public void Parse_WrongJsonType_ThrowsNamingAttribute(string attribute, string value)
    {
        var json = Replace(TestEvents.ExampleB, attribute, value);

        AssertRejects(json, attribute);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("source")]
    [InlineData("specversion")]
    [InlineData("type")]
    [InlineData("subject")]
    [InlineData("data")]
    [InlineData("time")]
    public void Parse_MissingRequiredAttribute_ThrowsNamingAttribute(string attribute)
    {
        var json = Remove(TestEvents.ExampleB, attribute);

        var exception = AssertRejects(json, attribute);
        exception.Actual.Should().BeNull();
        exception.Message.Should().Contain("(missing)");
    }

    [Theory]
    [InlineData("source", "\"a b\"")]
    [InlineData("subject", "\"a%2Fb\"")]
    [InlineData("to", "\"[x]\"")]
    [InlineData("redirectto", "\"a|b\"")]
    [InlineData("dataschema", "\"#/a b/0.0.1\"")]
    [InlineData("domain", "\"Test\"")]
    [InlineData("domain", "\"\"")]
    [InlineData("type", "\"com.A.b\"")]
    [InlineData("time", "\"2025-01-01T00:00:00\"")]
    [InlineData("specversion", "\"0.3\"")]
    [InlineData("datacontenttype", "\"application/xml\"")]
    [InlineData("to", "null")]
    [InlineData("accesscontrol", "\"\"")]
    [InlineData("executionunits", "1e400")]
    public void Parse_InvalidValue_ThrowsNamingAttribute(string attribute, string value)
    {
        AssertRejects(Replace(TestEvents.ExampleB, attribute, value), attribute);
    }

    [Theory]
    [InlineData("myKey", "1")]
    [InlineData("my_key", "1")]
    [InlineData("nested", "{\"a\":1}")]
    [InlineData("list", "[1]")]
    public void Parse_InvalidCustomExtension_ThrowsNamingIt(string name, string value)
    {
        var json = TestEvents.ExampleB.Replace("\"domain\": null", $"\"domain\": null, \"{name}\": {value}");

        AssertRejects(json, name);
    }

    [Fact]
    public void Parse_DeeplyNestedData_IsBoundedByMaxDepth()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", "{ \"deep\": " + deep + " }");

        AssertRejects(json, "$");
    }

    [Fact]
    public void Parse_LargeNumberInData_KeepsTextExactly()
    {
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", "{ \"delta\": 1e300, \"big\": 1152921504606846976 }");

        var arvoEvent = ArvoEventJson.Parse(json);

        arvoEvent.ToJson().Should().Contain("\"data\":{\"delta\":1e300,\"big\":1152921504606846976}");
    }

    [Fact]
    public void Parse_FractionalExecutionUnits_KeepsFraction()
    {
        ArvoEventJson.Parse(Replace(TestEvents.ExampleB, "executionunits", "0.5")).ExecutionUnits.Should().Be(0.5);
    }

    [Fact]
    public void Parse_AdapterCopies_ReplaceLossyValues()
    {
        var node = JsonNode.Parse(TestEvents.ExampleB)!.AsObject();
        node["time"] = "2025-01-01T00:00:00Z";
        node.Remove("dataschema");
        node.Remove("executionunits");
        node["arvotime"] = "2025-01-01T00:00:00.000+00:00";
        node["arvodataschema"] = "#/a/0.0.1";
        node["arvoexecutionunits"] = "0.5";
        var json = node.ToJsonString();

        var arvoEvent = ArvoEventJson.Parse(json);

        arvoEvent.Time.Should().Be("2025-01-01T00:00:00.000+00:00");
        arvoEvent.DataSchema.Should().Be("#/a/0.0.1");
        arvoEvent.ExecutionUnits.Should().Be(0.5);
        arvoEvent.Extensions.Should().BeEmpty();
    }

    [Theory]
    [InlineData("arvoexecutionunits", "\"0.5x\"")]
    [InlineData("arvoexecutionunits", "0.5")]
    [InlineData("arvotime", "1")]
    public void Parse_InvalidAdapterCopy_ThrowsNamingIt(string name, string value)
    {
        var json = TestEvents.ExampleB.Replace("\"domain\": null", $"\"domain\": null, \"{name}\": {value}");

        AssertRejects(json, name);
    }

    [Fact]
    public void JsonSerializer_EventInsideRecord_RoundTripsThroughConverter()
    {
        var record = new Holder("k", [TestEvents.Strict(executionUnits: 0.5), TestEvents.Strict(id: "evt-2", domain: "x")]);

        var json = JsonSerializer.Serialize(record);
        var back = JsonSerializer.Deserialize<Holder>(json)!;

        back.Key.Should().Be("k");
        back.Events.Should().Equal(record.Events);
        json.Should().Contain("\"executionunits\":0.5");
    }

    [Fact]
    public void JsonSerializer_InvalidEvent_ThrowsValidationException()
    {
        var act = () => JsonSerializer.Deserialize<ArvoEvent>(Replace(TestEvents.ExampleB, "domain", "\"BAD\""));

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("domain");
    }

    [Fact]
    public void Read_ReaderOnStartObject_StopsOnEndObject()
    {
        var bytes = Encoding.UTF8.GetBytes("[" + TestEvents.ExampleB + ", 7]");
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        reader.Read();

        var arvoEvent = ArvoEventJson.Read(ref reader);

        arvoEvent.Id.Should().Be("evt-0001");
        reader.TokenType.Should().Be(JsonTokenType.EndObject);
        reader.Read().Should().BeTrue();
        reader.GetInt32().Should().Be(7);
    }

    private static ArvoEventValidationException AssertRejects(string json, string attribute)
    {
        var fromString = () => ArvoEventJson.Parse(json);
        var fromUtf8 = () => ArvoEventJson.Parse(Encoding.UTF8.GetBytes(json));

        var exception = fromString.Should().Throw<ArvoEventValidationException>().Which;
        exception.Attribute.Should().Be(attribute, exception.Message);
        fromUtf8.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be(attribute);

        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // Malformed JSON cannot be given as an element.
        }

        if (document is not null)
        {
            using (document)
            {
                var fromElement = () => ArvoEventJson.Parse(document.RootElement);
                fromElement.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be(attribute);
            }
        }

        return exception;
    }

    private static string[] KeysOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => p.Name)];
    }

    private static string Replace(string json, string attribute, string rawValue)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node[attribute] = JsonNode.Parse(rawValue);
        return node.ToJsonString().Replace($"\"{attribute}\":null", $"\"{attribute}\":{rawValue}");
    }

    private static string Remove(string json, string attribute)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove(attribute).Should().BeTrue();
        return node.ToJsonString();
    }

    private sealed record Holder(string Key, IReadOnlyList<ArvoEvent> Events);
}
