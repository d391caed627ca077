using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Arvo.Subjects;

namespace Arvo.Internal;

/// <summary>
/// Reads and writes the subject JSON. Parsing runs a <see cref="Utf8JsonReader"/> directly over the
/// pooled inflated bytes and allocates only the result (strings, three small objects and, when
/// present, the meta entries and raw extra values).
/// </summary>
internal static class SubjectCodec
{
    private const string JsonObjectExpected = "a well-formed JSON object";

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

    /// <summary>Decodes and validates <paramref name="subject"/> without throwing.</summary>
    public static bool TryParse(
        string subject,
        ArvoSubjectOptions options,
        [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content,
        out SubjectError error)
    {
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

            var reader = new Utf8JsonReader(json, ReaderOptions);
            return ReadContent(ref reader, options.Compatibility, out content, out error);
        }
        catch (JsonException ex)
        {
            error = new(ArvoSubjectErrorKind.InvalidJson, null, JsonObjectExpected, $"malformed JSON ({ex.Message})", ex);
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // GetString on a string holding an escaped lone surrogate.
            error = new(ArvoSubjectErrorKind.InvalidJson, null, JsonObjectExpected, $"a string that is not valid UTF-16 ({ex.Message})", ex);
            return false;
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

    private static bool ReadContent(
        ref Utf8JsonReader reader,
        ArvoSubjectCompatibility compatibility,
        [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content,
        out SubjectError error)
    {
        content = null;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = Unexpected("$", "a JSON object", ref reader);
            return false;
        }

        ArvoSubjectOrchestrator? orchestrator = null;
        ArvoSubjectExecution? execution = null;
        OrderedDictionary<string, string>? meta = null;
        OrderedDictionary<string, JsonElement>? extras = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("orchestrator"u8))
            {
                reader.Read();
                if (!ReadOrchestrator(ref reader, out orchestrator, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("execution"u8))
            {
                reader.Read();
                if (!ReadExecution(ref reader, compatibility, out execution, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("meta"u8))
            {
                reader.Read();
                if (!ReadMeta(ref reader, out meta, out error))
                {
                    return false;
                }
            }
            else if (!ReadExtra(ref reader, null, ref extras, out error))
            {
                return false;
            }
        }

        // The reader throws on anything but white space after the root object.
        reader.Read();

        if (orchestrator is null)
        {
            error = SubjectError.Content("orchestrator", SubjectRules.ObjectExpected, SubjectRules.Missing);
            return false;
        }

        if (execution is null)
        {
            error = SubjectError.Content("execution", SubjectRules.ObjectExpected, SubjectRules.Missing);
            return false;
        }

        if (meta is null)
        {
            error = SubjectError.Content("meta", SubjectRules.MetaExpected, SubjectRules.Missing);
            return false;
        }

        content = new ArvoOrchestrationSubjectContent(orchestrator, execution, meta, extras ?? SubjectExtras.NoExtras);
        error = default;
        return true;
    }

    private static bool ReadOrchestrator(ref Utf8JsonReader reader, out ArvoSubjectOrchestrator? orchestrator, out SubjectError error)
    {
        orchestrator = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = Unexpected("orchestrator", SubjectRules.ObjectExpected, ref reader);
            return false;
        }

        string? name = null;
        string? version = null;
        OrderedDictionary<string, JsonElement>? extras = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                if (!ReadString(ref reader, "orchestrator.name", SubjectRules.TypeExpected, out name, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                if (!ReadString(ref reader, "orchestrator.version", SubjectRules.VersionExpected, out version, out error))
                {
                    return false;
                }
            }
            else if (!ReadExtra(ref reader, "orchestrator", ref extras, out error))
            {
                return false;
            }
        }

        // Validated after the loop: with a repeated key the last value wins, as in JSON.parse.
        if (!SubjectRules.CheckType(name, "orchestrator.name", SubjectRules.Missing, out error)
            || !SubjectRules.CheckVersion(version, "orchestrator.version", SubjectRules.Missing, out error))
        {
            return false;
        }

        orchestrator = new ArvoSubjectOrchestrator(name!, version!, extras ?? SubjectExtras.NoExtras);
        return true;
    }

    private static bool ReadExecution(
        ref Utf8JsonReader reader,
        ArvoSubjectCompatibility compatibility,
        out ArvoSubjectExecution? execution,
        out SubjectError error)
    {
        execution = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = Unexpected("execution", SubjectRules.ObjectExpected, ref reader);
            return false;
        }

        string? id = null;
        string? initiator = null;
        string? domain = null;
        var hasDomain = false;
        OrderedDictionary<string, JsonElement>? extras = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                if (!ReadString(ref reader, "execution.id", SubjectRules.IdExpected, out id, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("initiator"u8))
            {
                if (!ReadString(ref reader, "execution.initiator", SubjectRules.TypeExpected, out initiator, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("domain"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    domain = null;
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    if (!TryGetString(ref reader, "execution.domain", out domain, out error))
                    {
                        return false;
                    }
                }
                else
                {
                    error = Unexpected("execution.domain", SubjectRules.DomainExpected, ref reader);
                    return false;
                }

                hasDomain = true;
            }
            else if (!ReadExtra(ref reader, "execution", ref extras, out error))
            {
                return false;
            }
        }

        if (!SubjectRules.CheckId(id, "execution.id", SubjectRules.Missing, out error)
            || !SubjectRules.CheckType(initiator, "execution.initiator", SubjectRules.Missing, out error))
        {
            return false;
        }

        if (!hasDomain && compatibility == ArvoSubjectCompatibility.Strict)
        {
            error = SubjectError.Content("execution.domain", SubjectRules.DomainRequiredExpected, SubjectRules.Missing);
            return false;
        }

        if (!SubjectRules.CheckDomain(domain, "execution.domain", out error))
        {
            return false;
        }

        execution = new ArvoSubjectExecution(id!, initiator!, domain, extras ?? SubjectExtras.NoExtras);
        return true;
    }

    private static bool ReadMeta(ref Utf8JsonReader reader, out OrderedDictionary<string, string>? meta, out SubjectError error)
    {
        meta = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = Unexpected("meta", SubjectRules.MetaExpected, ref reader);
            return false;
        }

        var entries = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryGetString(ref reader, "meta", out var key, out error))
            {
                return false;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                error = Unexpected(SubjectRules.MetaField(key!), "a string", ref reader);
                return false;
            }

            if (!TryGetString(ref reader, SubjectRules.MetaField(key!), out var value, out error))
            {
                return false;
            }

            entries[key!] = value!;
        }

        meta = entries.Count == 0 ? SubjectExtras.NoMeta : entries;
        error = default;
        return true;
    }

    /// <summary>Reads the value after the current property name as a string (JSON null and other types are errors).</summary>
    private static bool ReadString(ref Utf8JsonReader reader, string field, string expected, out string? value, out SubjectError error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            value = null;
            error = Unexpected(field, expected, ref reader);
            return false;
        }

        return TryGetString(ref reader, field, out value, out error);
    }

