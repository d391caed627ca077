using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Arvo.Events;

namespace Arvo.Internal;

/// <summary>The attributes a reader recognises, plus <see cref="Unknown"/> for custom extensions.</summary>
internal enum ArvoEventKey : byte
{
    Unknown,
    Id,
    Source,
    SpecVersion,
    Type,
    Subject,
    DataContentType,
    DataSchema,
    Data,
    Time,
    To,
    AccessControl,
    RedirectTo,
    ExecutionUnits,
    TraceParent,
    TraceState,
    ParentId,
    Domain,
    DataSchemaText,
    TimeText,
    ExecutionUnitsText,
}

/// <summary>The JSON kind of a value read for one attribute.</summary>
internal enum RawKind : byte
{
    String,
    Number,
    True,
    False,
    Null,
    Object,
    Array,
}

/// <summary>One attribute value as read from JSON (either from a <see cref="Utf8JsonReader"/> or a <see cref="JsonElement"/>).</summary>
internal readonly struct RawValue
{
    public RawValue(RawKind kind, string? text = null, double number = 0, bool numberIsFinite = false, JsonElement element = default)
    {
        Kind = kind;
        Text = text;
        Number = number;
        NumberIsFinite = numberIsFinite;
        Element = element;
    }

    public RawKind Kind { get; }

    /// <summary>The string value (<see cref="RawKind.String"/>) or the raw number text (<see cref="RawKind.Number"/>).</summary>
    public string? Text { get; }

    public double Number { get; }

    /// <summary>False when the number overflows a double.</summary>
    public bool NumberIsFinite { get; }

    /// <summary>The value for <see cref="RawKind.Object"/> and <see cref="RawKind.Array"/>.</summary>
    public JsonElement Element { get; }

    /// <summary>Reads a value of a parsed document; a string that cannot be a .NET string fails naming <paramref name="attribute"/>.</summary>
    /// <exception cref="ArvoEventValidationException">The string holds invalid UTF-8 or a lone surrogate.</exception>
    public static RawValue FromElement(JsonElement element, string attribute) => element.ValueKind switch
    {
        JsonValueKind.String => new RawValue(RawKind.String, ArvoEventFields.GetString(element, attribute)),
        JsonValueKind.Number => element.TryGetDouble(out var number) && double.IsFinite(number)
            ? new RawValue(RawKind.Number, null, number, numberIsFinite: true)
            : new RawValue(RawKind.Number, element.GetRawText()),
        JsonValueKind.True => new RawValue(RawKind.True),
        JsonValueKind.False => new RawValue(RawKind.False),
        JsonValueKind.Null => new RawValue(RawKind.Null),
        JsonValueKind.Object => new RawValue(RawKind.Object, element: element),
        _ => new RawValue(RawKind.Array, element: element),
    };

    /// <summary>A short display form for error messages.</summary>
    public string Describe() => Kind switch
    {
        RawKind.String => "string " + ArvoEventValidationException.Describe(Text),
        RawKind.Number => "number " + (Text ?? Number.ToString("R", CultureInfo.InvariantCulture)),
        RawKind.True => "boolean true",
        RawKind.False => "boolean false",
        RawKind.Null => "null",
        RawKind.Object => "object " + ArvoEventValidationException.Describe(JsonText.DisplayElement(Element)),
        _ => "array " + ArvoEventValidationException.Describe(JsonText.DisplayElement(Element)),
    };
}

/// <summary>
/// The mutable state of a JSON (or CloudEvent) read: attribute values, which keys were present, and
/// the custom extensions. <see cref="ArvoEvent.FromFields"/> turns it into a validated event.
/// </summary>
internal struct ArvoEventFields
{
    public string? Id;
    public string? Source;
    public string? SpecVersion;
    public string? Type;
    public string? Subject;
    public string? DataContentType;
    public string? DataSchema;
    public JsonElement Data;
    public string? Time;
    public string? To;
    public string? AccessControl;
    public string? RedirectTo;
    public double? ExecutionUnits;
    public string? TraceParent;
    public string? TraceState;
    public string? ParentId;
    public string? Domain;
    public string? DataSchemaText;
    public string? TimeText;
    public double? ExecutionUnitsText;
    public uint Present;
    public List<KeyValuePair<string, object?>>? Extensions;

    /// <summary>The limits of the read; null means <see cref="ArvoEventParseOptions.Default"/>.</summary>
    public ArvoEventParseOptions? Options;

    // Positions of the extension names once there are more than a few, so that adding n extensions is O(n).
    private Dictionary<string, int>? _extensionIndex;

    private const int ExtensionIndexThreshold = 8;

    public readonly bool Has(ArvoEventKey key) => (Present & (1u << (int)key)) != 0;

