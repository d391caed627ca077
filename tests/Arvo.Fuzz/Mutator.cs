using System.IO.Compression;
using System.Text;

namespace Arvo.Fuzz;

/// <summary>
/// Deterministic mutations (a seeded <see cref="Random"/>): byte-level damage, and JSON-aware changes aimed at the
/// known weak spots — lone surrogates, duplicate keys, non-finite numbers, swapped types, deep nesting, thousands of
/// extension attributes, huge strings — inside events and inside the zlib+base64 JSON of subjects.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly string[] TypeSwaps = ["{}", "[]", "123", "-0.5", "null", "true", "\"\"", "1e309", "[1,[2,[3]]]"];
    private static readonly string[] Surrogates = ["\\ud800", "\\udfff", "\\ud83d", "\\ude00x"];
    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] seedInput, IReadOnlyList<byte[]> corpus)
    {
        var text = Encoding.UTF8.GetString(seedInput);
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            text = MutateText(text, corpus);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        return _random.Next(6) == 0 ? DamageBytes(bytes) : bytes;
    }

    /// <summary>A subject: mutate the JSON inside and re-encode it (or damage the base64 text itself).</summary>
    public byte[] MutateSubject(byte[] subject, IReadOnlyList<byte[]> corpus)
    {
        if (_random.Next(3) == 0)
        {
            return Mutate(subject, corpus);
        }

        string json;
        try
        {
            using var input = new MemoryStream(Convert.FromBase64String(Encoding.ASCII.GetString(subject)));
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var reader = new StreamReader(zlib, Encoding.UTF8);
            json = reader.ReadToEnd();
        }
        catch (Exception exception) when (exception is FormatException or InvalidDataException)
        {
            return Mutate(subject, corpus);
        }

        var mutated = Encoding.UTF8.GetBytes(MutateText(json, corpus));
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest))
        {
            zlib.Write(mutated);
        }

        return Encoding.ASCII.GetBytes(Convert.ToBase64String(output.ToArray()));
    }

    private string MutateText(string text, IReadOnlyList<byte[]> corpus)
    {
        switch (_random.Next(12))
        {
            case 0: // a lone surrogate escape inside a string literal
                return InsertAfterQuote(text, Surrogates[_random.Next(Surrogates.Length)]);
            case 1: // a duplicated key at the top of an object
                var brace = text.IndexOf('{', StringComparison.Ordinal);
                var key = PickKey(text);
                return brace < 0 || key is null ? text : text.Insert(brace + 1, $"\"{key}\":\"dup\",");
            case 2: // a non-finite or extreme number in place of a number
                return ReplaceNumber(text, _random.Next(4) switch { 0 => "1e309", 1 => "-1e309", 2 => "1e-400", _ => "123456789012345678901234567890" });
            case 3: // another JSON type in place of a string literal
                return ReplaceString(text, TypeSwaps[_random.Next(TypeSwaps.Length)]);
            case 4: // deep nesting in place of a value
                var depth = 30 + _random.Next(2000);
                return ReplaceString(text, new string('[', depth) + new string(']', depth));
            case 5: // many extension attributes
                var count = _random.Next(16) == 0 ? 5000 : 50 + _random.Next(400);
                var extensions = new StringBuilder();
                for (var i = 0; i < count; i++)
                {
                    extensions.Append("\"ext").Append(i).Append("\":\"v\",");
                }

                var open = text.IndexOf('{', StringComparison.Ordinal);
                return open < 0 ? text : text.Insert(open + 1, extensions.ToString());
            case 6: // a huge string
                return ReplaceString(text, "\"" + new string('a', 1000 + _random.Next(_random.Next(8) == 0 ? 100_000 : 10_000)) + "\"");
            case 7: // truncation
                return text.Length == 0 ? text : text[.._random.Next(text.Length)];
            case 8: // deletion of a span
                if (text.Length < 2)
                {
                    return text;
                }

                var start = _random.Next(text.Length - 1);
                return text.Remove(start, 1 + _random.Next(Math.Min(32, text.Length - start - 1)));
            case 9: // splice with another corpus entry
                var other = Encoding.UTF8.GetString(corpus[_random.Next(corpus.Count)]);
                var cut = text.Length == 0 ? 0 : _random.Next(text.Length);
                var from = other.Length == 0 ? 0 : _random.Next(other.Length);
                return text[..cut] + other[from..];
            case 10: // control characters and escapes inside strings
                return InsertAfterQuote(text, _random.Next(3) switch { 0 => "\\u0000", 1 => "\\n\\t", _ => "\u0001" });
            default: // a value replaced by a number or null
                return ReplaceString(text, _random.Next(2) == 0 ? "0" : "null");
        }
    }

    private byte[] DamageBytes(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return [0xFF];
        }

        var copy = (byte[])bytes.Clone();
        var flips = 1 + _random.Next(4);
        for (var i = 0; i < flips; i++)
        {
            var at = _random.Next(copy.Length);
            copy[at] = _random.Next(3) switch
            {
                0 => (byte)(copy[at] ^ (1 << _random.Next(8))),
                1 => 0xFF, // never valid UTF-8
                _ => 0xC3, // a lead byte without its continuation
            };
        }

        return copy;
    }

    private string InsertAfterQuote(string text, string insert)
    {
        var quotes = Positions(text, '"');
        return quotes.Count == 0 ? text : text.Insert(quotes[_random.Next(quotes.Count)] + 1, insert);
    }

    private string ReplaceString(string text, string replacement)
    {
        var quotes = Positions(text, '"');
        if (quotes.Count < 2)
        {
            return text;
        }

        // A value literal: a quote preceded by ':' (skipping spaces) up to the next unescaped quote.
        var candidates = quotes.Where(q => PrecededByColon(text, q)).ToList();
        if (candidates.Count == 0)
        {
            return text;
        }

        var start = candidates[_random.Next(candidates.Count)];
        var end = start + 1;
        while (end < text.Length && (text[end] != '"' || text[end - 1] == '\\'))
        {
            end++;
        }

        return end >= text.Length ? text : text[..start] + replacement + text[(end + 1)..];
    }

    private string ReplaceNumber(string text, string replacement)
    {
        var starts = new List<int>();
        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsAsciiDigit(text[i]) && PrecededByColon(text, i))
            {
                starts.Add(i);
            }
        }

        if (starts.Count == 0)
        {
            return ReplaceString(text, replacement);
        }

        var start = starts[_random.Next(starts.Count)];
        var end = start;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '.' or 'e' or 'E' or '-' or '+'))
        {
            end++;
        }

        return text[..start] + replacement + text[end..];
    }

    private string? PickKey(string text)
    {
        string[] keys = ["id", "type", "source", "subject", "specversion", "data", "to", "domain", "orchestrator", "execution", "meta"];
        var present = keys.Where(k => text.Contains($"\"{k}\"", StringComparison.Ordinal)).ToList();
        return present.Count == 0 ? null : present[_random.Next(present.Count)];
    }

    /// <summary>Whether the character before <paramref name="index"/>, skipping white space, is ':' (a value starts there).</summary>
    private static bool PrecededByColon(string text, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return text[i] == ':';
            }
        }

        return false;
    }

    private static List<int> Positions(string text, char c)
    {
        var positions = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == c)
            {
                positions.Add(i);
            }
        }

        return positions;
    }
}
