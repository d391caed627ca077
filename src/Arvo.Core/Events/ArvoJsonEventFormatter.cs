using System.Buffers;
using System.Net.Mime;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;

namespace Arvo.Events;

/// <summary>
/// A CloudNative.CloudEvents <see cref="CloudEventFormatter"/> whose JSON is the Arvo wire format
/// (wire-format.md section 6), so that any SDK binding (HTTP, AMQP, Kafka, …) carries Arvo events unchanged, in the
/// form the TypeScript packages read and write.
/// </summary>
/// <remarks>
/// <para>
/// <b>Structured mode</b> writes exactly what <see cref="ArvoEventJson"/> writes for the event the
/// <see cref="CloudEvent"/> holds (<see cref="ArvoEvent.FromCloudEvent(CloudEvent, ArvoEventParseOptions?)"/>): every
/// core and Arvo attribute, explicit <c>null</c>s, the reference's key order, <c>data</c> as a JSON object. Reading
/// accepts what <see cref="ArvoEventJson"/> accepts and returns <see cref="ArvoEvent.ToCloudEvent()"/> of the event,
/// so <c>time</c>, a relative <c>dataschema</c> and a non-integer <c>executionunits</c> survive exactly (see
/// <see cref="ArvoCloudEventAttributes"/>). The SDK's own <c>JsonEventFormatter</c> reads the output too, as far as
/// its types allow (it rejects a relative <c>dataschema</c> and a non-integer <c>executionunits</c>).
/// </para>
/// <para>
/// <b>Batch mode</b> is a JSON array of such objects (<c>application/cloudevents-batch+json</c>).
/// </para>
/// <para>
/// <b>Binary mode</b> carries <c>data</c> as its JSON text; the attributes travel in the binding's headers. Arvo's
/// default <c>datacontenttype</c>, <see cref="ArvoEvent.ArvoContentType"/>
/// (<c>application/cloudevents+json;…</c>), is also the binding's content type in binary mode, and the HTTP binding
/// reads any <c>application/cloudevents</c> content type as structured mode: over HTTP, use structured mode (as the
/// reference does), or binary mode only for events with another <c>datacontenttype</c> such as
/// <c>application/json</c>.
/// </para>
/// <para>
/// Text is UTF-8; a structured or batch message declaring another charset is transcoded first. Immutable and
/// thread-safe.
/// </para>
/// </remarks>
public sealed class ArvoJsonEventFormatter : CloudEventFormatter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates a formatter that reads within <see cref="ArvoEventParseOptions.Default"/>.</summary>
    public ArvoJsonEventFormatter()
        : this(null)
    {
    }

    /// <summary>Creates a formatter that reads within <paramref name="parseOptions"/>.</summary>
    /// <param name="parseOptions">Limits for every event read (and every event taken from a <see cref="CloudEvent"/> to write); null means <see cref="ArvoEventParseOptions.Default"/>.</param>
    public ArvoJsonEventFormatter(ArvoEventParseOptions? parseOptions) => ParseOptions = parseOptions ?? ArvoEventParseOptions.Default;

    /// <summary>The shared formatter with <see cref="ArvoEventParseOptions.Default"/>.</summary>
    public static ArvoJsonEventFormatter Instance { get; } = new();

    /// <summary>The content type of a structured-mode message: <c>application/cloudevents+json; charset=utf-8</c>.</summary>
    public static string StructuredContentType { get; } = MimeUtilities.MediaType + "+json; charset=utf-8";

    /// <summary>The content type of a batch-mode message: <c>application/cloudevents-batch+json; charset=utf-8</c>.</summary>
    public static string BatchContentType { get; } = MimeUtilities.BatchMediaType + "+json; charset=utf-8";

    /// <summary>The limits every event read or written is checked against.</summary>
    public ArvoEventParseOptions ParseOptions { get; }

    /// <summary>Writes the event as Arvo JSON (byte for byte what <see cref="ArvoEventJson.SerializeToUtf8Bytes"/> writes).</summary>
    /// <param name="cloudEvent">The event, e.g. from <see cref="ArvoEvent.ToCloudEvent()"/>.</param>
    /// <param name="contentType">Receives <see cref="StructuredContentType"/>.</param>
    /// <returns>The UTF-8 JSON.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cloudEvent"/> is null.</exception>
    /// <exception cref="ArvoEventValidationException">The CloudEvent is not a valid Arvo event (an <see cref="ArgumentException"/>, as the SDK's formatters throw).</exception>
    public override ReadOnlyMemory<byte> EncodeStructuredModeMessage(CloudEvent cloudEvent, out ContentType contentType)
    {
        var arvoEvent = ArvoEvent.FromCloudEvent(cloudEvent, ParseOptions);
        contentType = new ContentType(StructuredContentType);
        return ArvoEventJson.SerializeToUtf8Bytes(arvoEvent);
    }

    /// <summary>Reads one Arvo JSON event.</summary>
    /// <param name="body">The message body.</param>
    /// <param name="contentType">The message's content type, or null (UTF-8 is assumed unless it names another charset).</param>
    /// <param name="extensionAttributes">Extension attributes to type custom extensions with; the Arvo attributes are always known.</param>
    /// <returns>The event, as <see cref="ArvoEvent.ToCloudEvent()"/> gives it.</returns>
    /// <exception cref="ArvoEventValidationException">The body is not one valid Arvo event.</exception>
    /// <exception cref="ArgumentException">The event cannot be represented by the SDK, or a custom extension does not fit the attribute given for it.</exception>
    public override CloudEvent DecodeStructuredModeMessage(ReadOnlyMemory<byte> body, ContentType? contentType, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        var utf8 = Utf8(body, contentType);
        return ToCloudEvent(ArvoEventJson.Parse(utf8.Span, ParseOptions), extensionAttributes);
    }

    /// <summary>Writes the events as a JSON array of Arvo JSON objects.</summary>
    /// <param name="cloudEvents">The events.</param>
    /// <param name="contentType">Receives <see cref="BatchContentType"/>.</param>
    /// <returns>The UTF-8 JSON.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cloudEvents"/> is null.</exception>
    /// <exception cref="ArgumentException">An element is null, or not a valid Arvo event.</exception>
    public override ReadOnlyMemory<byte> EncodeBatchModeMessage(IEnumerable<CloudEvent> cloudEvents, out ContentType contentType)
    {
        ArgumentNullException.ThrowIfNull(cloudEvents);
        var output = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var cloudEvent in cloudEvents)
            {
                if (cloudEvent is null)
                {
                    throw new ArgumentException("A batch cannot contain a null event.", nameof(cloudEvents));
                }

                ArvoEventJson.Write(writer, ArvoEvent.FromCloudEvent(cloudEvent, ParseOptions));
            }

            writer.WriteEndArray();
        }

        contentType = new ContentType(BatchContentType);
        return output.WrittenMemory;
    }

    /// <summary>Reads a JSON array of Arvo JSON events.</summary>
    /// <param name="body">The message body.</param>
    /// <param name="contentType">The message's content type, or null (UTF-8 is assumed unless it names another charset).</param>
    /// <param name="extensionAttributes">Extension attributes to type custom extensions with.</param>
    /// <returns>The events, in order.</returns>
    /// <exception cref="ArvoEventValidationException">The body is not a JSON array of valid Arvo events.</exception>
    /// <exception cref="ArgumentException">An event cannot be represented by the SDK.</exception>
    public override IReadOnlyList<CloudEvent> DecodeBatchModeMessage(ReadOnlyMemory<byte> body, ContentType? contentType, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        var utf8 = Utf8(body, contentType);

        // The array adds one level above each event.
        var reader = new Utf8JsonReader(utf8.Span, new JsonReaderOptions { MaxDepth = ParseOptions.MaxDepth + 1 });
        var events = new List<CloudEvent>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new ArvoEventValidationException(
                    ArvoEventValidationException.DocumentAttribute,
                    "A batch must be a JSON array",
                    "a JSON array of events",
                    reader.TokenType == JsonTokenType.None ? "nothing" : reader.TokenType.ToString());
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                events.Add(ToCloudEvent(ArvoEventJson.Read(ref reader, ParseOptions), extensionAttributes));
            }

            if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
            {
                throw Malformed("the batch array is not closed, or content follows it", null);
            }
        }
        catch (JsonException exception)
        {
            throw Malformed(exception.Message, exception);
        }

        return events;
    }

    /// <summary>The JSON text of the event's data (empty when it has none).</summary>
    /// <param name="cloudEvent">The event; its data may be a <see cref="JsonElement"/>, a <c>JsonNode</c>, UTF-8 JSON bytes, JSON text or another object (serialized with web defaults).</param>
    /// <returns>The UTF-8 JSON of <c>data</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cloudEvent"/> is null.</exception>
    /// <exception cref="ArvoEventValidationException">The data is not JSON.</exception>
    public override ReadOnlyMemory<byte> EncodeBinaryModeEventData(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (cloudEvent.Data is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var data = ArvoEvent.DataFromCloudEvent(cloudEvent.Data);
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            data.WriteTo(writer);
        }

        return output.WrittenMemory;
    }

    /// <summary>Sets the event's data to the JSON value of <paramref name="body"/> (a <see cref="JsonElement"/>; none when the body is empty).</summary>
    /// <param name="body">The message body.</param>
    /// <param name="cloudEvent">The event being decoded.</param>
    /// <exception cref="ArgumentNullException"><paramref name="cloudEvent"/> is null.</exception>
    /// <exception cref="ArvoEventValidationException">The body is not JSON, or is nested deeper than <see cref="ParseOptions"/> allow.</exception>
    public override void DecodeBinaryModeEventData(ReadOnlyMemory<byte> body, CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (body.IsEmpty)
        {
            cloudEvent.Data = null;
            return;
        }

        try
        {
            // data sits at depth 2 of an event, so it may nest one level less than the event.
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = ParseOptions.MaxDepth - 1 });
            cloudEvent.Data = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new ArvoEventValidationException(
                ArvoEventAttributeNames.Data,
                "The binary-mode data is not JSON",
                "a JSON object",
                exception.Message,
                exception);
        }
    }

    private static ReadOnlyMemory<byte> Utf8(ReadOnlyMemory<byte> body, ContentType? contentType)
    {
        var encoding = MimeUtilities.GetEncoding(contentType);
        return encoding is UTF8Encoding ? body : Encoding.Convert(encoding, Encoding.UTF8, body.ToArray());
    }

    private static CloudEvent ToCloudEvent(ArvoEvent arvoEvent, IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        try
        {
            return arvoEvent.ToCloudEventUsing(extensionAttributes);
        }
        catch (InvalidOperationException exception)
        {
            throw new ArgumentException(exception.Message, exception);
        }
    }

    private static ArvoEventValidationException Malformed(string detail, Exception? inner) =>
        new(ArvoEventValidationException.DocumentAttribute, "The JSON text is malformed", "one JSON array of event objects", detail, inner);
}
