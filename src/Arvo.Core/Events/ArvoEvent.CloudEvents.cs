using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Internal;
using CloudNative.CloudEvents;

namespace Arvo;

public sealed partial class ArvoEvent
{
    /// <summary>
    /// Converts the event to a CloudNative.CloudEvents <see cref="CloudEvent"/> (spec 1.0) that knows
    /// <see cref="ArvoCloudEventAttributes.AllAttributes"/>, for use with the SDK's formatters and transports.
    /// <see cref="FromCloudEvent(CloudEvent)"/> turns it back into an equal event.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <c>source</c> becomes a <see cref="UriKind.RelativeOrAbsolute"/> <see cref="Uri"/> and is read back
    /// through <see cref="Uri.OriginalString"/>, so it is never canonicalised; <c>subject</c>, <c>id</c>,
    /// <c>type</c> and <c>datacontenttype</c> are copied; <c>data</c> is the event's <see cref="JsonElement"/>.
    /// <c>dataschema</c>, <c>time</c> and <c>executionunits</c> are carried exactly as described on
    /// <see cref="ArvoCloudEventAttributes"/>. Null attributes are left unset.
    /// </para>
    /// <para>
    /// Custom extensions: strings become String attributes, booleans Boolean attributes, whole numbers in
    /// the <see cref="int"/> range Integer attributes; other numbers become String attributes holding the
    /// number text, and null values are dropped (CloudEvents has no null attribute). An SDK decoder that
    /// does not know a custom attribute reads it as a string.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">The SDK rejects a value, e.g. a control character in a
    /// string attribute, a <c>source</c> that <see cref="Uri"/> cannot parse, or a content type that is not a
    /// valid RFC 2046 expression.</exception>
    public CloudEvent ToCloudEvent() => ToCloudEventUsing(null);

