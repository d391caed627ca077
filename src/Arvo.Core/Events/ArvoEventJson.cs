using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Arvo.Internal;

namespace Arvo.Events;

/// <summary>
/// The structured-mode JSON form of <see cref="ArvoEvent"/> (wire-format.md section 6): one flat object
/// with the core attributes, the custom extensions and the eight Arvo/OpenTelemetry attributes.
/// </summary>
/// <remarks>
/// <para>
/// <b>Writing</b> always emits every core and Arvo/OpenTelemetry key, with explicit <c>null</c>s, in the
/// reference's order: <c>id, source, specversion, type, subject, datacontenttype, dataschema, data, time,
/// &lt;custom extensions…&gt;, to, accesscontrol, redirectto, executionunits, traceparent, tracestate,
/// parentid, domain</c>. <c>data</c> is written exactly as held (numbers keep their text);
/// <c>executionunits</c> and numeric extensions use the shortest round-trip form of the double.
/// The methods that create their own writer use <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>
/// so that, like <c>JSON.stringify</c>, characters such as <c>+</c> are not escaped.
/// </para>
/// <para>
/// <b>Reading</b> validates exactly like the <see cref="ArvoEvent"/> constructor, with these reader rules:
/// a missing Arvo/OpenTelemetry key (<c>to</c>, <c>accesscontrol</c>, <c>redirectto</c>, <c>executionunits</c>,
/// <c>traceparent</c>, <c>tracestate</c>, <c>parentid</c>, <c>domain</c>) reads as null, so arvo-core 2.x events
/// are accepted (a deliberate relaxation: 3.0.25 rejects them); a missing <c>dataschema</c> reads as null
/// (CloudEvents omits absent optional attributes); a missing <c>datacontenttype</c> means
/// <see cref="ArvoEvent.ArvoContentType"/>, as in the reference; <c>id</c>, <c>source</c>, <c>specversion</c>,
/// <c>type</c>, <c>subject</c>, <c>data</c> and <c>time</c> are required. Unknown keys become custom
/// extensions (validated). A repeated top-level attribute name (also one spelled with escapes, such as
/// <c>d\u006fmain</c>) is rejected, a deliberate departure from <c>JSON.parse</c>, which keeps the last value:
/// two readers of the same text must never see two different events. (Repeated keys inside <c>data</c> are kept
/// as System.Text.Json keeps them.) The keys
/// <c>arvotime</c>, <c>arvodataschema</c> and <c>arvoexecutionunits</c>, written by
/// <see cref="ArvoEvent.ToCloudEvent"/> when the CloudEvents SDK cannot hold the exact value, replace
/// <c>time</c>, <c>dataschema</c> and <c>executionunits</c>, so the SDK's JSON output reads back to the same event.
/// </para>
/// <para>
/// Failures (malformed JSON, wrong JSON types such as <c>"executionunits":"5"</c> or <c>"data":[1]</c>,
/// missing, repeated or invalid attributes) throw <see cref="ArvoEventValidationException"/> naming the attribute
/// (<see cref="ArvoEventValidationException.DocumentAttribute"/> for malformed or too deeply nested JSON, with the
/// attribute being read named in the message). No other exception leaves a reading method.
/// </para>
/// <para>
/// <b>Text that cannot be encoded as UTF-8 is rejected, never replaced.</b> A lone UTF-16 surrogate (an unpaired
/// <c>\ud800</c>-<c>\udfff</c> escape, a lone surrogate char in the string given to
/// <see cref="Parse(string, ArvoEventParseOptions?)"/>, or its three-byte encoding in UTF-8 input) or bytes that
/// are not UTF-8, in any attribute, name, custom extension or anywhere inside <c>data</c>, fail with the attribute
/// named and, inside <c>data</c>, the JSON path (for example <c>data.items[2].name</c>). Accepting such text
/// would only move the failure: it cannot be written back as UTF-8, so <see cref="ArvoEvent.ToJson"/>,
/// <see cref="ArvoEvent.Equals(ArvoEvent?)"/>, error reporting and every store that serializes the event would
/// throw later, turning retries into write failures; replacing it with U+FFFD would silently change the event.
/// JavaScript strings may hold lone surrogates and <c>JSON.stringify</c> writes them as <c>\ud800</c>
/// escapes, so an event from a TypeScript producer with such text is rejected with this error, naming the field.
/// </para>
/// <para>
/// <b>Cost is bounded and linear.</b> <see cref="ArvoEventParseOptions"/> limits the number of custom extension
/// attributes (default 256) and the nesting depth (default 64, the event object counting as 1); reading stops at
/// the first excess. The text checks add one vectorised pass over <c>data</c> (a token walk only when it holds
/// surrogate escapes); nothing recurses over user data.
/// </para>
/// </remarks>
public static class ArvoEventJson
{
    private const int MaxCachedBufferBytes = 1 << 20;

    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode(ArvoEventAttributeNames.Id);
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode(ArvoEventAttributeNames.Source);
    private static readonly JsonEncodedText SpecVersionName = JsonEncodedText.Encode(ArvoEventAttributeNames.SpecVersion);
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode(ArvoEventAttributeNames.Type);
    private static readonly JsonEncodedText SubjectName = JsonEncodedText.Encode(ArvoEventAttributeNames.Subject);
    private static readonly JsonEncodedText DataContentTypeName = JsonEncodedText.Encode(ArvoEventAttributeNames.DataContentType);
    private static readonly JsonEncodedText DataSchemaName = JsonEncodedText.Encode(ArvoEventAttributeNames.DataSchema);
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode(ArvoEventAttributeNames.Data);
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode(ArvoEventAttributeNames.Time);
    private static readonly JsonEncodedText ToName = JsonEncodedText.Encode(ArvoEventAttributeNames.To);
    private static readonly JsonEncodedText AccessControlName = JsonEncodedText.Encode(ArvoEventAttributeNames.AccessControl);
    private static readonly JsonEncodedText RedirectToName = JsonEncodedText.Encode(ArvoEventAttributeNames.RedirectTo);
    private static readonly JsonEncodedText ExecutionUnitsName = JsonEncodedText.Encode(ArvoEventAttributeNames.ExecutionUnits);
    private static readonly JsonEncodedText TraceParentName = JsonEncodedText.Encode(ArvoEventAttributeNames.TraceParent);
    private static readonly JsonEncodedText TraceStateName = JsonEncodedText.Encode(ArvoEventAttributeNames.TraceState);
    private static readonly JsonEncodedText ParentIdName = JsonEncodedText.Encode(ArvoEventAttributeNames.ParentId);
    private static readonly JsonEncodedText DomainName = JsonEncodedText.Encode(ArvoEventAttributeNames.Domain);

