using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Arvo.Internal;

namespace Arvo.Events;

/// <summary>
/// How the id of a new event is made (the reference's <c>id: { deduplication, value }</c> creation input).
/// </summary>
/// <param name="Deduplication">The id mode.</param>
/// <param name="Value">The deduplication value; surrounding whitespace is trimmed, a blank value means "generate a UUID".</param>
/// <remarks>
/// Rules (wire-format.md section 5): no id requested → a new UUID v4; <see cref="ArvoIdDeduplication.DeveloperManaged"/>
/// → the trimmed value; <see cref="ArvoIdDeduplication.ArvoManaged"/> → base64(zlib(UTF-8(
/// <c>{"uuid":"&lt;new uuid&gt;","value":"&lt;trimmed value&gt;"}</c>))); a blank or whitespace-only value
/// in either mode → a new UUID v4. Trimming uses JavaScript's <c>String.prototype.trim</c> whitespace set.
/// </remarks>
public readonly record struct ArvoEventId(ArvoIdDeduplication Deduplication, string Value)
{
    private static readonly JsonWriterOptions ManagedJsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A <see cref="ArvoIdDeduplication.DeveloperManaged"/> request: the id is <paramref name="value"/>, trimmed.</summary>
    public static ArvoEventId DeveloperManaged(string value) => new(ArvoIdDeduplication.DeveloperManaged, value);

    /// <summary>An <see cref="ArvoIdDeduplication.ArvoManaged"/> request: a unique id that embeds <paramref name="value"/>.</summary>
    public static ArvoEventId ArvoManaged(string value) => new(ArvoIdDeduplication.ArvoManaged, value);

    /// <summary>Creates the event id for an optional request (the reference's <c>createArvoEventId</c>).</summary>
    /// <param name="id">The request; null generates a UUID.</param>
    /// <param name="generator">The UUID source; defaults to <see cref="GuidArvoIdGenerator.Instance"/>.</param>
    /// <exception cref="ArvoEventValidationException">An ARVO_MANAGED value contains a lone UTF-16 surrogate.</exception>
    public static string Create(ArvoEventId? id, IArvoIdGenerator? generator = null)
    {
        generator ??= GuidArvoIdGenerator.Instance;
        if (id is not { } request)
        {
            return generator.NewId();
        }

        var value = JsTrim(request.Value);
        if (value.IsEmpty)
        {
            return generator.NewId();
        }

        return request.Deduplication switch
        {
            ArvoIdDeduplication.DeveloperManaged => value.Length == request.Value.Length ? request.Value : value.ToString(),
            ArvoIdDeduplication.ArvoManaged => CreateManaged(generator.NewId(), value),
            _ => throw new ArvoEventValidationException(
                ArvoEventAttributeNames.Id,
                "Unknown id deduplication mode",
                "DeveloperManaged or ArvoManaged",
                request.Deduplication.ToString()),
        };
    }

    /// <summary>Creates the event id for this request (see <see cref="Create(ArvoEventId?, IArvoIdGenerator?)"/>).</summary>
    /// <param name="generator">The UUID source; defaults to <see cref="GuidArvoIdGenerator.Instance"/>.</param>
    public string Create(IArvoIdGenerator? generator = null) => Create(this, generator);

    private static string CreateManaged(string uuid, ReadOnlySpan<char> value)
    {
        // Utf8JsonWriter would silently replace a lone surrogate with U+FFFD (JSON.stringify escapes it), so
        // such a value could not be recovered: reject it instead.
        if (!JsonText.IsWellFormed(value))
        {
            throw new ArvoEventValidationException(
                ArvoEventAttributeNames.Id,
                "The ARVO_MANAGED id value is not valid UTF-16",
                "a string without lone surrogates",
                ArvoEventValidationException.Describe(value.ToString()));
        }

        var buffer = new ArrayBufferWriter<byte>(64 + uuid.Length + (value.Length * 3));
        using (var writer = new Utf8JsonWriter(buffer, ManagedJsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("uuid"u8, uuid);
            writer.WriteString("value"u8, value);
            writer.WriteEndObject();
        }

        return ZlibBase64.Encode(buffer.WrittenSpan);
    }

    /// <summary>JavaScript <c>String.prototype.trim</c>: WhiteSpace and LineTerminator code points.</summary>
    internal static ReadOnlySpan<char> JsTrim(string? value)
    {
        if (value is null)
        {
            return [];
        }

        var span = value.AsSpan();
        var start = 0;
        while (start < span.Length && IsJsWhiteSpace(span[start]))
        {
            start++;
        }

        var end = span.Length;
        while (end > start && IsJsWhiteSpace(span[end - 1]))
        {
            end--;
        }

        return span[start..end];
    }

    private static bool IsJsWhiteSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };
}