    /// <summary>
    /// <see cref="ToCloudEvent()"/>, with extension attributes a decoder was given: a custom extension named like one
    /// of them gets that attribute's type (its value converted through the CloudEvents text form); attributes named
    /// like an Arvo attribute are ignored in favour of <see cref="ArvoCloudEventAttributes.AllAttributes"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">As for <see cref="ToCloudEvent()"/>, or a custom extension's value does not fit the type of the attribute given for it.</exception>
    internal CloudEvent ToCloudEventUsing(IEnumerable<CloudEventAttribute>? extensionAttributes)
    {
        var attributes = extensionAttributes is null
            ? ArvoCloudEventAttributes.AllAttributes
            : ArvoCloudEventAttributes.AllAttributes.Concat(extensionAttributes.Where(attribute => attribute is null || !ArvoCloudEventAttributes.IsAdapterAttribute(attribute.Name)));
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, attributes);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException($"The extension attributes cannot be used: {exception.Message}", exception);
        }

        try
        {
            cloudEvent.Id = Id;
            cloudEvent.Source = new Uri(Source, UriKind.RelativeOrAbsolute);
            cloudEvent.Type = Type;
            cloudEvent.Subject = Subject;
            cloudEvent.DataContentType = DataContentType;
            cloudEvent.SetArvoDataSchema(DataSchema);
            cloudEvent.SetArvoTime(Time);
            cloudEvent.Data = Data;
            cloudEvent.SetTo(To);
            cloudEvent.SetAccessControl(AccessControl);
            cloudEvent.SetRedirectTo(RedirectTo);
            cloudEvent.SetExecutionUnits(ExecutionUnits);
            cloudEvent.SetTraceParent(TraceParent);
            cloudEvent.SetTraceState(TraceState);
            cloudEvent.SetParentId(ParentId);
            cloudEvent.SetDomain(Domain);

            foreach (var (name, value) in _extensions.AsSpan())
            {
                if (extensionAttributes is not null && cloudEvent.GetAttribute(name) is { IsExtension: true } declared && value is not null)
                {
                    try
                    {
                        cloudEvent[declared] = declared.Type.Parse(ExtensionText(value));
                    }
                    catch (Exception exception) when (exception is ArgumentException or FormatException)
                    {
                        throw new FormatException($"custom extension '{name}' does not fit the type {declared.Type} of the attribute given for it: {exception.Message}", exception);
                    }

                    continue;
                }

                switch (value)
                {
                    case string text:
                        cloudEvent[CloudEventAttribute.CreateExtension(name, CloudEventAttributeType.String)] = text;
                        break;
                    case bool flag:
                        cloudEvent[CloudEventAttribute.CreateExtension(name, CloudEventAttributeType.Boolean)] = flag;
                        break;
                    case double number when number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue:
                        cloudEvent[CloudEventAttribute.CreateExtension(name, CloudEventAttributeType.Integer)] = (int)number;
                        break;
                    case double number:
                        cloudEvent[CloudEventAttribute.CreateExtension(name, CloudEventAttributeType.String)] =
                            number.ToString("R", CultureInfo.InvariantCulture);
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            throw new InvalidOperationException(
                $"The CloudEvents SDK cannot represent ArvoEvent '{Id}': {exception.Message}",
                exception);
        }

        return cloudEvent;
    }

    /// <summary>A custom extension value in CloudEvents text form: strings as they are, booleans as <c>true</c>/<c>false</c>, numbers in their shortest round-trip form.</summary>
    private static string ExtensionText(object value) => value switch
    {
        string text => text,
        bool flag => CloudEventAttributeType.Boolean.Format(flag),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>
    /// Converts a CloudNative.CloudEvents <see cref="CloudEvent"/> into a validated event (strict path,
    /// no encoding), reading the attributes described on <see cref="ArvoCloudEventAttributes"/>.
    /// </summary>
    /// <param name="cloudEvent">The event, e.g. decoded by the SDK's <c>JsonEventFormatter</c>.</param>
    /// <remarks>
    /// <c>data</c> may be a <see cref="JsonElement"/>, a <see cref="JsonNode"/>, UTF-8 JSON bytes (binary
    /// mode), JSON text, or another object (serialized with <see cref="ArvoJson.DefaultSerializerOptions"/>); it must
    /// be a JSON object. A missing <c>datacontenttype</c> means <see cref="ArvoContentType"/>. Extension
    /// attributes other than the Arvo ones become custom extensions (strings, booleans; integers as
    /// <see cref="double"/>; URIs, timestamps and binary values as their CloudEvents text).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="cloudEvent"/> is null.</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is missing or invalid, or a limit of <see cref="ArvoEventParseOptions.Default"/> is exceeded.</exception>
    public static ArvoEvent FromCloudEvent(CloudEvent cloudEvent) => FromCloudEvent(cloudEvent, null);

    /// <summary>
    /// Converts a CloudNative.CloudEvents <see cref="CloudEvent"/> into a validated event, as
    /// <see cref="FromCloudEvent(CloudEvent)"/> does, within the limits of <paramref name="options"/>.
    /// </summary>
    /// <param name="cloudEvent">The event, e.g. decoded by the SDK's <c>JsonEventFormatter</c>.</param>
    /// <param name="options">
    /// Limits: the number of custom extension attributes and the nesting depth of <c>data</c> (counted as if the
    /// event were one JSON object, so <c>data</c> is depth 2); null means <see cref="ArvoEventParseOptions.Default"/>.
    /// </param>
    /// <remarks>
    /// Text that cannot be written as UTF-8 (a string attribute or custom extension with a lone UTF-16 surrogate,
    /// or <c>data</c> holding invalid UTF-8 or an escaped lone surrogate) is rejected, never replaced.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="cloudEvent"/> is null.</exception>
    /// <exception cref="ArvoEventValidationException">An attribute is missing or invalid, or a limit is exceeded.</exception>
    public static ArvoEvent FromCloudEvent(CloudEvent cloudEvent, ArvoEventParseOptions? options)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (cloudEvent.SpecVersion != CloudEventsSpecVersion.V1_0)
        {
            throw new ArvoEventValidationException(
                ArvoEventAttributeNames.SpecVersion,
                "Only CloudEvents spec version 1.0 is supported",
                "\"1.0\"",
                ArvoEventValidationException.Describe(cloudEvent.SpecVersion.VersionId));
        }

        var fields = default(ArvoEventFields);
        fields.Options = options;
        AssignIfSet(ref fields, ArvoEventKey.Id, ArvoEventAttributeNames.Id, cloudEvent.Id);
        AssignIfSet(ref fields, ArvoEventKey.Source, ArvoEventAttributeNames.Source, cloudEvent.Source?.OriginalString);
        AssignIfSet(ref fields, ArvoEventKey.SpecVersion, ArvoEventAttributeNames.SpecVersion, DefaultSpecVersion);
        AssignIfSet(ref fields, ArvoEventKey.Type, ArvoEventAttributeNames.Type, cloudEvent.Type);
        AssignIfSet(ref fields, ArvoEventKey.Subject, ArvoEventAttributeNames.Subject, cloudEvent.Subject);
        AssignIfSet(ref fields, ArvoEventKey.DataContentType, ArvoEventAttributeNames.DataContentType, cloudEvent.DataContentType);
        AssignIfSet(ref fields, ArvoEventKey.DataSchema, ArvoEventAttributeNames.DataSchema, cloudEvent.GetArvoDataSchema());
        AssignIfSet(ref fields, ArvoEventKey.Time, ArvoEventAttributeNames.Time, cloudEvent.GetArvoTime());
        fields.To = cloudEvent.GetTo();
        fields.AccessControl = cloudEvent.GetAccessControl();
        fields.RedirectTo = cloudEvent.GetRedirectTo();
        fields.TraceParent = cloudEvent.GetTraceParent();
        fields.TraceState = cloudEvent.GetTraceState();
        fields.ParentId = cloudEvent.GetParentId();
        fields.Domain = cloudEvent.GetDomain();
        try
        {
            fields.ExecutionUnits = cloudEvent.GetExecutionUnits();
        }
        catch (FormatException exception)
        {
            throw new ArvoEventValidationException(
                ArvoEventAttributeNames.ExecutionUnits,
                "Execution units must be a number",
                "a finite number",
                exception.Message,
                exception);
        }

        if (cloudEvent.Data is not null)
        {
            fields.Assign(ArvoEventKey.Data, ArvoEventAttributeNames.Data, RawValue.FromElement(DataFromCloudEvent(cloudEvent.Data), ArvoEventAttributeNames.Data), dataIsOwned: false);
        }

        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (!attribute.IsExtension || ArvoCloudEventAttributes.IsAdapterAttribute(attribute.Name))
            {
                continue;
            }

            object? normalized = value switch
            {
                string or bool => value,
                int integer => (double)integer,
                _ => attribute.Type.Format(value),
            };
            fields.AddExtensionValue(attribute.Name, normalized);
        }

        return FromFields(ref fields);
    }

    private static void AssignIfSet(ref ArvoEventFields fields, ArvoEventKey key, string name, string? value)
    {
        if (value is not null)
        {
            fields.Assign(key, name, new RawValue(RawKind.String, value), dataIsOwned: false);
        }
    }

    internal static JsonElement DataFromCloudEvent(object data)
    {
        try
        {
            switch (data)
            {
                case JsonElement element:
                    return element;
                case byte[] bytes:
                    {
                        var reader = new Utf8JsonReader(bytes);
                        return JsonElement.ParseValue(ref reader);
                    }

                case string text:
                    using (var document = JsonDocument.Parse(text))
                    {
                        return document.RootElement.Clone();
                    }

                case JsonNode node:
                    return JsonSerializer.SerializeToElement(node, ArvoJson.DefaultSerializerOptions);
                default:
                    return JsonSerializer.SerializeToElement(data, data.GetType(), ArvoJson.DefaultSerializerOptions);
            }
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new ArvoEventValidationException(
                ArvoEventAttributeNames.Data,
                "The CloudEvent's data is not JSON",
                "a JSON object",
                $"a value of type {data.GetType().Name}",
                exception);
        }
    }
}
