using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Tests.TestSupport;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using SdkJsonEventFormatter = CloudNative.CloudEvents.SystemTextJson.JsonEventFormatter;

namespace Arvo.Tests.Events;

/// <summary>
/// <see cref="ArvoJsonEventFormatter"/> carries every event of <c>events.json</c> through the SDK (its formatter
/// methods and its HTTP binding) unchanged, byte for byte the JSON of <see cref="ArvoEventJson"/>.
/// </summary>
public sealed class ArvoJsonEventFormatterTests
{
    private static readonly ArvoJsonEventFormatter Formatter = ArvoJsonEventFormatter.Instance;

    public static TheoryData<string> VectorEventPaths => [.. VectorEvents().Keys];

    [Fact]
    public void VectorEvents_AllAreFound()
    {
        // 18 wire strings and 28 event objects (ArvoEventVectorTests counts them the same way).
        VectorEvents().Should().HaveCount(46);
    }

    [Theory]
    [MemberData(nameof(VectorEventPaths))]
    public void EncodeStructuredModeMessage_VectorEvent_WritesArvoEventJsonByteForByte(string path)
    {
        var arvoEvent = ArvoEventJson.Parse(VectorEvents()[path]);

        var body = Formatter.EncodeStructuredModeMessage(arvoEvent.ToCloudEvent(), out var contentType);

        body.ToArray().Should().Equal(ArvoEventJson.SerializeToUtf8Bytes(arvoEvent));
        contentType.ToString().Should().Be("application/cloudevents+json; charset=utf-8");
        JsonNode.DeepEquals(JsonNode.Parse(body.Span), JsonNode.Parse(VectorEvents()[path])).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(VectorEventPaths))]
    public void DecodeStructuredModeMessage_VectorEvent_GivesTheSameEvent(string path)
    {
        var text = VectorEvents()[path];

        var cloudEvent = Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(text), new ContentType("application/cloudevents+json"), null);

        ArvoEvent.FromCloudEvent(cloudEvent).Should().Be(ArvoEventJson.Parse(text));
    }

    [Theory]
    [MemberData(nameof(VectorEventPaths))]
    public async Task HttpBinding_StructuredMode_CarriesTheVectorEventUnchanged(string path)
    {
        var arvoEvent = ArvoEventJson.Parse(VectorEvents()[path]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/events")
        {
            Content = arvoEvent.ToCloudEvent().ToHttpContent(ContentMode.Structured, Formatter),
        };

        var body = await request.Content.ReadAsByteArrayAsync();
        var received = await request.ToCloudEventAsync(Formatter, ArvoCloudEventAttributes.AllAttributes);

        body.Should().Equal(ArvoEventJson.SerializeToUtf8Bytes(arvoEvent));
        request.Content.Headers.ContentType!.MediaType.Should().Be("application/cloudevents+json");
        ArvoEvent.FromCloudEvent(received).Should().Be(arvoEvent);
    }

    [Fact]
    public async Task HttpBinding_BatchMode_CarriesAWorkflowsEventsInOrder()
    {
        var events = VectorEvents().Where(entry => entry.Key.StartsWith("$.counter_workflow[", StringComparison.Ordinal) && entry.Key.EndsWith(".wire", StringComparison.Ordinal))
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => ArvoEventJson.Parse(entry.Value)).ToList();
        events.Should().HaveCount(5);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/events")
        {
            Content = events.Select(e => e.ToCloudEvent()).ToList().ToHttpContent(Formatter),
        };

        var body = await request.Content.ReadAsStringAsync();
        var received = await request.ToCloudEventBatchAsync(Formatter, ArvoCloudEventAttributes.AllAttributes);

        body.Should().Be("[" + string.Join(",", events.Select(e => e.ToJson())) + "]");
        request.Content.Headers.ContentType!.MediaType.Should().Be("application/cloudevents-batch+json");
        received.Select(ArvoEvent.FromCloudEvent).Should().Equal(events);
    }

    [Fact]
    public void DecodeBatchModeMessage_EmptyArray_GivesNoEvents()
    {
        Formatter.DecodeBatchModeMessage("[ ]"u8.ToArray(), null, null).Should().BeEmpty();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[")]
    [InlineData("[] []")]
    [InlineData("[1]")]
    public void DecodeBatchModeMessage_NotAnArrayOfEvents_ThrowsArvoEventValidationException(string json)
    {
        var act = () => Formatter.DecodeBatchModeMessage(Encoding.UTF8.GetBytes(json), null, null);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be(ArvoEventValidationException.DocumentAttribute);
    }

    [Theory]
    [MemberData(nameof(VectorEventPaths))]
    public void BinaryMode_VectorEventData_RoundTripsAsJson(string path)
    {
        var arvoEvent = ArvoEventJson.Parse(VectorEvents()[path]);
        var cloudEvent = arvoEvent.ToCloudEvent();

        var body = Formatter.EncodeBinaryModeEventData(cloudEvent);
        var decoded = new CloudEvent(CloudEventsSpecVersion.V1_0);
        Formatter.DecodeBinaryModeEventData(body, decoded);

        // The same text as data in structured mode (escapes as ArvoEventJson writes them).
        using var structured = JsonDocument.Parse(ArvoEventJson.SerializeToUtf8Bytes(arvoEvent));
        Encoding.UTF8.GetString(body.Span).Should().Be(structured.RootElement.GetProperty("data").GetRawText());
        JsonElement.DeepEquals(decoded.Data.Should().BeOfType<JsonElement>().Subject, arvoEvent.Data).Should().BeTrue();
    }

    [Fact]
    public async Task HttpBinding_BinaryModeWithJsonDataContentType_CarriesTheEventUnchanged()
    {
        var arvoEvent = TestEvents.Strict(dataContentType: "application/json", data: """{"delta":1,"label":"x+y"}""", executionUnits: 0.5);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/events")
        {
            Content = arvoEvent.ToCloudEvent().ToHttpContent(ContentMode.Binary, Formatter),
        };

        var received = await request.ToCloudEventAsync(Formatter, ArvoCloudEventAttributes.AllAttributes);

        (await request.Content.ReadAsStringAsync()).Should().Be("""{"delta":1,"label":"x+y"}""");
        ArvoEvent.FromCloudEvent(received).Should().Be(arvoEvent);
    }

    [Fact]
    public async Task HttpBinding_BinaryModeWithArvoContentType_IsReadAsStructuredMode()
    {
        // The binding's content type in binary mode is the datacontenttype, and an application/cloudevents content
        // type means structured mode to the receiver: Arvo's default datacontenttype needs structured mode over HTTP.
        var arvoEvent = TestEvents.Strict();
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/events")
        {
            Content = arvoEvent.ToCloudEvent().ToHttpContent(ContentMode.Binary, Formatter),
        };

        var act = async () => await request.ToCloudEventAsync(Formatter);

        arvoEvent.DataContentType.Should().Be(ArvoEvent.ArvoContentType);
        await act.Should().ThrowAsync<ArvoEventValidationException>();
    }

    [Theory]
    [MemberData(nameof(VectorEventPaths))]
    public void SdkJsonEventFormatter_ReadsOurStructuredOutput_WithTheSameStandardAttributes(string path)
    {
        // The SDK types dataschema as an absolute URI: the vectors' relative ones are made absolute for this check. (It
        // keeps time as an instant, not as text: what it reads back is the same instant, formatted its own way.)
        var node = JsonNode.Parse(VectorEvents()[path])!;
        if (node["dataschema"] is { } relative)
        {
            node["dataschema"] = "https://schemas.example.com/" + relative.GetValue<string>().TrimStart('#', '/');
        }

        var arvoEvent = ArvoEventJson.Parse(node.ToJsonString());

        var body = Formatter.EncodeStructuredModeMessage(arvoEvent.ToCloudEvent(), out var contentType);
        var read = new SdkJsonEventFormatter().DecodeStructuredModeMessage(body, contentType, ArvoCloudEventAttributes.AllAttributes);

        read.Id.Should().Be(arvoEvent.Id);
        read.Source!.OriginalString.Should().Be(arvoEvent.Source);
        read.Type.Should().Be(arvoEvent.Type);
        read.Subject.Should().Be(arvoEvent.Subject);
        read.DataContentType.Should().Be(arvoEvent.DataContentType);
        (read.DataSchema?.OriginalString).Should().Be(arvoEvent.DataSchema);
        read.Time.Should().Be(DateTimeOffset.Parse(arvoEvent.Time, System.Globalization.CultureInfo.InvariantCulture));
        JsonNode.DeepEquals(JsonSerializer.SerializeToNode((JsonElement)read.Data!), JsonNode.Parse(arvoEvent.Data.GetRawText())).Should().BeTrue();
        read.GetTo().Should().Be(arvoEvent.To);
        read.GetExecutionUnits().Should().Be(arvoEvent.ExecutionUnits);
        read.GetParentId().Should().Be(arvoEvent.ParentId);
        read.GetDomain().Should().Be(arvoEvent.Domain);
    }

    [Fact]
    public void SdkJsonEventFormatter_RelativeDataSchema_IsRejected()
    {
        // Why Arvo JSON needs this formatter: the SDK's own one cannot read the reference's relative dataschema.
        var body = Formatter.EncodeStructuredModeMessage(TestEvents.Strict(dataSchema: "#/test/machine/0.0.1").ToCloudEvent(), out var contentType);

        var act = () => new SdkJsonEventFormatter().DecodeStructuredModeMessage(body, contentType, ArvoCloudEventAttributes.AllAttributes);

        act.Should().Throw<ArgumentException>();
        ArvoEvent.FromCloudEvent(Formatter.DecodeStructuredModeMessage(body, contentType, null)).DataSchema.Should().Be("#/test/machine/0.0.1");
    }

    [Fact]
    public void DecodeStructuredModeMessage_ExtensionAttributeGiven_TypesTheCustomExtension()
    {
        var callback = CloudEventAttribute.CreateExtension("callback", CloudEventAttributeType.Uri);
        var arvoEvent = TestEvents.Strict(extensions: [new("callback", "https://example.com/hook"), new("priority", 3.0)]);
        var body = ArvoEventJson.SerializeToUtf8Bytes(arvoEvent);

        var cloudEvent = Formatter.DecodeStructuredModeMessage(body, null, [callback, ArvoCloudEventAttributes.DomainAttribute]);

        cloudEvent[callback].Should().Be(new Uri("https://example.com/hook"));
        cloudEvent["priority"].Should().Be(3);
        ArvoEvent.FromCloudEvent(cloudEvent).Should().Be(arvoEvent);
    }

    [Fact]
    public void DecodeStructuredModeMessage_CustomExtensionNotFittingItsGivenType_ThrowsArgumentException()
    {
        var priority = CloudEventAttribute.CreateExtension("priority", CloudEventAttributeType.Integer);
        var body = ArvoEventJson.SerializeToUtf8Bytes(TestEvents.Strict(extensions: [new("priority", "high")]));

        var act = () => Formatter.DecodeStructuredModeMessage(body, null, [priority]);

        act.Should().Throw<ArgumentException>().WithMessage("*priority*");
    }

    [Fact]
    public void DecodeStructuredModeMessage_Utf16Charset_IsTranscoded()
    {
        var arvoEvent = TestEvents.Strict(data: """{"text":"é ü"}""");

        var cloudEvent = Formatter.DecodeStructuredModeMessage(
            Encoding.Unicode.GetBytes(arvoEvent.ToJson()), new ContentType("application/cloudevents+json; charset=utf-16"), null);

        ArvoEvent.FromCloudEvent(cloudEvent).Should().Be(arvoEvent);
    }

    [Fact]
    public void DecodeStructuredModeMessage_InvalidEvent_ThrowsArvoEventValidationExceptionNamingTheAttribute()
    {
        var json = TestEvents.Strict().ToJson().Replace("\"specversion\":\"1.0\"", "\"specversion\":\"0.3\"", StringComparison.Ordinal);

        var act = () => Formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(json), null, null);

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("specversion");
    }

    [Fact]
    public void EncodeStructuredModeMessage_CloudEventWithoutSubject_ThrowsArgumentException()
    {
        var cloudEvent = new CloudEvent { Id = "1", Source = new Uri("urn:x"), Type = "com.x", Data = JsonDocument.Parse("{}").RootElement };

        var act = () => Formatter.EncodeStructuredModeMessage(cloudEvent, out _);

        act.Should().Throw<ArvoEventValidationException>().Which.Should().BeAssignableTo<ArgumentException>();
    }

    [Fact]
    public void DecodeBinaryModeEventData_NotJson_ThrowsNamingData()
    {
        var act = () => Formatter.DecodeBinaryModeEventData("not json"u8.ToArray(), new CloudEvent());

        act.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("data");
    }

    [Fact]
    public void DecodeBinaryModeEventData_EmptyBody_LeavesNoData()
    {
        var cloudEvent = new CloudEvent { Data = "x" };

        Formatter.DecodeBinaryModeEventData(ReadOnlyMemory<byte>.Empty, cloudEvent);

        cloudEvent.Data.Should().BeNull();
    }

    [Fact]
    public void Constructor_ParseOptions_LimitDecoding()
    {
        var formatter = new ArvoJsonEventFormatter(new ArvoEventParseOptions { MaxExtensionAttributes = 0 });
        var body = ArvoEventJson.SerializeToUtf8Bytes(TestEvents.Strict(extensions: [new("custom", "x")]));

        var act = () => formatter.DecodeStructuredModeMessage(body, null, null);

        formatter.ParseOptions.MaxExtensionAttributes.Should().Be(0);
        act.Should().Throw<ArvoEventValidationException>();
    }

    /// <summary>Every event of events.json as JSON text, by path: each <c>wire</c> string and each event object.</summary>
    private static Dictionary<string, string> VectorEvents()
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<(JsonNode Node, string Path)>();
        pending.Push((SpecVectors.Load("events.json"), "$"));
        while (pending.Count > 0)
        {
            var (node, path) = pending.Pop();
            switch (node)
            {
                case JsonObject obj:
                    if (obj.ContainsKey("specversion"))
                    {
                        found[path] = obj.ToJsonString();
                    }

                    foreach (var (key, value) in obj)
                    {
                        if (key == "wire" && value is JsonValue wire)
                        {
                            found[path + ".wire"] = wire.GetValue<string>();
                        }
                        else if (value is not null)
                        {
                            pending.Push((value, path + "." + key));
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is { } item)
                        {
                            pending.Push((item, $"{path}[{i}]"));
                        }
                    }

                    break;
            }
        }

        return found;
    }
}
