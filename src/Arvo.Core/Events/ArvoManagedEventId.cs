using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;
using Arvo.Internal;

namespace Arvo.Events;

/// <summary>
/// The content of an <see cref="ArvoIdDeduplication.ArvoManaged"/> event id:
/// <c>base64(zlib({"uuid":"…","value":"…"}))</c> decoded.
/// </summary>
/// <param name="Uuid">The random UUID that makes the id unique.</param>
/// <param name="Value">The deduplication value given when the id was created.</param>
public readonly record struct ArvoManagedEventId(string Uuid, string Value)
{
    // An id is small; anything inflating beyond this is not an Arvo id (and may be a zip bomb).
    private const int MaxInflatedBytes = 1 << 20;

    /// <summary>
    /// Decodes an ARVO_MANAGED id (the reference's <c>parseArvoEventId</c>). Returns false, with a
    /// description of the failure in <paramref name="error"/>, when <paramref name="id"/> is not in that
    /// format, for example a plain UUID. Accepts standard and URL-safe base64, padded or not.
    /// </summary>
    /// <param name="id">The event id.</param>
    /// <param name="result">The decoded content when the method returns true.</param>
    /// <param name="error">Why decoding failed when the method returns false; otherwise null.</param>
    /// <remarks>
    /// Never throws: text that is not base64, not a complete zlib stream, inflates to more than 1 MiB, is not UTF-8,
    /// is not JSON (or is nested deeper than 64 levels), or holds a lone UTF-16 surrogate gives false.
    /// </remarks>
    public static bool TryParse(string? id, out ArvoManagedEventId result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        if (string.IsNullOrEmpty(id))
        {
            error = "The id is empty.";
            return false;
        }

        var status = ZlibBase64.TryDecode(id, MaxInflatedBytes, out var rented, out var length);
        switch (status)
        {
            case ZlibBase64Status.InvalidBase64:
                error = "The id is not base64 text.";
                return false;
            case ZlibBase64Status.InvalidZlib:
                error = "The id is not a zlib stream (incorrect header check or corrupt data).";
                return false;
            case ZlibBase64Status.TooLarge:
                error = $"The id inflates to more than {MaxInflatedBytes} bytes.";
                return false;
        }

        try
        {
            if (!Utf8.IsValid(rented.AsSpan(0, length)))
            {
                error = "The inflated id is not UTF-8 text.";
                return false;
            }

            var reader = new Utf8JsonReader(rented.AsSpan(0, length));
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object &&
                root.TryGetProperty("uuid"u8, out var uuid) && uuid.ValueKind == JsonValueKind.String &&
                root.TryGetProperty("value"u8, out var value) && value.ValueKind == JsonValueKind.String)
            {
                result = new ArvoManagedEventId(uuid.GetString()!, value.GetString()!);
                error = null;
                return true;
            }

            error = "The inflated id is not a JSON object with string 'uuid' and 'value' keys.";
            return false;
        }
        catch (JsonException exception)
        {
            error = $"The inflated id is not JSON: {exception.Message}";
            return false;
        }
        catch (InvalidOperationException)
        {
            // GetString on an escaped lone surrogate (\ud800): such text cannot be a well-formed .NET string.
            error = "The inflated id holds a lone UTF-16 surrogate in 'uuid' or 'value'.";
            return false;
        }
        finally
        {
            PooledArrays.Return(rented);
        }
    }

    /// <summary>Decodes an ARVO_MANAGED id.</summary>
    /// <param name="id">The event id.</param>
    /// <exception cref="FormatException">The id is not in the ARVO_MANAGED format.</exception>
    public static ArvoManagedEventId Parse(string id) =>
        TryParse(id, out var result, out var error)
            ? result
            : throw new FormatException($"{ArvoEventValidationException.Describe(id)} is not an ARVO_MANAGED event id: {error}");
}
