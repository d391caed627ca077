using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Tests.TestSupport;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace Arvo.Tests.Events;

/// <summary>CloudNative.CloudEvents interop (wire-format.md section 11): attributes, conversions and the SDK's JSON formatter.</summary>
public sealed class ArvoCloudEventAttributesTests
{
    private static readonly JsonEventFormatter Formatter = new();

    private static ArvoEvent RichEvent(
        string dataSchema = "#/test/machine/0.0.1",
        string time = "2025-01-01T00:00:00.000+00:00",
        double? executionUnits = 0.5) =>
        TestEvents.Strict(
            source: "test%20source",
            subject: "eJwlzUsOwyAMRdG9eBwQ5NM22Y3rGJUBIIGLKiH2XppO35Hua5AyvbhIRkkZjgYRA8MBmGvSw7QMhAkq5+JTHGK00Rb6BPxhess1NvDnoMVZN+PK6uE2UistrHbcdjXT7bRsnne0drR89OL/f0ApXBe6cK6e+BcOLDiavX8B/PkzFA==",
            data: """{"delta":1e300,"nested":{"list":[1,"two",null,true]},"big":1152921504606846976}""",
            time: time,
            to: "com.number.increment",
            dataSchema: dataSchema,
            accessControl: "role:admin",
            redirectTo: "com.redirect.target",
            executionUnits: executionUnits,
            traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            traceState: "congo=t61rcWkgMzE",
            parentId: "in-1",
            domain: "test.test",
            extensions: [new("customfield", "custom-value")]);

    [Fact]
    public void AllAttributes_ContainsTheEightArvoAttributesAndTheThreeAdapterCopies()
    {
        ArvoCloudEventAttributes.AllAttributes.Select(a => a.Name).Should().Equal(
            "to", "accesscontrol", "redirectto", "executionunits", "traceparent", "tracestate", "parentid", "domain",
            "arvodataschema", "arvotime", "arvoexecutionunits");
        ArvoCloudEventAttributes.ExecutionUnitsAttribute.Type.Should().Be(CloudEventAttributeType.Integer);
        ArvoCloudEventAttributes.AllAttributes.Where(a => a.Name != "executionunits")
            .Should().OnlyContain(a => a.Type == CloudEventAttributeType.String && a.IsExtension);
    }

    [Fact]
    public void SetAndGet_StringAttributes_RoundTrip()
    {
        var cloudEvent = new CloudEvent(ArvoCloudEventAttributes.AllAttributes)
            .SetTo("to-x").SetAccessControl("ac").SetRedirectTo("rt").SetTraceParent("tp").SetTraceState("ts").SetParentId("p").SetDomain("d");

        cloudEvent.GetTo().Should().Be("to-x");
        cloudEvent.GetAccessControl().Should().Be("ac");
        cloudEvent.GetRedirectTo().Should().Be("rt");
        cloudEvent.GetTraceParent().Should().Be("tp");
        cloudEvent.GetTraceState().Should().Be("ts");
        cloudEvent.GetParentId().Should().Be("p");
        cloudEvent.GetDomain().Should().Be("d");

        cloudEvent.SetDomain(null).GetDomain().Should().BeNull();
        cloudEvent[ArvoCloudEventAttributes.DomainAttribute].Should().BeNull();
    }

    [Theory]
    [InlineData(5.0, 5, null)]
    [InlineData(0.0, 0, null)]
    [InlineData(-7.0, -7, null)]
    [InlineData(0.5, null, "0.5")]
    [InlineData(0.1, null, "0.1")]
    [InlineData(1e300, null, "1E+300")]
    [InlineData(3000000000.0, null, "3000000000")]
    public void SetExecutionUnits_Value_UsesIntegerOrText(double units, int? expectedInteger, string? text)
    {
        var cloudEvent = new CloudEvent(ArvoCloudEventAttributes.AllAttributes).SetExecutionUnits(units);

        cloudEvent[ArvoCloudEventAttributes.ExecutionUnitsAttribute].Should().Be(expectedInteger);
        cloudEvent[ArvoCloudEventAttributes.ExecutionUnitsTextAttribute].Should().Be(text);
        cloudEvent.GetExecutionUnits().Should().Be(units);
    }

    [Fact]
    public void SetExecutionUnits_Null_RemovesBoth()
    {
        var cloudEvent = new CloudEvent(ArvoCloudEventAttributes.AllAttributes).SetExecutionUnits(0.5).SetExecutionUnits(null);

        cloudEvent.GetExecutionUnits().Should().BeNull();
        cloudEvent.ExtensionAttributes.Should().NotBeNull();
        cloudEvent.GetPopulatedAttributes().Should().BeEmpty();
    }

