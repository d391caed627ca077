using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arvo.Machines;

/// <summary>
/// The persisted state of one machine execution (the <c>state</c> of the memory record): status, active state(s),
/// context and, once done, the output. Immutable; written and read as JSON with a layout version.
/// </summary>
/// <remarks>
/// <para>Layout 1 (written by this version):</para>
/// <code>
/// {"layout":1,"status":"active","value":"increment","context":{…}}
/// {"layout":1,"status":"active","value":{"processing":"charge"},"context":{…}}
/// {"layout":1,"status":"active","value":{"work":{"left":"l1","right":"r2"}},"context":{…}}
/// {"layout":1,"status":"done","value":"done","context":{…},"output":{"final":1}}
/// </code>
/// <para>
/// <c>value</c> is XState's state value: the name of the active top-level state when it is atomic or final;
/// otherwise an object naming it, whose value is, in turn, the active child's name (when that child is atomic or
/// final) or an object naming it, and for a parallel state an object with one such value per region (XState stores
/// exactly this shape). The context is the machine's context serialized with its
/// <see cref="ArvoMachineBuilder{TContext}.ContextSerializerOptions"/>; it never contains the internal event queue.
/// </para>
/// <para>
/// Reader path: <see cref="Parse(string)"/> also reads layout 0, the reference (XState) snapshot without a
/// <c>layout</c> key (<c>{"status":…,"value":…,"historyValue":{},"context":{…},"children":{}}</c>); the reserved
/// <c>arvo$$</c> context key is dropped. A layout newer than <see cref="CurrentLayoutVersion"/> is rejected.
/// </para>
/// </remarks>
public sealed class ArvoMachineSnapshot
{
    /// <summary>The layout version this library writes (1).</summary>
    public const int CurrentLayoutVersion = 1;

    /// <summary>The context key reserved for Arvo's internal use.</summary>
    public const string ReservedContextKey = "arvo$$";

    private const int MaxValueDepth = 64;

    internal ArvoMachineSnapshot(ArvoMachineStatus status, string value, JsonElement? nestedValue, JsonElement context, JsonElement? output, int layoutVersion = CurrentLayoutVersion)
    {
        Status = status;
        Value = value;
        NestedValue = nestedValue;
        Regions = nestedValue is { } nested ? FlatRegions(nested) : null;
        Context = context;
        Output = output;
        LayoutVersion = layoutVersion;
    }

    /// <summary>
    /// The snapshot's own JSON (layout <see cref="CurrentLayoutVersion"/>, as <see cref="WriteTo"/> writes it) when the
    /// run that made it wrote it once, in a document that owns its bytes; the orchestrator stores it as the record's
    /// state instead of writing the snapshot again. Null for snapshots made or parsed otherwise.
    /// </summary>
    internal JsonElement? Json { get; init; }

    /// <summary>The layout version the snapshot was read from (<see cref="CurrentLayoutVersion"/> for new snapshots, 0 for reference snapshots).</summary>
    public int LayoutVersion { get; }

    /// <summary>The status.</summary>
    public ArvoMachineStatus Status { get; }

    /// <summary>The active top-level state.</summary>
    public string Value { get; }

    /// <summary>
    /// When the state value has the shape <c>{"state":{"region":"child",…}}</c> (a top-level parallel state whose
    /// regions have atomic active states): the active state of each region, in declaration order; otherwise null. The
    /// snapshot alone cannot tell this shape from a compound state with a compound child; use <see cref="StateValue"/>
    /// or <see cref="Matches"/> for nested machines.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Regions { get; }

    /// <summary>The whole state value as JSON (see the remarks of <see cref="ArvoMachineSnapshot"/>): a string or an object.</summary>
    public JsonElement StateValue => NestedValue ?? JsonSerializer.SerializeToElement(Value);

    /// <summary>The state value when it is an object (the top-level state is compound or parallel); null when it is the state name.</summary>
    internal JsonElement? NestedValue { get; }

    /// <summary>The serialized context (a JSON object).</summary>
    public JsonElement Context { get; }

    /// <summary>The output once <see cref="Status"/> is <see cref="ArvoMachineStatus.Done"/> (a JSON object); otherwise null.</summary>
    public JsonElement? Output { get; }

    /// <summary>The status as written in JSON: <c>active</c>, <c>done</c>, <c>error</c> or <c>stopped</c>.</summary>
    public string StatusText => StatusToText(Status);

    /// <summary>The state value as JSON: the state name, or an object naming the active state at each level.</summary>
    /// <returns>A new JSON node.</returns>
    public JsonNode ValueToJson() => NestedValue is { } nested ? JsonNode.Parse(nested.GetRawText())! : JsonValue.Create(Value);

