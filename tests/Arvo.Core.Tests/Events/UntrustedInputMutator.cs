using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arvo.Tests.Events;

/// <summary>
/// Deterministic mutations of JSON text for the untrusted-input tests: byte flips, truncation, lone
/// surrogates (escaped, raw and as encoded UTF-8), invalid UTF-8, duplicated keys, values replaced by
/// other JSON types, deep nesting and many extension attributes. Every mutation is a pure function of
/// the <see cref="Random"/> it is given.
/// </summary>
internal static class UntrustedInputMutator
{
    /// <summary>A placeholder replaced by an escaped lone surrogate after serialization.</summary>
    private const string EscapedHighMarker = "\u0001HI\u0001";

    private const string EscapedLowMarker = "\u0001LO\u0001";

    private static readonly string[] OtherValues =
    [
        "null", "true", "false", "0", "-0", "1e400", "-1e400", "1.5", "123456789012345678901234567890", "\"\"", "\"x\"",
        "[]", "[1,2]", "{}", "{\"a\":1}", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"a\\u0000b\"", "\"%\"", "\"a b\"",
    ];

    /// <summary>One mutated input: the UTF-16 text (may hold lone surrogate chars) and its UTF-8 bytes (may be invalid UTF-8).</summary>
    public readonly record struct Mutant(string Kind, string Text, byte[] Utf8);

    public static Mutant Mutate(string seed, Random random, bool allowExtensions = true)
    {
        var choice = random.Next(allowExtensions ? 13 : 12);
        return choice switch
        {
            0 => FlipBytes(seed, random),
            1 => Truncate(seed, random),
            2 => Structural(seed, random, "escaped-lone-surrogate-in-value", InsertEscapedSurrogateInValue),
            3 => Structural(seed, random, "escaped-lone-surrogate-in-key", InsertEscapedSurrogateInKey),
            4 => RawSurrogate(seed, random),
            5 => InvalidUtf8InString(seed, random),
            6 => Structural(seed, random, "duplicate-key", DuplicateKey),
            7 => Structural(seed, random, "other-json-type", ReplaceWithOtherType),
            8 => Structural(seed, random, "deep-nesting", DeepNesting),
            9 => InsertText(seed, random),
            10 => Structural(seed, random, "escaped-lone-surrogate-in-data", InsertEscapedSurrogateInData),
            11 => Structural(seed, random, "remove-key", RemoveKey),
            _ => Structural(seed, random, "many-extensions", ManyExtensions),
        };
    }

    private static Mutant FromText(string kind, string text) => new(kind, text, Encoding.UTF8.GetBytes(text));

    private static Mutant FlipBytes(string seed, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(seed);
        var flips = 1 + random.Next(3);
        for (var i = 0; i < flips && bytes.Length > 0; i++)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }

