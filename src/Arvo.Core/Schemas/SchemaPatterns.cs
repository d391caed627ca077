using NJsonSchema;

namespace Arvo.Internal;

/// <summary>The regular expressions of a loaded schema, as NJsonSchema's validator reaches them.</summary>
internal static class SchemaPatterns
{
    /// <summary>
    /// Every distinct <c>pattern</c> and every distinct <c>patternProperties</c> key of <paramref name="schema"/> and
    /// the schemas it reaches (properties, items, additional properties and items, unions, <c>not</c>, definitions,
    /// references), in discovery order.
    /// </summary>
    public static (List<string> ValuePatterns, List<string> NamePatterns) Collect(JsonSchema schema)
    {
        var values = new List<string>();
        var names = new List<string>();
        var seenValues = new HashSet<string>(StringComparer.Ordinal);
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var current in Reachable(schema))
        {
            if (PatternOf(current) is { } pattern && seenValues.Add(pattern))
            {
                values.Add(pattern);
            }

            foreach (var key in current.PatternProperties.Keys)
            {
                if (seenNames.Add(key))
                {
                    names.Add(key);
                }
            }
        }

        return (values, names);
    }

    /// <summary>
    /// The <c>pattern</c> of a prepared schema as written in the document (<see cref="SchemaJsonPreparer"/> moves it
    /// into <c>format</c>, so that NJsonSchema asks <see cref="PatternFormatValidator"/> instead of matching it
    /// itself), or null.
    /// </summary>
    public static string? PatternOf(JsonSchema schema) =>
        schema.Format is { } format && format.StartsWith(SchemaJsonPreparer.PatternFormatPrefix, StringComparison.Ordinal)
            ? format[SchemaJsonPreparer.PatternFormatPrefix.Length..]
            : null;

    /// <summary>
    /// Rejects what would make validation itself fail: a <c>multipleOf</c> that is not positive (JSON Schema requires
    /// it to be greater than 0; <c>1e-400</c> reads as 0 and validation would divide by zero).
    /// </summary>
    /// <exception cref="ArgumentException">The schema has such a keyword.</exception>
    public static void CheckLoadable(JsonSchema schema)
    {
        foreach (var current in Reachable(schema))
        {
            if (current.MultipleOf is { } multipleOf && multipleOf <= 0)
            {
                throw new ArgumentException($"The JSON Schema cannot be loaded: multipleOf must be greater than 0, not {multipleOf.ToString(System.Globalization.CultureInfo.InvariantCulture)}.", nameof(schema));
            }
        }
    }

    /// <summary>Every schema NJsonSchema's validator can reach from <paramref name="schema"/> (actual schemas, each once).</summary>
    private static IEnumerable<JsonSchema> Reachable(JsonSchema schema)
    {
        var visited = new HashSet<JsonSchema>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<JsonSchema>();
        pending.Push(schema);
        while (pending.Count > 0)
        {
            var current = pending.Pop().ActualSchema;
            if (!visited.Add(current))
            {
                continue;
            }

            yield return current;
            foreach (var value in current.PatternProperties.Values)
            {
                pending.Push(value);
            }

            foreach (var property in current.Properties.Values)
            {
                pending.Push(property);
            }

            foreach (var child in current.AllOf.Concat(current.AnyOf).Concat(current.OneOf).Concat(current.Items).Concat(current.Definitions.Values))
            {
                pending.Push(child);
            }

            foreach (var child in new[] { current.Not, current.Item, current.AdditionalPropertiesSchema, current.AdditionalItemsSchema })
            {
                if (child is not null)
                {
                    pending.Push(child);
                }
            }
        }
    }
}