    /// <summary>
    /// True when the state path is active (XState's <c>matches</c>): <c>processing</c> and <c>processing.charge</c> match
    /// <c>{"processing":"charge"}</c>; <c>work.left.l1</c> matches <c>{"work":{"left":"l1","right":"r2"}}</c>.
    /// </summary>
    /// <param name="statePath">Dot-separated state names from a top-level state down.</param>
    /// <returns>True when every named state is active.</returns>
    public bool Matches(string statePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(statePath);
        var segments = statePath.Split('.');
        if (NestedValue is not { } value)
        {
            return segments.Length == 1 && segments[0] == Value;
        }

        for (var i = 0; i < segments.Length; i++)
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                return i == segments.Length - 1 && value.GetString() == segments[i];
            }

            if (!value.TryGetProperty(segments[i], out value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the snapshot (layout <see cref="CurrentLayoutVersion"/>).</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteStart(writer, Status);
        if (NestedValue is { } nested)
        {
            nested.WriteTo(writer);
        }
        else
        {
            writer.WriteStringValue(Value);
        }

        writer.WritePropertyName(ContextProperty);
        Context.WriteTo(writer);
        WriteEnd(writer, Output);
    }

    internal const string ValueProperty = "value";
    internal const string ContextProperty = "context";
    internal const string OutputProperty = "output";

    /// <summary>Opens the layout: <c>{"layout":1,"status":…,"value":</c> (the caller writes the state value next, then the context).</summary>
    internal static void WriteStart(Utf8JsonWriter writer, ArvoMachineStatus status)
    {
        writer.WriteStartObject();
        writer.WriteNumber("layout", CurrentLayoutVersion);
        writer.WriteString("status", StatusToText(status));
        writer.WritePropertyName(ValueProperty);
    }

    /// <summary>Closes the layout after the context: the output, when there is one, and the end of the object.</summary>
    internal static void WriteEnd(Utf8JsonWriter writer, JsonElement? output)
    {
        if (output is { } written)
        {
            writer.WritePropertyName(OutputProperty);
            written.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>As <see cref="WriteEnd(Utf8JsonWriter, JsonElement?)"/>, with the output as JSON its writer already checked (empty: none).</summary>
    internal static void WriteEnd(Utf8JsonWriter writer, ReadOnlySpan<byte> outputJson)
    {
        if (!outputJson.IsEmpty)
        {
            writer.WritePropertyName(OutputProperty);
            writer.WriteRawValue(outputJson, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    /// <summary>The snapshot as UTF-8 JSON (layout <see cref="CurrentLayoutVersion"/>).</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToUtf8Bytes()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The snapshot as JSON text (layout <see cref="CurrentLayoutVersion"/>).</summary>
    /// <param name="indented">Indent the output.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <inheritdoc cref="ToJson"/>
    public override string ToString() => ToJson();

    /// <summary>Reads a snapshot written by any supported layout (see the remarks of <see cref="ArvoMachineSnapshot"/>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="FormatException">The text is not a snapshot, or its layout version is unknown.</exception>
    public static ArvoMachineSnapshot Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"A machine snapshot must be JSON: {exception.Message}", exception);
        }

        return Parse(root);
    }

    /// <summary>Reads a snapshot from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The JSON bytes.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="FormatException">The bytes are not a snapshot, or its layout version is unknown.</exception>
    public static ArvoMachineSnapshot Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(utf8Json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"A machine snapshot must be JSON: {exception.Message}", exception);
        }

        return Parse(root);
    }

    /// <summary>Reads a snapshot from a JSON element (the element must stay alive as long as the snapshot).</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="FormatException">The element is not a snapshot, or its layout version is unknown.</exception>
    public static ArvoMachineSnapshot Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"A machine snapshot must be a JSON object, received {json.ValueKind}");
        }

        var layout = 0;
        if (json.TryGetProperty("layout", out var layoutElement))
        {
            if (layoutElement.ValueKind != JsonValueKind.Number || !layoutElement.TryGetInt32(out layout) || layout < 1)
            {
                throw new FormatException($"A machine snapshot 'layout' must be a positive integer, received {layoutElement.GetRawText()}");
            }

            if (layout > CurrentLayoutVersion)
            {
                throw new FormatException(
                    $"Unsupported machine snapshot layout version {layout.ToString(CultureInfo.InvariantCulture)}: this version of Arvo.Orchestration reads layout versions 0 (the reference XState snapshot) to {CurrentLayoutVersion.ToString(CultureInfo.InvariantCulture)}. Upgrade the library to read snapshots written by a newer version.");
            }
        }

        return layout == 0 ? ReadLayout0(json) : ReadLayout1(json);
    }

    internal static string StatusToText(ArvoMachineStatus status) => status switch
    {
        ArvoMachineStatus.Active => "active",
        ArvoMachineStatus.Done => "done",
        ArvoMachineStatus.Error => "error",
        _ => "stopped",
    };

    private static ArvoMachineSnapshot ReadLayout1(JsonElement json)
    {
        var status = ReadStatus(json);
        var (value, nested) = ReadValue(json);
        var context = ReadContext(json);
        if (context.TryGetProperty(ReservedContextKey, out _))
        {
            throw new FormatException($"A machine snapshot context must not contain the reserved key '{ReservedContextKey}'");
        }

        return new ArvoMachineSnapshot(status, value, nested, context, ReadOutput(json), 1);
    }

    private static ArvoMachineSnapshot ReadLayout0(JsonElement json)
    {
        var status = ReadStatus(json);
        var (value, nested) = ReadValue(json);
        var context = ReadContext(json);
        if (context.TryGetProperty(ReservedContextKey, out _))
        {
            var stripped = new JsonObject();
            foreach (var property in context.EnumerateObject())
            {
                if (property.Name != ReservedContextKey)
                {
                    stripped[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                }
            }

            context = JsonSerializer.SerializeToElement(stripped);
        }

        return new ArvoMachineSnapshot(status, value, nested, context, ReadOutput(json), 0);
    }

    private static ArvoMachineStatus ReadStatus(JsonElement json)
    {
        if (!json.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("A machine snapshot must have a string 'status'");
        }

        // Compared as UTF-8: every execution reads a status, and none needs it as a string.
        if (status.ValueEquals("active"u8))
        {
            return ArvoMachineStatus.Active;
        }

        if (status.ValueEquals("done"u8))
        {
            return ArvoMachineStatus.Done;
        }

        if (status.ValueEquals("error"u8))
        {
            return ArvoMachineStatus.Error;
        }

        return status.ValueEquals("stopped"u8)
            ? ArvoMachineStatus.Stopped
            : throw new FormatException($"A machine snapshot 'status' must be one of active, done, error, stopped, received '{status.GetString()}'");
    }

    private static (string Value, JsonElement? Nested) ReadValue(JsonElement json)
    {
        if (!json.TryGetProperty("value", out var value))
        {
            throw new FormatException("A machine snapshot must have a 'value'");
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return (value.GetString()!, null);
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            using var properties = value.EnumerateObject();
            if (properties.MoveNext())
            {
                var top = properties.Current;
                if (!properties.MoveNext())
                {
                    CheckValue(top.Value, top.Name, 1);
                    return (top.Name, value);
                }
            }
        }

        throw new FormatException(
            $"A machine snapshot 'value' must be a state name or an object naming the active state at each level ({{\"<state>\":\"<child>\"}}, {{\"<parallel state>\":{{\"<region>\":\"<state>\"}}}}), received {value.GetRawText()}");
    }

    /// <summary>Below the top level every value is a state name or an object of them (bounded depth: snapshots may come from a shared store).</summary>
    private static void CheckValue(JsonElement value, string path, int depth)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"A machine snapshot 'value' must name a state at '{path}', received {value.GetRawText()}");
        }

        if (depth >= MaxValueDepth)
        {
            throw new FormatException($"A machine snapshot 'value' nests deeper than {MaxValueDepth.ToString(CultureInfo.InvariantCulture)} levels at '{path}'");
        }

        foreach (var property in value.EnumerateObject())
        {
            CheckValue(property.Value, $"{path}.{property.Name}", depth + 1);
        }
    }

    private static System.Collections.ObjectModel.ReadOnlyDictionary<string, string>? FlatRegions(JsonElement nested)
    {
        using var top = nested.EnumerateObject();
        if (!top.MoveNext() || top.Current.Value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var regions = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var region in top.Current.Value.EnumerateObject())
        {
            if (region.Value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            regions[region.Name] = region.Value.GetString()!;
        }

        return new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(regions);
    }

    private static JsonElement ReadContext(JsonElement json)
    {
        if (!json.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A machine snapshot must have an object 'context'");
        }

        return context;
    }

    private static JsonElement? ReadOutput(JsonElement json) =>
        json.TryGetProperty("output", out var output) && output.ValueKind != JsonValueKind.Null && output.ValueKind != JsonValueKind.Undefined
            ? output
            : null;
}
