using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Arvo.Subjects;

namespace Arvo.Internal;

/// <summary>
/// Reads and writes the subject JSON. Reading deserializes the pooled inflated bytes with System.Text.Json's
/// source-generated metadata (<see cref="SubjectJsonContext"/>) into small DTOs, then checks them field by field with
/// <see cref="SubjectRules"/>; the DTOs' strings and maps become the content without copying. Writing keeps a
/// hand-written <see cref="Utf8JsonWriter"/> pass, because the wire needs the reference's key order.
/// </summary>
internal static partial class SubjectCodec
{
    private const string JsonObjectExpected = "a well-formed JSON object";
    private const string RootExpected = "a JSON object";
    private const string MetaValueExpected = "a string";

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = ArvoSubjectOptions.MaxJsonDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    // JSON.stringify writes non-ASCII text unescaped; the relaxed encoder comes closest (it still
    // escapes characters outside the BMP and a few others, which any JSON reader accepts).
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        MaxDepth = ArvoSubjectOptions.MaxJsonDepth,
    };

    /// <summary>Validates, writes, compresses and encodes; enforces the limits of <paramref name="options"/>.</summary>
    public static string Create(ArvoOrchestrationSubjectContent content, ArvoSubjectOptions options)
    {
        if (!SubjectRules.Validate(content, out var error))
        {
            throw error.ToException(parsing: false);
        }

        var json = new ArrayBufferWriter<byte>(256);
        WriteJson(content, json);
        if (json.WrittenCount > options.MaxContentBytes)
        {
            throw new SubjectError(
                ArvoSubjectErrorKind.TooLarge,
                null,
                $"content of at most {options.MaxContentBytes} bytes of UTF-8 JSON",
                $"{json.WrittenCount} bytes").ToException(parsing: false);
        }

        var subject = ZlibBase64.Encode(json.WrittenSpan);
        if (subject.Length > options.MaxSubjectLength)
        {
            throw new SubjectError(
                ArvoSubjectErrorKind.TooLong,
                null,
                $"a subject of at most {options.MaxSubjectLength} characters",
                $"{subject.Length} characters").ToException(parsing: false);
        }

        return subject;
    }

    /// <summary>The compact JSON text of <paramref name="content"/>, in the canonical key order.</summary>
    public static byte[] WriteJson(ArvoOrchestrationSubjectContent content)
    {
        var json = new ArrayBufferWriter<byte>(256);
        WriteJson(content, json);
        return json.WrittenSpan.ToArray();
    }

    /// <summary>Decodes and validates <paramref name="subject"/> without throwing, through <see cref="SubjectCache.Shared"/>.</summary>
    public static bool TryParse(
        string subject,
        ArvoSubjectOptions options,
        [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content,
        out SubjectError error) =>
        TryParse(subject, options, SubjectCache.Shared, out content, out error);

    /// <summary>Decodes and validates <paramref name="subject"/> without throwing; <paramref name="cache"/> remembers successful reads.</summary>
    public static bool TryParse(
        string subject,
        ArvoSubjectOptions options,
        SubjectCache? cache,
        [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content,
        out SubjectError error)
    {
        if (cache is not null && cache.TryGet(subject, options, out content))
        {
            error = default;
            return true;
        }

        content = null;
        if (subject.Length > options.MaxSubjectLength)
        {
            error = new(ArvoSubjectErrorKind.TooLong, null, $"a subject of at most {options.MaxSubjectLength} characters", $"{subject.Length} characters");
            return false;
        }

        switch (ZlibBase64.TryDecode(subject, options.MaxContentBytes, out var rented, out var length))
        {
            case ZlibBase64Status.Ok:
                break;
            case ZlibBase64Status.InvalidBase64:
                error = new(ArvoSubjectErrorKind.InvalidBase64, null, "base64 text (standard or URL-safe alphabet, padding optional)", SubjectError.Quote(subject));
                return false;
            case ZlibBase64Status.TooLarge:
                error = new(ArvoSubjectErrorKind.TooLarge, null, $"content of at most {options.MaxContentBytes} bytes once inflated", $"more than {options.MaxContentBytes} bytes");
                return false;
            default:
                error = new(ArvoSubjectErrorKind.InvalidZlib, null, "a complete zlib (RFC 1950) stream after base64 decoding", "bytes that are not one valid, complete zlib stream");
                return false;
        }

        try
        {
            var json = new ReadOnlySpan<byte>(rented, 0, length);
            if (!Utf8.IsValid(json))
            {
                error = new(ArvoSubjectErrorKind.InvalidUtf8, null, "UTF-8 JSON text", "invalid UTF-8 bytes");
                return false;
            }

            if (!ReadContent(json, options.Compatibility, out content, out error))
            {
                return false;
            }

            cache?.Add(subject, options, content, length);
            return true;
        }
        finally
        {
            PooledArrays.Return(rented);
        }
    }

    private static void WriteJson(ArvoOrchestrationSubjectContent content, ArrayBufferWriter<byte> output)
    {
        try
        {
            using var writer = new Utf8JsonWriter(output, WriterOptions);
            writer.WriteStartObject();

            var orchestrator = content.Orchestrator;
            writer.WriteStartObject("orchestrator"u8);
            writer.WriteString("name"u8, orchestrator.Name);
            writer.WriteString("version"u8, orchestrator.Version);
            WriteExtras(writer, orchestrator.AdditionalEntries);
            writer.WriteEndObject();

            var execution = content.Execution;
            writer.WriteStartObject("execution"u8);
            writer.WriteString("id"u8, execution.Id);
            writer.WriteString("initiator"u8, execution.Initiator);
            writer.WriteString("domain"u8, execution.Domain);
            WriteExtras(writer, execution.AdditionalEntries);
            writer.WriteEndObject();

            writer.WriteStartObject("meta"u8);
            foreach (var (key, value) in content.MetaEntries)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            WriteExtras(writer, content.AdditionalEntries);
            writer.WriteEndObject();
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonWriter reports exceeding MaxDepth this way.
            throw new SubjectError(
                ArvoSubjectErrorKind.InvalidJson,
                null,
                $"JSON nested at most {ArvoSubjectOptions.MaxJsonDepth} levels deep",
                "deeper additional properties",
                ex).ToException(parsing: false);
        }
    }

    private static void WriteExtras(Utf8JsonWriter writer, OrderedDictionary<string, JsonElement> extras)
    {
        foreach (var (key, value) in extras)
        {
            writer.WritePropertyName(key);
            value.WriteTo(writer);
        }
    }

    /// <summary>Reads the content with System.Text.Json (<see cref="SubjectJsonContext"/>), then checks it field by field.</summary>
    private static bool ReadContent(
        ReadOnlySpan<byte> json,
        ArvoSubjectCompatibility compatibility,
        [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content,
        out SubjectError error)
    {
        SubjectJson? document;
        try
        {
            document = SimpleReader.TryRead(json) ?? JsonSerializer.Deserialize(json, SubjectJsonContext.Default.NullableSubjectJson);
        }
        catch (JsonException exception)
        {
            content = null;
            error = Diagnose(json, exception);
            return false;
        }

        return FromJson(document, compatibility, out content, out error);
    }

    private static bool FromJson(
        SubjectJson? document,
        ArvoSubjectCompatibility compatibility,
        [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content,
        out SubjectError error)
    {
        content = null;
        if (document is not { } root)
        {
            error = SubjectError.Content("$", RootExpected, SubjectRules.Null);
            return false;
        }

        if (!ToOrchestrator(in root, out var orchestrator, out error)
            || !ToExecution(in root, compatibility, out var execution, out error)
            || !ToMeta(in root, out var meta, out error)
            || !CheckExtras(root.Extras, null, out var extras, out error))
        {
            return false;
        }

        content = new ArvoOrchestrationSubjectContent(orchestrator, execution, meta, extras);
        return true;
    }

    private static bool ToOrchestrator(in SubjectJson document, [NotNullWhen(true)] out ArvoSubjectOrchestrator? orchestrator, out SubjectError error)
    {
        orchestrator = null;
        if (document.Orchestrator is not { } json)
        {
            error = SubjectError.Content("orchestrator", SubjectRules.ObjectExpected, document.HasOrchestrator ? SubjectRules.Null : SubjectRules.Missing);
            return false;
        }

        if (!SubjectRules.CheckType(json.Name, "orchestrator.name", Absent(json.HasName), out error)
            || !SubjectRules.CheckVersion(json.Version, "orchestrator.version", Absent(json.HasVersion), out error)
            || !CheckExtras(json.Extras, "orchestrator", out var extras, out error))
        {
            return false;
        }

        orchestrator = new ArvoSubjectOrchestrator(json.Name!, json.Version!, extras);
        return true;
    }

    private static bool ToExecution(
        in SubjectJson document,
        ArvoSubjectCompatibility compatibility,
        [NotNullWhen(true)] out ArvoSubjectExecution? execution,
        out SubjectError error)
    {
        execution = null;
        if (document.Execution is not { } json)
        {
            error = SubjectError.Content("execution", SubjectRules.ObjectExpected, document.HasExecution ? SubjectRules.Null : SubjectRules.Missing);
            return false;
        }

        if (!SubjectRules.CheckId(json.Id, "execution.id", Absent(json.HasId), out error)
            || !SubjectRules.CheckType(json.Initiator, "execution.initiator", Absent(json.HasInitiator), out error))
        {
            return false;
        }

        if (!json.HasDomain && compatibility == ArvoSubjectCompatibility.Strict)
        {
            error = SubjectError.Content("execution.domain", SubjectRules.DomainRequiredExpected, SubjectRules.Missing);
            return false;
        }

        if (!SubjectRules.CheckDomain(json.Domain, "execution.domain", out error)
            || !CheckExtras(json.Extras, "execution", out var extras, out error))
        {
            return false;
        }

        execution = new ArvoSubjectExecution(json.Id!, json.Initiator!, json.Domain, extras);
        return true;
    }

    private static bool ToMeta(in SubjectJson document, [NotNullWhen(true)] out OrderedDictionary<string, string>? meta, out SubjectError error)
    {
        meta = null;
        if (document.Meta is not { } entries)
        {
            error = SubjectError.Content("meta", SubjectRules.MetaExpected, document.HasMeta ? SubjectRules.Null : SubjectRules.Missing);
            return false;
        }

        foreach (var (key, value) in entries)
        {
            // The type says string; the reader stores a JSON null all the same.
            if (value is null)
            {
                error = SubjectError.Content(SubjectRules.MetaField(key), MetaValueExpected, SubjectRules.Null);
                return false;
            }
        }

        meta = entries.Count == 0 ? SubjectExtras.NoMeta : entries;
        error = default;
        return true;
    }

    /// <summary>
    /// Unknown keys are kept as raw JSON; their strings are checked now, so that content which parses can always be
    /// written back (a <see cref="JsonElement"/> keeps an escaped lone surrogate as written).
    /// </summary>
    private static bool CheckExtras(
        OrderedDictionary<string, JsonElement>? json,
        string? parent,
        out OrderedDictionary<string, JsonElement> extras,
        out SubjectError error)
    {
        extras = json is { Count: > 0 } ? json : SubjectExtras.NoExtras;
        foreach (var (key, value) in extras)
        {
            var field = parent is null ? key : parent + "." + key;
            var problem = JsonText.CheckValue(JsonMarshal.GetRawUtf8Value(value), field, 0, out var path);
            if (problem != TextProblem.None)
            {
                error = new(ArvoSubjectErrorKind.InvalidJson, path, SubjectRules.StringExpected, JsonText.Describe(problem));
                return false;
            }
        }

        error = default;
        return true;
    }

    private static string Absent(bool present) => present ? SubjectRules.Null : SubjectRules.Missing;

    /// <summary>
    /// Why the reader gave up (rare): malformed JSON, or the first value, in document order, that the DTOs cannot hold
    /// (a known key with the wrong JSON type, a string or key with an escaped lone surrogate). The reader stops at
    /// exactly that value, so walking the parsed document in order finds it.
    /// </summary>
    private static SubjectError Diagnose(ReadOnlySpan<byte> json, JsonException exception)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                return Malformed(exception);
            }
        }
        catch (JsonException)
        {
            return Malformed(exception);
        }

        using (document)
        {
            return FirstUnreadable(document.RootElement) ?? Malformed(exception);
        }
    }

    private static SubjectError Malformed(JsonException exception) =>
        new(ArvoSubjectErrorKind.InvalidJson, null, JsonObjectExpected, $"malformed JSON ({exception.Message})", exception);

    private static SubjectError? FirstUnreadable(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Unexpected("$", RootExpected, root);
        }

        foreach (var property in root.EnumerateObject())
        {
            if (BadKey(property, "$") is { } key)
            {
                return key;
            }

            var found = property.Name switch
            {
                "orchestrator" => Section(property.Value, "orchestrator", static name => name switch
                {
                    "name" => SubjectRules.TypeExpected,
                    "version" => SubjectRules.VersionExpected,
                    _ => null,
                }),
                "execution" => Section(property.Value, "execution", static name => name switch
                {
                    "id" => SubjectRules.IdExpected,
                    "initiator" => SubjectRules.TypeExpected,
                    "domain" => SubjectRules.DomainExpected,
                    _ => null,
                }),
                "meta" => Meta(property.Value),
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The first unreadable value of <c>orchestrator</c> or <c>execution</c>; <paramref name="expectedOf"/> gives the rule of a known key, null for an extra key.</summary>
    private static SubjectError? Section(JsonElement section, string name, Func<string, string?> expectedOf)
    {
        if (section.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (section.ValueKind != JsonValueKind.Object)
        {
            return Unexpected(name, SubjectRules.ObjectExpected, section);
        }

        foreach (var property in section.EnumerateObject())
        {
            if (BadKey(property, name) is { } key)
            {
                return key;
            }

            if (expectedOf(property.Name) is { } expected && StringOrNull(property.Value, name + "." + property.Name, expected) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private static SubjectError? Meta(JsonElement meta)
    {
        if (meta.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (meta.ValueKind != JsonValueKind.Object)
        {
            return Unexpected("meta", SubjectRules.MetaExpected, meta);
        }

        foreach (var property in meta.EnumerateObject())
        {
            if (BadKey(property, "meta") is { } key)
            {
                return key;
            }

            if (StringOrNull(property.Value, SubjectRules.MetaField(property.Name), MetaValueExpected) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>A key with an escaped lone surrogate, named by its parent (<c>$</c> at the root).</summary>
    private static SubjectError? BadKey(JsonProperty property, string parent)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        var problem = JsonText.CheckStringToken(raw);
        return problem == TextProblem.None
            ? null
            : new SubjectError(ArvoSubjectErrorKind.InvalidJson, parent, SubjectRules.StringExpected, $"{SubjectError.Quote(JsonText.Display(raw))} ({JsonText.Describe(problem)})");
    }

    /// <summary>The problem of a value that must be a string or null for the reader: another JSON type, or a string with an escaped lone surrogate.</summary>
    private static SubjectError? StringOrNull(JsonElement value, string field, string expected)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                var raw = StringContent(value);
                var problem = JsonText.CheckStringToken(raw);
                return problem == TextProblem.None
                    ? null
                    : new SubjectError(ArvoSubjectErrorKind.InvalidJson, field, SubjectRules.StringExpected, $"{SubjectError.Quote(JsonText.Display(raw))} ({JsonText.Describe(problem)})");
            default:
                return Unexpected(field, expected, value);
        }
    }

    private static SubjectError Unexpected(string field, string expected, JsonElement value)
    {
        var actual = value.ValueKind switch
        {
            JsonValueKind.Null => SubjectRules.Null,
            JsonValueKind.String => JsonText.CheckStringToken(StringContent(value)) == TextProblem.None
                ? SubjectError.Quote(value.GetString())
                : SubjectError.Quote(JsonText.Display(StringContent(value))),
            JsonValueKind.Number => "a number",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Array => "an array",
            _ => "an object",
        };
        return SubjectError.Content(field, expected, actual);
    }

    /// <summary>The JSON text of a string value between its quotes (escapes as written).</summary>
    private static ReadOnlySpan<byte> StringContent(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return raw.Length >= 2 ? raw[1..^1] : raw;
    }
}