    /// <summary>Identifies an unescaped UTF-8 property name.</summary>
    public static ArvoEventKey Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("id"u8) => ArvoEventKey.Id,
        2 when name.SequenceEqual("to"u8) => ArvoEventKey.To,
        4 when name.SequenceEqual("type"u8) => ArvoEventKey.Type,
        4 when name.SequenceEqual("data"u8) => ArvoEventKey.Data,
        4 when name.SequenceEqual("time"u8) => ArvoEventKey.Time,
        6 when name.SequenceEqual("source"u8) => ArvoEventKey.Source,
        6 when name.SequenceEqual("domain"u8) => ArvoEventKey.Domain,
        7 when name.SequenceEqual("subject"u8) => ArvoEventKey.Subject,
        8 when name.SequenceEqual("parentid"u8) => ArvoEventKey.ParentId,
        8 when name.SequenceEqual("arvotime"u8) => ArvoEventKey.TimeText,
        10 when name.SequenceEqual("dataschema"u8) => ArvoEventKey.DataSchema,
        10 when name.SequenceEqual("redirectto"u8) => ArvoEventKey.RedirectTo,
        10 when name.SequenceEqual("tracestate"u8) => ArvoEventKey.TraceState,
        11 when name.SequenceEqual("specversion"u8) => ArvoEventKey.SpecVersion,
        11 when name.SequenceEqual("traceparent"u8) => ArvoEventKey.TraceParent,
        13 when name.SequenceEqual("accesscontrol"u8) => ArvoEventKey.AccessControl,
        14 when name.SequenceEqual("executionunits"u8) => ArvoEventKey.ExecutionUnits,
        14 when name.SequenceEqual("arvodataschema"u8) => ArvoEventKey.DataSchemaText,
        15 when name.SequenceEqual("datacontenttype"u8) => ArvoEventKey.DataContentType,
        18 when name.SequenceEqual("arvoexecutionunits"u8) => ArvoEventKey.ExecutionUnitsText,
        _ => ArvoEventKey.Unknown,
    };

    /// <summary>Identifies a property name.</summary>
    public static ArvoEventKey Identify(string name) => name switch
    {
        ArvoEventAttributeNames.Id => ArvoEventKey.Id,
        ArvoEventAttributeNames.Source => ArvoEventKey.Source,
        ArvoEventAttributeNames.SpecVersion => ArvoEventKey.SpecVersion,
        ArvoEventAttributeNames.Type => ArvoEventKey.Type,
        ArvoEventAttributeNames.Subject => ArvoEventKey.Subject,
        ArvoEventAttributeNames.DataContentType => ArvoEventKey.DataContentType,
        ArvoEventAttributeNames.DataSchema => ArvoEventKey.DataSchema,
        ArvoEventAttributeNames.Data => ArvoEventKey.Data,
        ArvoEventAttributeNames.Time => ArvoEventKey.Time,
        ArvoEventAttributeNames.To => ArvoEventKey.To,
        ArvoEventAttributeNames.AccessControl => ArvoEventKey.AccessControl,
        ArvoEventAttributeNames.RedirectTo => ArvoEventKey.RedirectTo,
        ArvoEventAttributeNames.ExecutionUnits => ArvoEventKey.ExecutionUnits,
        ArvoEventAttributeNames.TraceParent => ArvoEventKey.TraceParent,
        ArvoEventAttributeNames.TraceState => ArvoEventKey.TraceState,
        ArvoEventAttributeNames.ParentId => ArvoEventKey.ParentId,
        ArvoEventAttributeNames.Domain => ArvoEventKey.Domain,
        ArvoCloudEventAttributes.DataSchemaTextName => ArvoEventKey.DataSchemaText,
        ArvoCloudEventAttributes.TimeTextName => ArvoEventKey.TimeText,
        ArvoCloudEventAttributes.ExecutionUnitsTextName => ArvoEventKey.ExecutionUnitsText,
        _ => ArvoEventKey.Unknown,
    };

    /// <summary>The limits in force.</summary>
    public readonly ArvoEventParseOptions Limits => Options ?? ArvoEventParseOptions.Default;

    /// <summary>
    /// Stores one attribute value after checking its JSON type. A repeated attribute name is rejected (unlike
    /// JavaScript's <c>JSON.parse</c>, which keeps the last value): two readers of the same text must not
    /// see two different events.
    /// </summary>
    /// <param name="key">The identified key.</param>
    /// <param name="name">The property name (used for custom extensions and messages).</param>
    /// <param name="value">The value.</param>
    /// <param name="dataIsOwned">True when an object value for <c>data</c> is already owned (no clone needed).</param>
    /// <exception cref="ArvoEventValidationException">The attribute is repeated, has the wrong JSON type, or is one extension too many.</exception>
    public void Assign(ArvoEventKey key, string name, in RawValue value, bool dataIsOwned)
    {
        if (key != ArvoEventKey.Unknown && Has(key))
        {
            throw Duplicate(name);
        }

        Present |= 1u << (int)key;
        switch (key)
        {
            case ArvoEventKey.Id: Id = StringOrNull(name, value); break;
            case ArvoEventKey.Source: Source = StringOrNull(name, value); break;
            case ArvoEventKey.SpecVersion: SpecVersion = StringOrNull(name, value); break;
            case ArvoEventKey.Type: Type = StringOrNull(name, value); break;
            case ArvoEventKey.Subject: Subject = StringOrNull(name, value); break;
            case ArvoEventKey.DataContentType: DataContentType = StringOrNull(name, value); break;
            case ArvoEventKey.DataSchema: DataSchema = StringOrNull(name, value); break;
            case ArvoEventKey.Time: Time = StringOrNull(name, value); break;
            case ArvoEventKey.To: To = StringOrNull(name, value); break;
            case ArvoEventKey.AccessControl: AccessControl = StringOrNull(name, value); break;
            case ArvoEventKey.RedirectTo: RedirectTo = StringOrNull(name, value); break;
            case ArvoEventKey.TraceParent: TraceParent = StringOrNull(name, value); break;
            case ArvoEventKey.TraceState: TraceState = StringOrNull(name, value); break;
            case ArvoEventKey.ParentId: ParentId = StringOrNull(name, value); break;
            case ArvoEventKey.Domain: Domain = StringOrNull(name, value); break;
            case ArvoEventKey.DataSchemaText: DataSchemaText = StringOrNull(name, value); break;
            case ArvoEventKey.TimeText: TimeText = StringOrNull(name, value); break;
            case ArvoEventKey.Data:
                if (value.Kind != RawKind.Object)
                {
                    throw new ArvoEventValidationException(name, "The data must be a JSON object", "a JSON object", value.Describe());
                }

                // Owned data comes from the UTF-8 reader, whose MaxDepth already bounds it; a parsed document
                // (JsonElement, CloudEvent) may have been read with other limits, so its depth is checked here.
                ArvoEventValidation.CheckData(value.Element, dataIsOwned ? 0 : Limits.MaxDepth - 1);
                Data = dataIsOwned ? value.Element : value.Element.Clone();
                break;
            case ArvoEventKey.ExecutionUnits:
                ExecutionUnits = value.Kind switch
                {
                    RawKind.Null => null,
                    RawKind.Number when value.NumberIsFinite => value.Number,
                    _ => throw new ArvoEventValidationException(name, "Execution units must be a JSON number", "a finite JSON number or null", value.Describe()),
                };
                break;
            case ArvoEventKey.ExecutionUnitsText:
                ExecutionUnitsText = value.Kind switch
                {
                    RawKind.Null => null,
                    RawKind.String when TryParseJsonNumber(value.Text, out var number) => number,
                    _ => throw new ArvoEventValidationException(
                        name,
                        "The CloudEvents-adapter copy of executionunits must hold the JSON number text",
                        "a string holding a finite JSON number, or null",
                        value.Describe()),
                };
                break;
            default:
                AddExtension(name, value);
                break;
        }
    }

    /// <summary>
    /// Strict JSON number grammar (<c>-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?</c>) parsed to a finite double.
    /// </summary>
    public static bool TryParseJsonNumber(string? text, out double number)
    {
        number = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var i = 0;
        if (text[i] == '-')
        {
            i++;
        }

        if (i >= text.Length)
        {
            return false;
        }

        if (text[i] == '0')
        {
            i++;
        }
        else if (text[i] is >= '1' and <= '9')
        {
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }
        else
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            var start = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        return i == text.Length &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) &&
            double.IsFinite(number);
    }

    /// <summary>Adds (or replaces) a custom extension from a CLR value (validated and normalised).</summary>
    public void AddExtensionValue(string name, object? value)
    {
        CheckExtensionCount(name);
        ArvoExtensionCollection.ValidateName(name);
        if (!ArvoExtensionCollection.TryNormalizeValue(value, out var normalized))
        {
            throw new ArvoEventValidationException(name, "Custom extension values must be primitives", "a string, boolean, finite number or null", value?.GetType().Name ?? "null");
        }

        Store(name, normalized);
    }

    private void AddExtension(string name, in RawValue value)
    {
        CheckExtensionCount(name);
        ArvoExtensionCollection.ValidateName(name);
        object? normalized = value.Kind switch
        {
            RawKind.String => value.Text,
            RawKind.True => true,
            RawKind.False => false,
            RawKind.Null => null,
            RawKind.Number when value.NumberIsFinite => value.Number,
            RawKind.Number => throw new ArvoEventValidationException(name, "Custom extension numbers must be finite", "a finite JSON number", value.Describe()),
            _ => throw new ArvoEventValidationException(name, "Custom extension values must be primitives", "a string, boolean, number or null", value.Describe()),
        };

        Store(name, normalized);
    }

    /// <summary>The error for an attribute name that appears twice in one event object.</summary>
    public static ArvoEventValidationException Duplicate(string name) =>
        new(
            name,
            "The attribute appears more than once in the event object",
            "each attribute name at most once",
            "a repeated name " + ArvoEventValidationException.Describe(name));

    /// <summary>
    /// Reads a string value of a parsed document (<see cref="JsonElement.GetString"/> throws
    /// <see cref="InvalidOperationException"/> for invalid UTF-8 and escaped lone surrogates).
    /// </summary>
    /// <exception cref="ArvoEventValidationException">The string holds invalid UTF-8 or a lone surrogate.</exception>
    public static string GetString(JsonElement element, string attribute)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var problem = JsonText.CheckStringToken(raw.Length >= 2 ? raw[1..^1] : raw);
        return problem == TextProblem.None
            ? element.GetString()!
            : throw BadText(attribute, $"The value of '{attribute}'", problem, JsonText.Excerpt(raw));
    }

    /// <summary>
    /// Reads the current string or property-name token (<see cref="Utf8JsonReader.GetString"/> throws
    /// <see cref="InvalidOperationException"/> for invalid UTF-8 and escaped lone surrogates).
    /// </summary>
    /// <exception cref="ArvoEventValidationException">The string holds invalid UTF-8 or a lone surrogate.</exception>
    public static string GetString(ref Utf8JsonReader reader, string? attribute)
    {
        var problem = JsonText.Classify(ref reader);
        if (problem == TextProblem.None)
        {
            try
            {
                return reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                problem = TextProblem.InvalidUtf8;
            }
        }

        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        throw attribute is null
            ? BadText(JsonText.Display(raw), "The attribute name", problem, JsonText.Excerpt(raw, quote: true))
            : BadText(attribute, $"The value of '{attribute}'", problem, JsonText.Excerpt(raw, quote: true));
    }

    /// <summary>The error for text that is not valid UTF-8 or holds a lone surrogate.</summary>
    /// <param name="attribute">The attribute reported (for a broken name: the name as written, escapes kept).</param>
    /// <param name="subject">What holds the text, e.g. <c>The text at 'data.items[2].name'</c>.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="actual">A display form of the value.</param>
    public static ArvoEventValidationException BadText(string attribute, string subject, TextProblem problem, string actual) =>
        new(
            attribute,
            problem == TextProblem.LoneSurrogate
                ? $"{subject} holds a lone UTF-16 surrogate, which cannot be encoded as UTF-8 (rejected, not replaced)"
                : $"{subject} is not valid UTF-8 (rejected, not replaced)",
            "well-formed Unicode text (surrogates only in high-low pairs)",
            actual);

    // Checked before the name is validated or stored, so that reading stops at the first extension too many.
    private readonly void CheckExtensionCount(string name)
    {
        var max = Limits.MaxExtensionAttributes;
        var count = Extensions?.Count ?? 0;
        if (count >= max)
        {
            throw new ArvoEventValidationException(
                name,
                $"The event has more than {max} custom extension attributes",
                $"at most {max} custom extension attributes (ArvoEventParseOptions.MaxExtensionAttributes)",
                $"extension number {count + 1}");
        }
    }

    private void Store(string name, object? normalized)
    {
        Extensions ??= [];
        if (_extensionIndex is null && Extensions.Count >= ExtensionIndexThreshold)
        {
            _extensionIndex = new Dictionary<string, int>(Extensions.Count * 2, StringComparer.Ordinal);
            for (var i = 0; i < Extensions.Count; i++)
            {
                _extensionIndex[Extensions[i].Key] = i;
            }
        }

        if (_extensionIndex is not null)
        {
            if (_extensionIndex.ContainsKey(name))
            {
                throw Duplicate(name);
            }
        }
        else
        {
            foreach (var item in Extensions)
            {
                if (string.Equals(item.Key, name, StringComparison.Ordinal))
                {
                    throw Duplicate(name);
                }
            }
        }

        _extensionIndex?.Add(name, Extensions.Count);
        Extensions.Add(new(name, normalized));
    }

    private static string? StringOrNull(string name, in RawValue value) => value.Kind switch
    {
        RawKind.String => value.Text,
        RawKind.Null => null,
        _ => throw new ArvoEventValidationException(name, "The attribute must be a JSON string", "a string (or null where the attribute is nullable)", value.Describe()),
    };
}