    [Theory]
    [InlineData("#/test/machine/0.0.1", null, "#/test/machine/0.0.1")]
    [InlineData("https://schemas.example.com/a/0.0.1", "https://schemas.example.com/a/0.0.1", null)]
    [InlineData("/abs/path/0.0.1", null, "/abs/path/0.0.1")]
    public void SetArvoDataSchema_Value_UsesStandardAttributeOnlyForAbsoluteUris(string dataSchema, string? standard, string? text)
    {
        var cloudEvent = new CloudEvent(ArvoCloudEventAttributes.AllAttributes).SetArvoDataSchema(dataSchema);

        cloudEvent.DataSchema?.OriginalString.Should().Be(standard);
        if (standard is null)
        {
            cloudEvent.DataSchema.Should().BeNull();
        }

        cloudEvent[ArvoCloudEventAttributes.DataSchemaTextAttribute].Should().Be(text);
        cloudEvent.GetArvoDataSchema().Should().Be(dataSchema);
    }

    [Theory]
    [InlineData("2025-01-01T00:00:00.000+00:00", "2025-01-01T00:00:00.000+00:00")]
    [InlineData("2025-01-01T00:00:00.123456789+05:30", "2025-01-01T00:00:00.123456789+05:30")]
    [InlineData("2025-01-01T00:00Z", "2025-01-01T00:00Z")]
    [InlineData("2025-01-01T00:00:00+0530", "2025-01-01T00:00:00+0530")]
    [InlineData("2025-01-01T00:00:00Z", null)]
    [InlineData("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z")]
    public void SetArvoTime_Value_KeepsExactTextWhenSdkWouldReformat(string time, string? text)
    {
        var cloudEvent = new CloudEvent(ArvoCloudEventAttributes.AllAttributes).SetArvoTime(time);

        cloudEvent[ArvoCloudEventAttributes.TimeTextAttribute].Should().Be(text);
        cloudEvent.GetArvoTime().Should().Be(time);
    }

    [Fact]
    public void SetArvoTime_RepresentableTime_SetsSdkInstant()
    {
        var cloudEvent = new CloudEvent(ArvoCloudEventAttributes.AllAttributes).SetArvoTime("2025-01-01T05:30:00.250+05:30");

        cloudEvent.Time.Should().Be(new DateTimeOffset(2025, 1, 1, 0, 0, 0, 250, TimeSpan.Zero));
    }

