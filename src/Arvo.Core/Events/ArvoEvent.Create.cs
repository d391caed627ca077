using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Internal;

namespace Arvo;

public sealed partial class ArvoEvent
{
    /// <summary>
    /// Creates a new event with the reference's defaults (the port of <c>createArvoEvent</c>,
    /// wire-format.md section 2.3).
    /// </summary>
    /// <param name="init">The attributes given by the caller.</param>
    /// <param name="options">Clock, id generator and data serializer options; <see cref="ArvoEventCreationOptions.Default"/> when null.</param>
    /// <returns>The validated event.</returns>
    /// <remarks>
    /// <para>Defaults and transformations:</para>
    /// <list type="bullet">
    /// <item><description><c>id</c>: <see cref="ArvoEventId.Create(ArvoEventId?, IArvoIdGenerator?)"/> with the options' generator (a UUID v4 when <see cref="ArvoEventAttributes.Id"/> is null).</description></item>
    /// <item><description><c>specversion</c>: <c>1.0</c>; <c>datacontenttype</c>: <see cref="ArvoContentType"/> when null.</description></item>
    /// <item><description><c>time</c>: <see cref="ArvoEventAttributes.Time"/> verbatim, else the true UTC instant of the options'
    /// <see cref="TimeProvider"/> as <c>yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'</c> (the reference prints local time with a
    /// <c>+00:00</c> label on non-UTC hosts; the port does not copy that bug).</description></item>
    /// <item><description><c>source</c> and <c>subject</c> pass through JavaScript <c>encodeURI</c>;
    /// <c>to</c>, <c>redirectto</c>, <c>dataschema</c> and <c>parentid</c> too when non-empty.
    /// An empty or null <c>to</c> becomes <c>type</c>; an empty or null <c>redirectto</c>, <c>dataschema</c> or
    /// <c>parentid</c> becomes null.</description></item>
    /// <item><description>Like the reference, the encoding is applied unconditionally, so an already-encoded value is
    /// encoded twice: <c>a%20b</c> becomes <c>a%2520b</c> and <c>x%2Fy</c> becomes <c>x%252Fy</c>. Pass
    /// unencoded values, or build the event with the constructor when the values are already encoded.</description></item>
    /// <item><description><c>accesscontrol</c>, <c>traceparent</c>, <c>tracestate</c>, <c>executionunits</c> and <c>domain</c>
    /// are taken as given (an empty string is kept and therefore rejected).</description></item>
    /// <item><description><c>data</c>: see <see cref="ArvoEventInit.Data"/>.</description></item>
    /// </list>
    /// <para>
    /// Values that need no encoding are not copied, and no regular expressions run, so the method is
    /// suitable for hot paths.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="init"/> is null.</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is invalid after defaults and encoding, or the data
    /// is not (and does not serialize to) a JSON object.</exception>
    public static ArvoEvent Create(ArvoEventInit init, ArvoEventCreationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(init);
        var draft = new ArvoEventDraft
        {
            Source = init.Source,
            Type = init.Type,
            Subject = init.Subject,
            Data = default,
            DataObject = init.Data,
            DataIsObject = true,
            Id = init.Id,
            Time = init.Time,
            DataContentType = init.DataContentType,
            DataSchema = init.DataSchema,
            To = init.To,
            AccessControl = init.AccessControl,
            RedirectTo = init.RedirectTo,
            ExecutionUnits = init.ExecutionUnits,
            TraceParent = init.TraceParent,
            TraceState = init.TraceState,
            ParentId = init.ParentId,
            Domain = init.Domain,
            Extensions = init.Extensions,
        };
        return Create(in draft, options);
    }

    /// <summary>
    /// Creates a new event from a stack value, with exactly the defaults, encoding and validation of
    /// <see cref="Create(ArvoEventInit, ArvoEventCreationOptions?)"/>; nothing is allocated besides the event, its
    /// encoded attributes and (when <see cref="ArvoEventDraft.Data"/> belongs to a disposable document) a copy of the data.
    /// </summary>
    /// <param name="draft">The attributes given by the caller.</param>
    /// <param name="options">Clock, id generator and serializer options; <see cref="ArvoEventCreationOptions.Default"/> when null.</param>
    /// <returns>The validated event.</returns>
    /// <exception cref="ArvoEventValidationException">An attribute is invalid after defaults and encoding, or the data is not a JSON object.</exception>
    public static ArvoEvent Create(in ArvoEventDraft draft, ArvoEventCreationOptions? options = null)
    {
        options ??= ArvoEventCreationOptions.Default;
        var fields = new ArvoEventFields
        {
            Id = ArvoEventId.Create(draft.Id, options.IdGenerator),
            Source = Encode(ArvoEventAttributeNames.Source, draft.Source),
            SpecVersion = DefaultSpecVersion,
            Type = draft.Type,
            Subject = Encode(ArvoEventAttributeNames.Subject, draft.Subject),
            DataContentType = draft.DataContentType ?? ArvoContentType,
            DataSchema = EncodeNonEmpty(ArvoEventAttributeNames.DataSchema, draft.DataSchema),
            Data = draft.DataIsObject ? ToData(draft.DataObject, options.SerializerOptions) : OwnData(draft.Data),
            Time = draft.Time ?? ArvoTime.FormatUtcShared(options.TimeProvider.GetUtcNow()),
            To = string.IsNullOrEmpty(draft.To) ? draft.Type : Encode(ArvoEventAttributeNames.To, draft.To),
            AccessControl = draft.AccessControl,
            RedirectTo = EncodeNonEmpty(ArvoEventAttributeNames.RedirectTo, draft.RedirectTo),
            ExecutionUnits = draft.ExecutionUnits,
            TraceParent = draft.TraceParent,
            TraceState = draft.TraceState,
            ParentId = EncodeNonEmpty(ArvoEventAttributeNames.ParentId, draft.ParentId),
            Domain = draft.Domain,
        };

        return new ArvoEvent(ref fields, ArvoExtensionCollection.Create(draft.Extensions));
    }