    private static readonly JsonWriterOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions IndentedOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes <paramref name="arvoEvent"/> as one JSON object to <paramref name="writer"/> (the writer's own options apply).</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="arvoEvent">The event.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(Utf8JsonWriter writer, ArvoEvent arvoEvent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(arvoEvent);

        writer.WriteStartObject();
        writer.WriteString(IdName, arvoEvent.Id);
        writer.WriteString(SourceName, arvoEvent.Source);
        writer.WriteString(SpecVersionName, arvoEvent.SpecVersion);
        writer.WriteString(TypeName, arvoEvent.Type);
        writer.WriteString(SubjectName, arvoEvent.Subject);
        writer.WriteString(DataContentTypeName, arvoEvent.DataContentType);
        WriteNullable(writer, DataSchemaName, arvoEvent.DataSchema);
        writer.WritePropertyName(DataName);
        arvoEvent.Data.WriteTo(writer);
        writer.WriteString(TimeName, arvoEvent.Time);

        foreach (var (name, value) in arvoEvent.ExtensionCollection.AsSpan())
        {
            writer.WritePropertyName(name);
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case double number:
                    writer.WriteNumberValue(number);
                    break;
                default:
                    // Unreachable: values are normalised at construction.
                    throw new InvalidOperationException($"Unsupported extension value type {value.GetType()}.");
            }
        }

        WriteNullable(writer, ToName, arvoEvent.To);
        WriteNullable(writer, AccessControlName, arvoEvent.AccessControl);
        WriteNullable(writer, RedirectToName, arvoEvent.RedirectTo);
        if (arvoEvent.ExecutionUnits is { } units)
        {
            writer.WriteNumber(ExecutionUnitsName, units);
        }
        else
        {
            writer.WriteNull(ExecutionUnitsName);
        }