    [Fact]
    public void ToCloudEvent_RichEvent_CarriesEveryAttributeExactly()
    {
        var arvoEvent = RichEvent();

        var cloudEvent = arvoEvent.ToCloudEvent();

        cloudEvent.SpecVersion.Should().Be(CloudEventsSpecVersion.V1_0);
        cloudEvent.Id.Should().Be("evt-0001");
        cloudEvent.Source!.OriginalString.Should().Be("test%20source");
        cloudEvent.Type.Should().Be("com.number.increment");
        cloudEvent.Subject.Should().Be(arvoEvent.Subject);
        cloudEvent.DataContentType.Should().Be(ArvoEvent.ArvoContentType);
        cloudEvent.DataSchema.Should().BeNull();
        cloudEvent.GetArvoDataSchema().Should().Be("#/test/machine/0.0.1");
        cloudEvent.Time.Should().Be(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        cloudEvent.GetArvoTime().Should().Be("2025-01-01T00:00:00.000+00:00");
        cloudEvent.GetExecutionUnits().Should().Be(0.5);
        cloudEvent.GetTo().Should().Be("com.number.increment");
        cloudEvent.GetDomain().Should().Be("test.test");
        cloudEvent["customfield"].Should().Be("custom-value");
        cloudEvent.Data.Should().BeOfType<JsonElement>();
        cloudEvent.IsValid.Should().BeTrue();
    }

    [Fact]
    public void FromCloudEvent_ToCloudEvent_ReturnsEqualEvent()
    {
        var arvoEvent = RichEvent();

        ArvoEvent.FromCloudEvent(arvoEvent.ToCloudEvent()).Should().Be(arvoEvent);
    }

    // The proof asked for by section 11: SDK structured encode -> SDK decode -> identical ArvoEvent.
    [Theory]
    [InlineData("#/test/machine/0.0.1", "2025-01-01T00:00:00.000+00:00", 0.5)]
    [InlineData("https://schemas.example.com/a/0.0.1", "2025-01-01T00:00:00Z", 7.0)]
    [InlineData("#/x/0.0.0", "2025-01-01T00:00:00.123456789+05:30", 1e300)]
    [InlineData("#/x/0.0.0", "2025-01-01T00:00+0530", null)]
    public void SdkJsonFormatter_StructuredRoundTrip_GivesIdenticalEvent(string dataSchema, string time, double? units)
    {
        var arvoEvent = RichEvent(dataSchema, time, units);

        var body = Formatter.EncodeStructuredModeMessage(arvoEvent.ToCloudEvent(), out var contentType);
        var decoded = Formatter.DecodeStructuredModeMessage(body, contentType, ArvoCloudEventAttributes.AllAttributes);
        var back = ArvoEvent.FromCloudEvent(decoded);

        back.Should().Be(arvoEvent);
        back.Time.Should().Be(time);
        back.DataSchema.Should().Be(dataSchema);
        back.ExecutionUnits.Should().Be(units);
        back.Source.Should().Be("test%20source");
        back.Data.GetRawText().Should().Be("""{"delta":1e300,"nested":{"list":[1,"two",null,true]},"big":1152921504606846976}""");
    }

    [Fact]
    public void SdkJsonFormatter_DecodedWithoutArvoAttributes_StillGivesIdenticalEvent()
    {
        var arvoEvent = RichEvent(executionUnits: 3);

        var body = Formatter.EncodeStructuredModeMessage(arvoEvent.ToCloudEvent(), out var contentType);
        var decoded = Formatter.DecodeStructuredModeMessage(body, contentType, extensionAttributes: null);

        ArvoEvent.FromCloudEvent(decoded).Should().Be(arvoEvent);
    }

    // The SDK's JSON output is read by our reader (adapter copies included) back to the same event.
    [Theory]
    [InlineData("#/test/machine/0.0.1", "2025-01-01T00:00:00.000+00:00", 0.5)]
    [InlineData("https://schemas.example.com/a/0.0.1", "2025-01-01T00:00:00Z", 7.0)]
    [InlineData("#/x/0.0.0", "2025-01-01T00:00+0530", null)]
    public void ArvoEventJson_SdkStructuredOutput_ParsesToIdenticalEvent(string dataSchema, string time, double? units)
    {
        var arvoEvent = RichEvent(dataSchema, time, units);

        var body = Formatter.EncodeStructuredModeMessage(arvoEvent.ToCloudEvent(), out _);

        ArvoEventJson.Parse(body.Span).Should().Be(arvoEvent);
    }

    [Fact]
    public void ArvoEventJson_SdkStructuredOutput_HasTheExpectedShape()
    {
        var body = Formatter.EncodeStructuredModeMessage(RichEvent().ToCloudEvent(), out var contentType);

        contentType.MediaType.Should().Be("application/cloudevents+json");
        var node = JsonNode.Parse(body.Span)!.AsObject();
        node["arvodataschema"]!.GetValue<string>().Should().Be("#/test/machine/0.0.1");
        node.ContainsKey("dataschema").Should().BeFalse();
        node["time"]!.GetValue<string>().Should().Be("2025-01-01T00:00:00Z");
        node["arvotime"]!.GetValue<string>().Should().Be("2025-01-01T00:00:00.000+00:00");
        node["arvoexecutionunits"]!.GetValue<string>().Should().Be("0.5");
        node["data"]!["delta"]!.ToJsonString().Should().Be("1e300");
    }

    // The Arvo reader's own output also goes through the SDK's decoder (when executionunits is an integer).
    [Fact]
    public void SdkJsonFormatter_DecodesArvoJsonWithIntegerUnitsAndAbsoluteSchema()
    {
        var arvoEvent = RichEvent("https://schemas.example.com/a/0.0.1", "2025-01-01T00:00:00Z", 7);

        var decoded = Formatter.DecodeStructuredModeMessage(ArvoEventJson.SerializeToUtf8Bytes(arvoEvent), new ContentType("application/cloudevents+json"), ArvoCloudEventAttributes.AllAttributes);

        ArvoEvent.FromCloudEvent(decoded).Should().Be(arvoEvent);
    }

    [Fact]
    public void SdkBinaryMode_DataAsBytes_RoundTrips()
    {
        var arvoEvent = RichEvent();
        var cloudEvent = arvoEvent.ToCloudEvent();

        var body = Formatter.EncodeBinaryModeEventData(cloudEvent);
        cloudEvent.Data = null;
        Formatter.DecodeBinaryModeEventData(body, cloudEvent);

        cloudEvent.Data.Should().BeOfType<byte[]>();
        ArvoEvent.FromCloudEvent(cloudEvent).Should().Be(arvoEvent);
    }

    [Fact]
    public void ToCloudEvent_CustomExtensionTypes_MapToSdkTypes()
    {
        var arvoEvent = TestEvents.Strict(extensions: [new("s", "x"), new("b", true), new("i", 3), new("f", 0.25), new("n", null)]);

        var cloudEvent = arvoEvent.ToCloudEvent();

        cloudEvent["s"].Should().Be("x");
        cloudEvent["b"].Should().Be(true);
        cloudEvent["i"].Should().Be(3);
        cloudEvent["f"].Should().Be("0.25");
        cloudEvent.GetAttribute("n").Should().BeNull();
        var back = ArvoEvent.FromCloudEvent(cloudEvent);
        back.Extensions.Should().Equal(
            new KeyValuePair<string, object?>("s", "x"),
            new KeyValuePair<string, object?>("b", true),
            new KeyValuePair<string, object?>("i", 3.0),
            new KeyValuePair<string, object?>("f", "0.25"));
    }

    [Fact]
    public void FromCloudEvent_MissingData_ThrowsNamingData()
    {
        var cloudEvent = TestEvents.Strict().ToCloudEvent();
        cloudEvent.Data = null;

        var act = () => ArvoEvent.FromCloudEvent(cloudEvent);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    [Fact]
    public void FromCloudEvent_MissingSubject_ThrowsNamingSubject()
    {
        var cloudEvent = TestEvents.Strict().ToCloudEvent();
        cloudEvent.Subject = null;

        var act = () => ArvoEvent.FromCloudEvent(cloudEvent);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("subject");
    }

    [Fact]
    public void FromCloudEvent_OnlyId_ThrowsNamingSource()
    {
        var cloudEvent = new CloudEvent(ArvoCloudEventAttributes.AllAttributes) { Id = "x" };

        var act = () => ArvoEvent.FromCloudEvent(cloudEvent);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("source");
    }

    [Fact]
    public void FromCloudEvent_DataAsJsonTextOrNode_IsAccepted()
    {
        var cloudEvent = TestEvents.Strict().ToCloudEvent();

        cloudEvent.Data = """{"delta":1}""";
        ArvoEvent.FromCloudEvent(cloudEvent).Should().Be(TestEvents.Strict());
        cloudEvent.Data = new JsonObject { ["delta"] = 1 };
        ArvoEvent.FromCloudEvent(cloudEvent).Should().Be(TestEvents.Strict());
    }

    [Fact]
    public void FromCloudEvent_InvalidExecutionUnitsText_ThrowsNamingExecutionUnits()
    {
        var cloudEvent = TestEvents.Strict().ToCloudEvent();
        cloudEvent[ArvoCloudEventAttributes.ExecutionUnitsTextAttribute] = "abc";

        var act = () => ArvoEvent.FromCloudEvent(cloudEvent);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("executionunits");
    }

    [Fact]
    public void ToCloudEvent_ControlCharacterInAccessControl_ThrowsInvalidOperation()
    {
        var act = () => TestEvents.Strict(accessControl: "a\u0001b").ToCloudEvent();

        act.Should().Throw<InvalidOperationException>();
    }

    [Theory]
    [InlineData("X:abc")]
    [InlineData("http://host:99999/x")]
    public void ToCloudEvent_SourceUriCannotParse_ThrowsInvalidOperation(string source)
    {
        var arvoEvent = TestEvents.Strict(source: source);

        var act = () => arvoEvent.ToCloudEvent();

        act.Should().Throw<InvalidOperationException>().WithInnerException<UriFormatException>();
    }

    [Fact]
    public void SdkJson_WithoutDataContentType_DefaultsToJsonAndNeedsNoTo()
    {
        var json = """{"specversion":"1.0","id":"x","source":"s","type":"a.b.c","subject":"s","time":"2025-01-01T00:00:00Z","data":{"a":1}}""";

        var decoded = Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(json), null, ArvoCloudEventAttributes.AllAttributes);
        var arvoEvent = ArvoEvent.FromCloudEvent(decoded);

        arvoEvent.DataContentType.Should().Be("application/json");
        arvoEvent.To.Should().BeNull();
    }
}
