using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Arvo.Internal;

/// <summary>
/// An immutable string-keyed map that enumerates in insertion order (the order of a JavaScript
/// object with string keys). Lookups scan linearly for small maps and use an index for larger ones.
/// </summary>
internal sealed class OrderedReadOnlyMap<TValue> : IReadOnlyDictionary<string, TValue>
{
    private const int IndexThreshold = 8;

    private readonly KeyValuePair<string, TValue>[] _entries;
    private readonly int _count;
    private readonly Dictionary<string, int>? _index;

    private OrderedReadOnlyMap(KeyValuePair<string, TValue>[] entries, int count, Dictionary<string, int>? index)
    {
        _entries = entries;
        _count = count;
        if (index is null && count > IndexThreshold)
        {
            index = new Dictionary<string, int>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                index[entries[i].Key] = i;
            }
        }

        _index = index;
    }

    /// <summary>The empty map.</summary>
    public static OrderedReadOnlyMap<TValue> Empty { get; } = new([], 0, null);

    public int Count => _count;

    public IEnumerable<string> Keys
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _entries[i].Key;
            }
        }
    }

    public IEnumerable<TValue> Values
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _entries[i].Value;
            }
        }
    }

    public TValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The key '{key}' is not present.");

    /// <summary>
    /// Copies <paramref name="source"/> in enumeration order. A repeated key keeps its first position
    /// and takes the last value (JavaScript object assignment semantics).
    /// </summary>
    /// <exception cref="ArgumentException">A key is null.</exception>
    public static OrderedReadOnlyMap<TValue> Copy(IEnumerable<KeyValuePair<string, TValue>>? source, string paramName)
    {
        if (source is null)
        {
            return Empty;
        }

        if (source is OrderedReadOnlyMap<TValue> map)
        {
            return map;
        }

        var builder = new Builder(source is IReadOnlyCollection<KeyValuePair<string, TValue>> collection ? collection.Count : 0);
        builder.SetAll(source, paramName);
        return builder.ToMap();
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            value = default;
            return false;
        }

        value = _entries[i].Value;
        return true;
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _entries[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The entries in order, without allocating an enumerator.</summary>
    public ReadOnlySpan<KeyValuePair<string, TValue>> AsSpan() => _entries.AsSpan(0, _count);

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_index is not null)
        {
            return _index.TryGetValue(key, out var i) ? i : -1;
        }

        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Accumulates entries with JavaScript assignment semantics (first position, last value). Hand the
    /// result over with <see cref="ToMap"/> once; the builder must not be used afterwards.
    /// </summary>
    internal struct Builder(int capacity)
    {
        private KeyValuePair<string, TValue>[] _items = capacity <= 0 ? [] : new KeyValuePair<string, TValue>[capacity];
        private int _count;
        private Dictionary<string, int>? _lookup;

        public readonly int Count => _count;

        public void Set(string key, TValue value)
        {
            if (_lookup is null && _count >= IndexThreshold)
            {
                // Hash from here on: a hostile subject may hold thousands of keys within the size limit.
                _lookup = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
                for (var i = 0; i < _count; i++)
                {
                    _lookup[_items[i].Key] = i;
                }
            }

            if (_lookup is not null)
            {
                if (_lookup.TryGetValue(key, out var existing))
                {
                    _items[existing] = new(key, value);
                    return;
                }

                _lookup[key] = _count;
            }
            else
            {
                for (var i = 0; i < _count; i++)
                {
                    if (string.Equals(_items[i].Key, key, StringComparison.Ordinal))
                    {
                        _items[i] = new(key, value);
                        return;
                    }
                }
            }

            if (_count == _items.Length)
            {
                Array.Resize(ref _items, Math.Max(4, _items.Length * 2));
            }

            _items[_count++] = new(key, value);
        }

        /// <exception cref="ArgumentException">A key is null.</exception>
        public void SetAll(IEnumerable<KeyValuePair<string, TValue>> source, string paramName)
        {
            foreach (var entry in source)
            {
                if (entry.Key is null)
                {
                    throw new ArgumentException("Keys must not be null.", paramName);
                }

                Set(entry.Key, entry.Value);
            }
        }

        public readonly OrderedReadOnlyMap<TValue> ToMap() => _count == 0 ? Empty : new(_items, _count, _lookup);
    }
}