        return new("byte-flip", Encoding.UTF8.GetString(bytes), bytes);
    }

    private static Mutant Truncate(string seed, Random random) => FromText("truncate", seed[..random.Next(seed.Length)]);

    private static Mutant InsertText(string seed, Random random)
    {
        string[] pieces = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\udfff", "null", "\u0000", "\ud800", "\ufeff"];
        var at = random.Next(seed.Length + 1);
        return FromText("insert-text", seed.Insert(at, pieces[random.Next(pieces.Length)]));
    }

    private static Mutant RawSurrogate(string seed, Random random)
    {
        // A raw lone surrogate char in a .NET string: the UTF-8 form is the 3-byte encoded surrogate (invalid UTF-8).
        var quotes = QuotePositions(seed);
        var at = quotes.Count == 0 ? random.Next(seed.Length + 1) : quotes[random.Next(quotes.Count)] + 1;
        var surrogate = random.Next(2) == 0 ? '\ud800' : '\udc00';
        var text = seed.Insert(at, surrogate.ToString());
        var prefix = Encoding.UTF8.GetBytes(seed[..at]);
        var suffix = Encoding.UTF8.GetBytes(seed[at..]);
        byte[] encoded = surrogate == '\ud800' ? [0xED, 0xA0, 0x80] : [0xED, 0xB0, 0x80];
        return new("raw-lone-surrogate", text, [.. prefix, .. encoded, .. suffix]);
    }

    private static Mutant InvalidUtf8InString(string seed, Random random)
    {
        byte[][] invalid = [[0xFF], [0xC0, 0x80], [0xE2, 0x82], [0x80], [0xF5, 0x80, 0x80, 0x80], [0xED, 0xA0, 0x80]];
        var quotes = QuotePositions(seed);
        var at = quotes.Count == 0 ? random.Next(seed.Length + 1) : quotes[random.Next(quotes.Count)] + 1;
        var prefix = Encoding.UTF8.GetBytes(seed[..at]);
        var suffix = Encoding.UTF8.GetBytes(seed[at..]);
        byte[] bytes = [.. prefix, .. invalid[random.Next(invalid.Length)], .. suffix];
        return new("invalid-utf8", Encoding.UTF8.GetString(bytes), bytes);
    }

    private static List<int> QuotePositions(string text)
    {
        var positions = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                positions.Add(i);
            }
        }

        return positions;
    }

    private static Mutant Structural(string seed, Random random, string kind, Func<JsonObject, Random, string?> mutation)
    {
        if (JsonNode.Parse(seed) is not JsonObject root)
        {
            return FromText(kind, seed);
        }

        var text = mutation(root, random) ?? root.ToJsonString();
        text = text
            .Replace(EscapedHighMarker, "\\ud800", StringComparison.Ordinal)
            .Replace(EscapedLowMarker, "\\udc00", StringComparison.Ordinal)
            .Replace("\\u0001HI\\u0001", "\\ud800", StringComparison.Ordinal)
            .Replace("\\u0001LO\\u0001", "\\udc00", StringComparison.Ordinal);
        return FromText(kind, text);
    }

    private static string Marker(Random random) => random.Next(2) == 0 ? EscapedHighMarker : EscapedLowMarker;

    private static string? InsertEscapedSurrogateInValue(JsonObject root, Random random)
    {
        var strings = root.Where(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).Select(p => p.Key).ToList();
        if (strings.Count == 0)
        {
            return null;
        }

        var key = strings[random.Next(strings.Count)];
        var value = root[key]!.GetValue<string>();
        root[key] = value.Insert(random.Next(value.Length + 1), Marker(random));
        return null;
    }

    private static string? InsertEscapedSurrogateInKey(JsonObject root, Random random)
    {
        var keys = root.Select(p => p.Key).ToList();
        var key = keys[random.Next(keys.Count)];
        var value = root[key]?.DeepClone();
        root.Remove(key);
        root[key.Insert(random.Next(key.Length + 1), Marker(random))] = value;
        return null;
    }

    private static string? InsertEscapedSurrogateInData(JsonObject root, Random random)
    {
        if (root["data"] is not JsonObject data)
        {
            return null;
        }

        var target = data;
        for (var depth = random.Next(3); depth > 0; depth--)
        {
            var child = new JsonObject();
            target["n" + depth] = child;
            target = child;
        }

        if (random.Next(2) == 0)
        {
            target["s"] = "x" + Marker(random) + "y";
        }
        else
        {
            target["k" + Marker(random)] = 1;
        }

        return null;
    }

    private static string? DuplicateKey(JsonObject root, Random random)
    {
        var text = root.ToJsonString();
        var keys = root.Select(p => p.Key).ToList();
        var key = keys[random.Next(keys.Count)];
        var value = root[key]?.ToJsonString() ?? "null";
        var duplicate = random.Next(2) == 0 ? value : OtherValues[random.Next(OtherValues.Length)];
        return text.Insert(1, $"{JsonSerializer.Serialize(key)}:{duplicate},");
    }

    private static string? ReplaceWithOtherType(JsonObject root, Random random)
    {
        var keys = root.Select(p => p.Key).ToList();
        var key = keys[random.Next(keys.Count)];
        root[key] = JsonNode.Parse("0");
        var text = root.ToJsonString();
        var needle = $"{JsonSerializer.Serialize(key)}:0";
        var at = text.IndexOf(needle, StringComparison.Ordinal);
        return text[..at] + $"{JsonSerializer.Serialize(key)}:{OtherValues[random.Next(OtherValues.Length)]}" + text[(at + needle.Length)..];
    }

    private static string? RemoveKey(JsonObject root, Random random)
    {
        var keys = root.Select(p => p.Key).ToList();
        root.Remove(keys[random.Next(keys.Count)]);
        return null;
    }

    private static string? DeepNesting(JsonObject root, Random random)
    {
        var depth = 1 + random.Next(200);
        var open = random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var text = root.ToJsonString();
        if (random.Next(2) == 0 && root["data"] is JsonObject)
        {
            // Inside data.
            root["data"]!["deep"] = 0;
            text = root.ToJsonString();
            return text.Replace("\"deep\":0", "\"deep\":" + nested, StringComparison.Ordinal);
        }

        return text.Insert(1, "\"deep\":" + nested + ",");
    }

    private static string? ManyExtensions(JsonObject root, Random random)
    {
        var count = random.Next(2) == 0 ? 1 + random.Next(20) : 200 + random.Next(400);
        for (var i = 0; i < count; i++)
        {
            root["x" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = random.Next(3) switch
            {
                0 => JsonValue.Create("v"),
                1 => JsonValue.Create(i),
                _ => JsonValue.Create(true),
            };
        }

        return null;
    }
}
