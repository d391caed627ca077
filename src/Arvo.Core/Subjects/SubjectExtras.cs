using System.Text.Json;

namespace Arvo.Internal;

/// <summary>Copies the user-supplied extra keys of the subject content objects.</summary>
internal static class SubjectExtras
{
    public static readonly string[] RootKeys = ["orchestrator", "execution", "meta"];

    public static readonly string[] OrchestratorKeys = ["name", "version"];

    public static readonly string[] ExecutionKeys = ["id", "initiator", "domain"];

    /// <summary>
    /// Copies <paramref name="source"/> in order, cloning each value so that it outlives its document.
    /// </summary>
    /// <exception cref="ArgumentException">A key is null or one of <paramref name="knownKeys"/>, or a value is undefined.</exception>
    public static OrderedReadOnlyMap<JsonElement> Copy(IEnumerable<KeyValuePair<string, JsonElement>>? source, string[] knownKeys, string paramName)
    {
        if (source is null)
        {
            return OrderedReadOnlyMap<JsonElement>.Empty;
        }

        var builder = new OrderedReadOnlyMap<JsonElement>.Builder(0);
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

            builder.Set(key, value.Clone());
        }

        return builder.ToMap();
    }
}
