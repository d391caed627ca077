using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Events;

namespace Arvo.Internal;

/// <summary>
/// The custom extension attributes of an <see cref="ArvoEvent"/>: an immutable, insertion-ordered
/// map from name to a primitive value (<see cref="string"/>, <see cref="bool"/>, <see cref="double"/>
/// or null). Events usually carry none or a handful, so small collections are scanned linearly; from
/// <see cref="IndexThreshold"/> entries on, a name index keeps lookups O(1) and building, comparing and
/// reading n extensions O(n).
/// </summary>
internal sealed class ArvoExtensionCollection : IReadOnlyDictionary<string, object?>
{
    private const int IndexThreshold = 8;

    private readonly KeyValuePair<string, object?>[] _items;
    private readonly Dictionary<string, int>? _index;

    private ArvoExtensionCollection(KeyValuePair<string, object?>[] items)
    {
        _items = items;
        if (items.Length > IndexThreshold)
        {
            _index = new Dictionary<string, int>(items.Length, StringComparer.Ordinal);
            for (var i = 0; i < items.Length; i++)
            {
                _index[items[i].Key] = i;
            }
        }
    }

    /// <summary>The shared empty collection.</summary>
    public static ArvoExtensionCollection Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var item in _items)
            {
                yield return item.Key;
            }
        }
    }

    /// <inheritdoc />
    public IEnumerable<object?> Values
    {
        get
        {
            foreach (var item in _items)
            {
                yield return item.Value;
            }
        }
    }

    /// <inheritdoc />
    public object? this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The event has no custom extension '{key}'.");

    /// <summary>
    /// Validates and normalises <paramref name="extensions"/> (see <see cref="ArvoEvent.Extensions"/>).
    /// A later entry with the same name replaces an earlier one, keeping the first position.
    /// </summary>
    /// <exception cref="ArvoEventValidationException">A name or value breaks the rules.</exception>
    public static ArvoExtensionCollection Create(IEnumerable<KeyValuePair<string, object?>>? extensions)
    {
        if (extensions is null)
        {
            return Empty;
        }

        if (extensions is ArvoExtensionCollection existing)
        {
            return existing;
        }

        List<KeyValuePair<string, object?>>? items = null;
        Dictionary<string, int>? positions = null;
        foreach (var (name, value) in extensions)
        {
            ValidateName(name);
            if (!TryNormalizeValue(value, out var normalized))
            {
                throw InvalidValue(name, value);
            }

            items ??= [];
            if (positions is null && items.Count >= IndexThreshold)
            {
                positions = new Dictionary<string, int>(items.Count * 2, StringComparer.Ordinal);
                for (var i = 0; i < items.Count; i++)
                {
                    positions[items[i].Key] = i;
                }
            }

            var index = positions is null ? IndexOf(items, name) : positions.GetValueOrDefault(name, -1);
            if (index >= 0)
            {
                items[index] = new(name, normalized);
            }
            else
            {
                positions?.Add(name, items.Count);
                items.Add(new(name, normalized));
            }
        }

        return items is null ? Empty : new ArvoExtensionCollection([.. items]);
    }

    /// <summary>Builds a collection from entries that were already validated and normalised.</summary>
    public static ArvoExtensionCollection FromValidated(List<KeyValuePair<string, object?>>? items) =>
        items is null || items.Count == 0 ? Empty : new ArvoExtensionCollection([.. items]);

    /// <summary>Returns a copy with <paramref name="name"/> set (replaced in place, or appended).</summary>
    public ArvoExtensionCollection With(string name, object? value)
    {
        ValidateName(name);
        if (!TryNormalizeValue(value, out var normalized))
        {
            throw InvalidValue(name, value);
        }

        var index = IndexOf(name);
        KeyValuePair<string, object?>[] items;
        if (index >= 0)
        {
            items = (KeyValuePair<string, object?>[])_items.Clone();
            items[index] = new(name, normalized);
        }
        else
        {
            items = new KeyValuePair<string, object?>[_items.Length + 1];
            _items.CopyTo(items, 0);
            items[^1] = new(name, normalized);
        }

        return new ArvoExtensionCollection(items);
    }

    /// <summary>Returns a copy without <paramref name="name"/> (this instance when absent).</summary>
    public ArvoExtensionCollection Without(string name)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            return this;
        }

        if (_items.Length == 1)
        {
            return Empty;
        }

        var items = new KeyValuePair<string, object?>[_items.Length - 1];
        Array.Copy(_items, 0, items, 0, index);
        Array.Copy(_items, index + 1, items, index, _items.Length - index - 1);
        return new ArvoExtensionCollection(items);
    }

    /// <summary>The entries in order, without copying.</summary>
    public ReadOnlySpan<KeyValuePair<string, object?>> AsSpan() => _items;

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_index is not null)
        {
            if (_index.TryGetValue(key, out var i))
            {
                value = _items[i].Value;
                return true;
            }

            value = null;
            return false;
        }

        foreach (var item in _items)
        {
            if (string.Equals(item.Key, key, StringComparison.Ordinal))
            {
                value = item.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

    /// <inheritdoc />
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Same names and values, in any order.</summary>
    public bool ContentEquals(ArvoExtensionCollection other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (_items.Length != other._items.Length)
        {
            return false;
        }

        foreach (var (name, value) in _items)
        {
            if (!other.TryGetValue(name, out var otherValue) || !Equals(value, otherValue))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks a custom extension name: <c>^[a-z0-9]+$</c> and not a reserved attribute name.</summary>
    /// <exception cref="ArvoEventValidationException">The name is invalid or reserved.</exception>
    public static void ValidateName(string? name)
    {
        if (name is null || !ArvoPatterns.IsValidExtensionName(name))
        {
            throw new ArvoEventValidationException(
                name ?? "(null)",
                "Custom extension names must contain only lowercase letters and digits",
                "a name matching ^[a-z0-9]+$",
                ArvoEventValidationException.Describe(name));
        }

        if (ArvoEventAttributeNames.IsReserved(name))
        {
            throw new ArvoEventValidationException(
                name,
                "A custom extension must not use the name of a core, Arvo, OpenTelemetry or CloudEvents-adapter attribute",
                "a name that is not reserved",
                ArvoEventValidationException.Describe(name));
        }
    }

    /// <summary>
    /// Normalises a custom extension value: strings, booleans and null are kept; CLR numbers and JSON
    /// numbers become a finite <see cref="double"/> (the JavaScript number model); primitive
    /// <see cref="JsonElement"/>/<see cref="JsonValue"/> values are unwrapped. Anything else fails.
    /// </summary>
    public static bool TryNormalizeValue(object? value, out object? normalized)
    {
        normalized = null;
        switch (value)
        {
            case null:
                return true;
            case string or bool:
                normalized = value;
                return true;
            case double d:
                return TryNumber(d, out normalized);
            case float f:
                return TryNumber(f, out normalized);
            case int or long or short or sbyte or byte or uint or ulong or ushort or decimal:
                return TryNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture), out normalized);
            case JsonElement element:
                return TryNormalizeElement(element, out normalized);
            case JsonValue node:
                return TryNormalizeElement(JsonSerializer.SerializeToElement<JsonNode>(node), out normalized);
            default:
                return false;
        }
    }

    private static bool TryNormalizeElement(JsonElement element, out object? normalized)
    {
        normalized = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                normalized = element.GetString();
                return true;
            case JsonValueKind.True:
                normalized = true;
                return true;
            case JsonValueKind.False:
                normalized = false;
                return true;
            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) && TryNumber(number, out normalized);
            default:
                return false;
        }
    }

    private static bool TryNumber(double value, out object? normalized)
    {
        normalized = double.IsFinite(value) ? value : null;
        return normalized is not null;
    }

    private int IndexOf(string name)
    {
        if (_index is not null)
        {
            return _index.GetValueOrDefault(name, -1);
        }

        return Array.FindIndex(_items, item => string.Equals(item.Key, name, StringComparison.Ordinal));
    }

    private static int IndexOf(List<KeyValuePair<string, object?>> items, string name)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (string.Equals(items[i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static ArvoEventValidationException InvalidValue(string name, object? value) =>
        new(
            name,
            "Custom extension values must be primitives",
            "a string, boolean, finite number or null",
            value is null ? "null" : $"a value of type {value.GetType().Name}: {ArvoEventValidationException.Describe(value.ToString())}");
}
