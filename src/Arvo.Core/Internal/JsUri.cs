using System.Buffers;
using System.Text;

namespace Arvo.Internal;

/// <summary>
/// Exact re-implementations of JavaScript's <c>encodeURI</c> and <c>decodeURI</c>, which define
/// what the reference accepts as a URI-valid attribute value.
/// </summary>
internal static class JsUri
{
    private static readonly SearchValues<char> Unescaped =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'();/?:@&=+$,#");

    private const string ReservedSet = ";/?:@&=+$,#";

    /// <summary>True when <paramref name="value"/> equals <c>encodeURI(decodeURI(value))</c>.</summary>
    public static bool IsValid(string value)
    {
        // Fast path: nothing to decode and nothing to encode.
        if (value.AsSpan().IndexOfAnyExcept(Unescaped) < 0)
        {
            return true;
        }

        if (!TryDecode(value, out var decoded) || !TryEncode(decoded, out var reencoded))
        {
            return false;
        }

        return string.Equals(reencoded, value, StringComparison.Ordinal);
    }

    /// <summary>JavaScript <c>encodeURI</c>; false where JavaScript throws (a lone surrogate).</summary>
    public static bool TryEncode(string value, out string encoded)
    {
        var first = value.AsSpan().IndexOfAnyExcept(Unescaped);
        if (first < 0)
        {
            encoded = value;
            return true;
        }

        var builder = new StringBuilder(value.Length + 16);
        builder.Append(value, 0, first);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (Unescaped.Contains(c))
            {
                builder.Append(c);
                continue;
            }

            int codePoint;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    encoded = string.Empty;
                    return false;
                }

                codePoint = char.ConvertToUtf32(c, value[i + 1]);
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                encoded = string.Empty;
                return false;
            }
            else
            {
                codePoint = c;
            }

            var length = new Rune(codePoint).EncodeToUtf8(utf8);
            for (var b = 0; b < length; b++)
            {
                AppendEscape(builder, utf8[b]);
            }
        }

        encoded = builder.ToString();
        return true;
    }

    /// <summary>JavaScript <c>encodeURI</c>.</summary>
    /// <exception cref="FormatException">The value contains a lone UTF-16 surrogate.</exception>
    public static string Encode(string value) =>
        TryEncode(value, out var encoded)
            ? encoded
            : throw new FormatException("The value contains a lone UTF-16 surrogate and cannot be URI-encoded.");

    /// <summary>JavaScript <c>decodeURI</c>; false where JavaScript throws a URIError.</summary>
    public static bool TryDecode(string value, out string decoded)
    {
        var first = value.IndexOf('%', StringComparison.Ordinal);
        if (first < 0)
        {
            decoded = value;
            return true;
        }

        var builder = new StringBuilder(value.Length);
        builder.Append(value, 0, first);
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (c != '%')
            {
                builder.Append(c);
                continue;
            }

            if (!TryReadEscape(value, i, out var lead))
            {
                decoded = string.Empty;
                return false;
            }

            if (lead < 0x80)
            {
                var ch = (char)lead;
                if (ReservedSet.Contains(ch, StringComparison.Ordinal))
                {
                    // decodeURI leaves escapes of reserved characters exactly as written.
                    builder.Append(value, i, 3);
                }
                else
                {
                    builder.Append(ch);
                }

                i += 2;
                continue;
            }

            int count;
            int codePoint;
            if ((lead & 0xE0) == 0xC0)
            {
                count = 2;
                codePoint = lead & 0x1F;
            }
            else if ((lead & 0xF0) == 0xE0)
            {
                count = 3;
                codePoint = lead & 0x0F;
            }
            else if ((lead & 0xF8) == 0xF0)
            {
                count = 4;
                codePoint = lead & 0x07;
            }
            else
            {
                decoded = string.Empty;
                return false;
            }

            var position = i + 3;
            for (var k = 1; k < count; k++)
            {
                if (position >= value.Length || value[position] != '%' ||
                    !TryReadEscape(value, position, out var continuation) || (continuation & 0xC0) != 0x80)
                {
                    decoded = string.Empty;
                    return false;
                }

                codePoint = (codePoint << 6) | (continuation & 0x3F);
                position += 3;
            }

            var minimum = count switch { 2 => 0x80, 3 => 0x800, _ => 0x10000 };
            if (codePoint < minimum || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                decoded = string.Empty;
                return false;
            }

            builder.Append(char.ConvertFromUtf32(codePoint));
            i = position - 1;
        }

        decoded = builder.ToString();
        return true;
    }

    private static bool TryReadEscape(string value, int percentIndex, out int octet)
    {
        octet = 0;
        if (percentIndex + 2 >= value.Length)
        {
            return false;
        }

        var high = HexValue(value[percentIndex + 1]);
        var low = HexValue(value[percentIndex + 2]);
        if (high < 0 || low < 0)
        {
            return false;
        }

        octet = (high << 4) | low;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static void AppendEscape(StringBuilder builder, byte value)
    {
        const string hex = "0123456789ABCDEF";
        builder.Append('%').Append(hex[value >> 4]).Append(hex[value & 0xF]);
    }
}