        WriteNullable(writer, TraceParentName, arvoEvent.TraceParent);
        WriteNullable(writer, TraceStateName, arvoEvent.TraceState);
        WriteNullable(writer, ParentIdName, arvoEvent.ParentId);
        WriteNullable(writer, DomainName, arvoEvent.Domain);
        writer.WriteEndObject();
    }

    /// <summary>The UTF-8 JSON bytes of <paramref name="arvoEvent"/> (compact).</summary>
    /// <param name="arvoEvent">The event.</param>
    /// <exception cref="ArgumentNullException"><paramref name="arvoEvent"/> is null.</exception>
    public static byte[] SerializeToUtf8Bytes(ArvoEvent arvoEvent)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        var (buffer, writer) = RentWriter();
        try
        {
            Write(writer, arvoEvent);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            ReturnWriter(buffer, writer);
        }
    }

    /// <summary>The JSON text of <paramref name="arvoEvent"/>.</summary>
    /// <param name="arvoEvent">The event.</param>
    /// <param name="indented">Indent the output; compact by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="arvoEvent"/> is null.</exception>
    public static string Serialize(ArvoEvent arvoEvent, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        if (indented)
        {
            var output = new ArrayBufferWriter<byte>(1024);
            using (var indentedWriter = new Utf8JsonWriter(output, IndentedOptions))
            {
                Write(indentedWriter, arvoEvent);
            }

            return Encoding.UTF8.GetString(output.WrittenSpan);
        }

        var (buffer, writer) = RentWriter();
        try
        {
            Write(writer, arvoEvent);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            ReturnWriter(buffer, writer);
        }
    }

    /// <summary>Reads an event from JSON text, with <see cref="ArvoEventParseOptions.Default"/> limits.</summary>
    /// <param name="json">One JSON object.</param>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArvoEventValidationException">The text is malformed, exceeds a limit, or the event is invalid.</exception>
    public static ArvoEvent Parse(string json) => Parse(json, null);

    /// <summary>Reads an event from JSON text.</summary>
    /// <param name="json">One JSON object. A lone surrogate char in it is rejected, never replaced by U+FFFD.</param>
    /// <param name="options">Limits; null means <see cref="ArvoEventParseOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArvoEventValidationException">The text is malformed, exceeds a limit, or the event is invalid.</exception>
    public static ArvoEvent Parse(string json, ArvoEventParseOptions? options)
    {
        ArgumentNullException.ThrowIfNull(json);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = JsonText.TranscodeWithoutReplacement(json, rented);
            return Parse(rented.AsSpan(0, length), options);
        }
        finally
        {
            PooledArrays.Return(rented);
        }
    }

    /// <summary>Reads an event from UTF-8 JSON (a leading UTF-8 byte-order mark is skipped), with <see cref="ArvoEventParseOptions.Default"/> limits.</summary>
    /// <param name="utf8Json">One JSON object; only <c>data</c> is copied, the span is not retained.</param>
    /// <exception cref="ArvoEventValidationException">The JSON is malformed, exceeds a limit, or the event is invalid.</exception>
    public static ArvoEvent Parse(ReadOnlySpan<byte> utf8Json) => Parse(utf8Json, null);

    /// <summary>Reads an event from UTF-8 JSON (a leading UTF-8 byte-order mark is skipped).</summary>
    /// <param name="utf8Json">One JSON object; only <c>data</c> is copied, the span is not retained. Bytes that are not UTF-8 are rejected, never replaced.</param>
    /// <param name="options">Limits; null means <see cref="ArvoEventParseOptions.Default"/>.</param>
    /// <exception cref="ArvoEventValidationException">The JSON is malformed, exceeds a limit, or the event is invalid.</exception>
    public static ArvoEvent Parse(ReadOnlySpan<byte> utf8Json, ArvoEventParseOptions? options)
    {
        if (utf8Json.StartsWith(Utf8Bom))
        {
            utf8Json = utf8Json[Utf8Bom.Length..];
        }

        options ??= ArvoEventParseOptions.Default;
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = options.MaxDepth });
        var arvoEvent = Read(ref reader, options);
        try
        {
            if (reader.Read())
            {
                throw Malformed($"unexpected content after the event object ({reader.TokenType})", null);
            }
        }
        catch (JsonException exception)
        {
            throw Malformed(exception.Message, exception);
        }

        return arvoEvent;
    }

    /// <summary>Reads an event from a parsed JSON value, with <see cref="ArvoEventParseOptions.Default"/> limits; <c>data</c> is cloned, so the caller may dispose the document.</summary>
    /// <param name="element">A JSON object.</param>
    /// <exception cref="ArvoEventValidationException">The value is not an object, exceeds a limit, or the event is invalid.</exception>
    public static ArvoEvent Parse(JsonElement element) => Parse(element, null);

    /// <summary>Reads an event from a parsed JSON value; <c>data</c> is cloned, so the caller may dispose the document.</summary>
    /// <param name="element">A JSON object.</param>
    /// <param name="options">Limits (the depth of <c>data</c> is checked, whatever the document's own limit was); null means <see cref="ArvoEventParseOptions.Default"/>.</param>
    /// <exception cref="ArvoEventValidationException">The value is not an object, exceeds a limit, or the event is invalid.</exception>
    public static ArvoEvent Parse(JsonElement element, ArvoEventParseOptions? options)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArvoEventValidationException(
                ArvoEventValidationException.DocumentAttribute,
                "An ArvoEvent must be a JSON object",
                "a JSON object",
                element.ValueKind == JsonValueKind.Undefined ? "undefined" : ArvoEventValidationException.Describe(JsonText.DisplayElement(element)));
        }

        var fields = default(ArvoEventFields);
        fields.Options = options;
        foreach (var property in element.EnumerateObject())
        {
            var rawName = JsonMarshal.GetRawUtf8PropertyName(property);
            var problem = JsonText.CheckStringToken(rawName);
            if (problem != TextProblem.None)
            {
                var shown = JsonText.Display(rawName);
                throw ArvoEventFields.BadText(shown, "The attribute name", problem, JsonText.Excerpt(rawName, quote: true));
            }

            var name = property.Name;
            fields.Assign(ArvoEventFields.Identify(name), name, RawValue.FromElement(property.Value, name), dataIsOwned: false);
        }

        return ArvoEvent.FromFields(ref fields);
    }

    /// <summary>
    /// Reads one event object from <paramref name="reader"/> (positioned before or on its
    /// <see cref="JsonTokenType.StartObject"/>), leaving the reader on the closing
    /// <see cref="JsonTokenType.EndObject"/>. Used by <see cref="ArvoEventJsonConverter"/>. The nesting depth is
    /// bounded by the reader's own <see cref="JsonReaderOptions.MaxDepth"/>; other limits are the defaults.
    /// </summary>
    /// <param name="reader">The reader.</param>
    /// <exception cref="ArvoEventValidationException">The JSON is malformed, exceeds a limit, or the event is invalid.</exception>
    public static ArvoEvent Read(ref Utf8JsonReader reader) => Read(ref reader, null);

    /// <summary>
    /// Reads one event object from <paramref name="reader"/> (positioned before or on its
    /// <see cref="JsonTokenType.StartObject"/>), leaving the reader on the closing
    /// <see cref="JsonTokenType.EndObject"/>. The nesting depth is bounded by the reader's own
    /// <see cref="JsonReaderOptions.MaxDepth"/> (<see cref="ArvoEventParseOptions.MaxDepth"/> applies to the
    /// overloads of <c>Parse</c>, which create the reader).
    /// </summary>
    /// <param name="reader">The reader.</param>
    /// <param name="options">Limits; null means <see cref="ArvoEventParseOptions.Default"/>.</param>
    /// <exception cref="ArvoEventValidationException">The JSON is malformed, exceeds a limit, or the event is invalid.</exception>
    public static ArvoEvent Read(ref Utf8JsonReader reader, ArvoEventParseOptions? options)
    {
        string? current = null;
        try
        {
            if (reader.TokenType is JsonTokenType.None or JsonTokenType.PropertyName && !reader.Read())
            {
                throw Malformed("the input is empty", null);
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ArvoEventValidationException(
                    ArvoEventValidationException.DocumentAttribute,
                    "An ArvoEvent must be a JSON object",
                    "a JSON object",
                    reader.TokenType.ToString());
            }

            var fields = default(ArvoEventFields);
            fields.Options = options;
            while (true)
            {
                current = null;
                if (!reader.Read())
                {
                    throw Malformed("the input ends inside the event object", null);
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                string? name = null;
                var key = !reader.ValueIsEscaped && !reader.HasValueSequence
                    ? ArvoEventFields.Identify(reader.ValueSpan)
                    : ArvoEventFields.Identify(name = ArvoEventFields.GetString(ref reader, null));
                name ??= key == ArvoEventKey.Unknown ? ArvoEventFields.GetString(ref reader, null) : KeyName(key);
                current = name;

                reader.Read();
                var value = reader.TokenType switch
                {
                    JsonTokenType.String => new RawValue(RawKind.String, ArvoEventFields.GetString(ref reader, name)),
                    JsonTokenType.Number => ReadNumber(ref reader),
                    JsonTokenType.True => new RawValue(RawKind.True),
                    JsonTokenType.False => new RawValue(RawKind.False),
                    JsonTokenType.Null => new RawValue(RawKind.Null),
                    JsonTokenType.StartObject => new RawValue(RawKind.Object, element: JsonElement.ParseValue(ref reader)),
                    _ => new RawValue(RawKind.Array, element: JsonElement.ParseValue(ref reader)),
                };

                fields.Assign(key, name, value, dataIsOwned: true);
            }

            return ArvoEvent.FromFields(ref fields);
        }
        catch (JsonException exception)
        {
            throw Malformed(current is null ? exception.Message : $"{exception.Message} (in the value of '{current}')", exception);
        }
    }

    private static RawValue ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return new RawValue(RawKind.Number, null, number, numberIsFinite: true);
        }

        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
        return new RawValue(RawKind.Number, Encoding.UTF8.GetString(raw));
    }

    private static string KeyName(ArvoEventKey key) => key switch
    {
        ArvoEventKey.Id => ArvoEventAttributeNames.Id,
        ArvoEventKey.Source => ArvoEventAttributeNames.Source,
        ArvoEventKey.SpecVersion => ArvoEventAttributeNames.SpecVersion,
        ArvoEventKey.Type => ArvoEventAttributeNames.Type,
        ArvoEventKey.Subject => ArvoEventAttributeNames.Subject,
        ArvoEventKey.DataContentType => ArvoEventAttributeNames.DataContentType,
        ArvoEventKey.DataSchema => ArvoEventAttributeNames.DataSchema,
        ArvoEventKey.Data => ArvoEventAttributeNames.Data,
        ArvoEventKey.Time => ArvoEventAttributeNames.Time,
        ArvoEventKey.To => ArvoEventAttributeNames.To,
        ArvoEventKey.AccessControl => ArvoEventAttributeNames.AccessControl,
        ArvoEventKey.RedirectTo => ArvoEventAttributeNames.RedirectTo,
        ArvoEventKey.ExecutionUnits => ArvoEventAttributeNames.ExecutionUnits,
        ArvoEventKey.TraceParent => ArvoEventAttributeNames.TraceParent,
        ArvoEventKey.TraceState => ArvoEventAttributeNames.TraceState,
        ArvoEventKey.ParentId => ArvoEventAttributeNames.ParentId,
        ArvoEventKey.Domain => ArvoEventAttributeNames.Domain,
        ArvoEventKey.DataSchemaText => ArvoCloudEventAttributes.DataSchemaTextName,
        ArvoEventKey.TimeText => ArvoCloudEventAttributes.TimeTextName,
        ArvoEventKey.ExecutionUnitsText => ArvoCloudEventAttributes.ExecutionUnitsTextName,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Not a known attribute."),
    };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static void WriteNullable(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static ArvoEventValidationException Malformed(string detail, Exception? inner) =>
        new(ArvoEventValidationException.DocumentAttribute, "The JSON text is malformed", "one well-formed JSON object", detail, inner);

    // One cached (buffer, writer) pair per thread; a nested call on the same thread gets a fresh pair.
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) RentWriter()
    {
        var buffer = t_buffer;
        var writer = t_writer;
        t_buffer = null;
        t_writer = null;
        if (buffer is null || writer is null)
        {
            buffer = new ArrayBufferWriter<byte>(1024);
            writer = new Utf8JsonWriter(buffer, CompactOptions);
        }
        else
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
        }

        return (buffer, writer);
    }

    private static void ReturnWriter(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        if (buffer.Capacity <= MaxCachedBufferBytes)
        {
            t_buffer = buffer;
            t_writer = writer;
        }
        else
        {
            writer.Dispose();
        }
    }
}