    /// <summary>
    /// Reads the current string or property name. A string that cannot be a well-formed .NET string (an escaped
    /// lone surrogate such as <c>\ud800</c>) fails naming <paramref name="field"/>; it is rejected, not replaced.
    /// </summary>
    private static bool TryGetString(ref Utf8JsonReader reader, string field, out string? value, out SubjectError error)
    {
        var problem = JsonText.Classify(ref reader);
        if (problem == TextProblem.None)
        {
            value = reader.GetString();
            error = default;
            return true;
        }

        value = null;
        error = new(ArvoSubjectErrorKind.InvalidJson, field, SubjectRules.StringExpected, $"{SubjectError.Quote(RawText(ref reader))} ({JsonText.Describe(problem)})");
        return false;
    }

    /// <summary>
    /// Keeps an unknown key's value as raw JSON (rare, so allocating here is fine). Its strings are checked now,
    /// so that content which parses can always be written back.
    /// </summary>
    private static bool ReadExtra(ref Utf8JsonReader reader, string? parent, ref OrderedDictionary<string, JsonElement>? extras, out SubjectError error)
    {
        if (!TryGetString(ref reader, parent ?? "$", out var key, out error))
        {
            return false;
        }

        var value = JsonElement.ParseValue(ref reader);
        var field = parent is null ? key! : parent + "." + key;
        var problem = JsonText.CheckValue(JsonMarshal.GetRawUtf8Value(value), field, 0, out var path);
        if (problem != TextProblem.None)
        {
            error = new(ArvoSubjectErrorKind.InvalidJson, path, SubjectRules.StringExpected, JsonText.Describe(problem));
            return false;
        }

        (extras ??= new(StringComparer.Ordinal))[key!] = value;
        return true;
    }

    private static string RawText(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? JsonText.Display(reader.ValueSequence.ToArray()) : JsonText.Display(reader.ValueSpan);

    private static SubjectError Unexpected(string field, string expected, ref Utf8JsonReader reader)
    {
        var actual = reader.TokenType switch
        {
            JsonTokenType.Null => "null",
            JsonTokenType.String => JsonText.Classify(ref reader) == TextProblem.None ? SubjectError.Quote(reader.GetString()) : SubjectError.Quote(RawText(ref reader)),
            JsonTokenType.Number => "a number",
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.StartObject => "an object",
            _ => reader.TokenType.ToString(),
        };
        return SubjectError.Content(field, expected, actual);
    }
}
