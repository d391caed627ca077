using System.Collections.ObjectModel;
using System.Text.Json;

namespace Arvo.Internal;

/// <summary>
/// The ordered maps of the subject content (<c>meta</c> and the extra keys of each object): an
/// <see cref="OrderedDictionary{TKey, TValue}"/> inside, shown read-only outside. Assigning an existing key keeps its
/// position and takes the new value, as assigning to a JavaScript object does.
/// </summary>
internal static class SubjectExtras
{
    public static readonly string[] RootKeys = ["orchestrator", "execution", "meta"];

    public static readonly string[] OrchestratorKeys = ["name", "version"];

    public static readonly string[] ExecutionKeys = ["id", "initiator", "domain"];

    /// <summary>The empty extras shared by every object without any (never written to).</summary>
    public static readonly OrderedDictionary<string, JsonElement> NoExtras = new();

    /// <summary>The empty meta shared by every content without entries (never written to).</summary>
    public static readonly OrderedDictionary<string, string> NoMeta = new();

    /// <summary>
    /// Copies <paramref name="source"/> in order, cloning each value so that it outlives its document.
    /// </summary>
    /// <exception cref="ArgumentException">A key is null or one of <paramref name="knownKeys"/>, or a value is undefined.</exception>
    public static OrderedDictionary<string, JsonElement> Copy(IEnumerable<KeyValuePair<string, JsonElement>>? source, string[] knownKeys, string paramName)
    {
        if (source is null)
        {
            return NoExtras;
        }

        var copy = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in source)
        {
            if (key is null)
            {
                throw new ArgumentException("Additional property names must not be null.", paramName);
            }

            if (Array.IndexOf(knownKeys, key) >= 0)
            {
                throw new ArgumentException($"'{key}' is a known key of this object, not an additional property.", paramName);
            }

            if (value.ValueKind == JsonValueKind.Undefined)
            {
                throw new ArgumentException($"Additional property '{key}' has an undefined JSON value.", paramName);
            }

            copy[key] = value.Clone();
        }

        return copy.Count == 0 ? NoExtras : copy;
    }

    /// <summary>Copies meta entries in order; a repeated key keeps its first position and its last value.</summary>
    /// <exception cref="ArgumentException">A key is null.</exception>
    public static OrderedDictionary<string, string> CopyMeta(IEnumerable<KeyValuePair<string, string>>? source, string paramName)
    {
        if (source is null)
        {
            return NoMeta;
        }

        var copy = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        SetAll(copy, source, paramName);
        return copy.Count == 0 ? NoMeta : copy;
    }

    /// <summary>Assigns every entry of <paramref name="source"/> to <paramref name="target"/>, in order.</summary>
    /// <exception cref="ArgumentException">A key is null.</exception>
    public static void SetAll(OrderedDictionary<string, string> target, IEnumerable<KeyValuePair<string, string>> source, string paramName)
    {
        foreach (var (key, value) in source)
        {
            if (key is null)
            {
                throw new ArgumentException("Keys must not be null.", paramName);
            }

            target[key] = value;
        }
    }

    /// <summary>The read-only view users see (the shared empty view for an empty map).</summary>
    public static IReadOnlyDictionary<string, TValue> ReadOnly<TValue>(OrderedDictionary<string, TValue> map) =>
        map.Count == 0 ? ReadOnlyDictionary<string, TValue>.Empty : new ReadOnlyDictionary<string, TValue>(map);
}