    /// <summary>
    /// Builds the event a reader collected: checks that the required attributes were present, applies
    /// the CloudEvents-adapter copies (<c>arvotime</c>, <c>arvodataschema</c>, <c>arvoexecutionunits</c>)
    /// and the default content type, then validates.
    /// </summary>
    internal static ArvoEvent FromFields(ref ArvoEventFields fields)
    {
        if (fields.Has(ArvoEventKey.TimeText) && fields.TimeText is not null)
        {
            fields.Time = fields.TimeText;
            fields.Present |= 1u << (int)ArvoEventKey.Time;
        }

        if (fields.Has(ArvoEventKey.DataSchemaText) && fields.DataSchemaText is not null)
        {
            fields.DataSchema = fields.DataSchemaText;
        }

        if (fields.Has(ArvoEventKey.ExecutionUnitsText) && fields.ExecutionUnitsText is not null)
        {
            fields.ExecutionUnits = fields.ExecutionUnitsText;
        }

        RequirePresent(ref fields, ArvoEventKey.Id, ArvoEventAttributeNames.Id, "a non-empty string");
        RequirePresent(ref fields, ArvoEventKey.Source, ArvoEventAttributeNames.Source, "a non-empty URI-valid string");
        RequirePresent(ref fields, ArvoEventKey.SpecVersion, ArvoEventAttributeNames.SpecVersion, "\"1.0\"");
        RequirePresent(ref fields, ArvoEventKey.Type, ArvoEventAttributeNames.Type, "a reverse-DNS event type");
        RequirePresent(ref fields, ArvoEventKey.Subject, ArvoEventAttributeNames.Subject, "a non-empty URI-valid string");
        RequirePresent(ref fields, ArvoEventKey.Data, ArvoEventAttributeNames.Data, "a JSON object");
        RequirePresent(ref fields, ArvoEventKey.Time, ArvoEventAttributeNames.Time, "an RFC 3339 date-time with an offset");

        if (!fields.Has(ArvoEventKey.DataContentType))
        {
            fields.DataContentType = ArvoContentType;
        }

        return new ArvoEvent(ref fields, ArvoExtensionCollection.FromValidated(fields.Extensions));
    }

    private static void RequirePresent(ref ArvoEventFields fields, ArvoEventKey key, string attribute, string expected)
    {
        if (!fields.Has(key))
        {
            throw ArvoEventValidation.Missing(attribute, expected);
        }
    }

    private static string? Encode(string attribute, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return JsUri.TryEncode(value, out var encoded)
            ? encoded
            : throw new ArvoEventValidationException(
                attribute,
                "The value cannot be URI-encoded (it contains a lone UTF-16 surrogate)",
                "a well-formed UTF-16 string",
                ArvoEventValidationException.Describe(value));
    }

    private static string? EncodeNonEmpty(string attribute, string? value) =>
        string.IsNullOrEmpty(value) ? null : Encode(attribute, value);

    /// <summary>
    /// Turns a payload into event data the way <see cref="Create(ArvoEventInit, ArvoEventCreationOptions?)"/> does: a <see cref="JsonElement"/> or
    /// <see cref="JsonDocument"/> is copied (the event owns its data), anything else is serialized with
    /// <paramref name="options"/>. The result must be a JSON object.
    /// </summary>
    /// <param name="data">The payload; an anonymous object, a record, a dictionary, or JSON.</param>
    /// <param name="options">Serializer options for CLR payloads; null means <see cref="ArvoJson.DefaultSerializerOptions"/>.</param>
    /// <returns>The data as a detached JSON object element.</returns>
    /// <exception cref="ArvoEventValidationException">The payload is null, not a JSON object, or holds text that JSON cannot carry.</exception>
    public static JsonElement ToData(object? data, JsonSerializerOptions? options = null)
    {
        switch (data)
        {
            case null:
                throw new ArvoEventValidationException(ArvoEventAttributeNames.Data, "The data must be a JSON object", "a JSON object", "null");
            case JsonElement element:
                return OwnData(element);
            case JsonDocument document:
                return OwnData(document.RootElement);
        }

        JsonElement serialized;
        try
        {
            serialized = data is JsonNode node
                ? JsonSerializer.SerializeToElement(node, options ?? ArvoJson.DefaultSerializerOptions)
                : JsonSerializer.SerializeToElement(data, data.GetType(), options ?? ArvoJson.DefaultSerializerOptions);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new ArvoEventValidationException(
                ArvoEventAttributeNames.Data,
                "The data cannot be serialized to JSON",
                "a value that System.Text.Json serializes to a JSON object",
                $"a value of type {data.GetType().Name}",
                exception);
        }

        return serialized.ValueKind == JsonValueKind.Object ? serialized : OwnData(serialized);
    }
}
