using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Schemas;

namespace Arvo.Internal;

/// <summary>
/// Rewrites a JSON Schema document, before NJsonSchema reads it, into an equivalent form NJsonSchema
/// validates the way the reference does. Only schema positions are visited (never <c>enum</c>,
/// <c>default</c> or <c>const</c> values).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>const: X</c> (which NJsonSchema ignores) becomes <c>enum: [X]</c> when there is no <c>enum</c>.</item>
/// <item><c>additionalProperties: true</c> becomes <c>{}</c>: identical for validation, but NJsonSchema
/// then remembers that undeclared properties are wanted, so parsing keeps them (zod <c>passthrough</c>).</item>
/// <item>With <see cref="ArvoSchemaOptions.IgnoreAdditionalPropertiesFalse"/>,
/// <c>additionalProperties: false</c> is removed and replaced by the <see cref="StripMarker"/> extension
/// keyword, so parsing still strips undeclared properties even of an object without declared ones.</item>
/// <item><c>pattern: P</c> becomes <c>format: "x-arvo-pattern:P"</c> (replacing any <c>format</c>, which validation
/// ignores). NJsonSchema matches a <c>pattern</c> itself with <c>Regex.IsMatch(value, pattern)</c>, without a timeout;
/// a format it hands to a validator, and <see cref="PatternFormatValidator"/> matches with the bounded
/// <see cref="SchemaPattern"/> the compiled validator uses. So the verdict and NJsonSchema's report come from one
/// matcher, and NJsonSchema's report of invalid data can never hang on a pattern.</item>
/// <item><c>patternProperties</c> keys are translated to .NET patterns with JavaScript's meaning (see
/// <see cref="TranslateKeys"/>).</item>
/// </list>
/// </remarks>
internal static class SchemaJsonPreparer
{
    /// <summary>Extension keyword marking an object whose undeclared properties are removed when parsing.</summary>
    public const string StripMarker = "x-arvo-strip-undeclared";

    /// <summary>The <c>format</c> prefix that carries a schema's <c>pattern</c> (see <see cref="SchemaPatterns.PatternOf"/>).</summary>
    public const string PatternFormatPrefix = "x-arvo-pattern:";

    private static readonly string[] SchemaMapKeywords = ["properties", "patternProperties", "definitions", "$defs", "dependencies"];
    private static readonly string[] SchemaKeywords = ["additionalItems", "not", "if", "then", "else", "contains", "propertyNames"];
    private static readonly string[] SchemaArrayKeywords = ["allOf", "anyOf", "oneOf"];

    /// <summary>The prepared document.</summary>
    /// <param name="schema">The schema as given.</param>
    /// <param name="options">How to interpret it.</param>
    /// <param name="patternKeySources">Receives, for every <c>patternProperties</c> key of the prepared document, the key as written.</param>
    public static string Prepare(JsonElement schema, ArvoSchemaOptions options, Dictionary<string, string> patternKeySources)
    {
        var node = JsonNode.Parse(schema.GetRawText())
            ?? throw new ArgumentException("A JSON Schema must be a JSON object or a boolean, not null.", nameof(schema));
        Visit(node, options, patternKeySources);
        return node.ToJsonString();
    }

    private static void Visit(JsonNode? node, ArvoSchemaOptions options, Dictionary<string, string> patternKeySources)
    {
        if (node is not JsonObject schema)
        {
            return;
        }

        if (schema["patternProperties"] is JsonObject patternProperties)
        {
            TranslateKeys(patternProperties, patternKeySources);
        }

        if (schema.TryGetPropertyValue("pattern", out var pattern) && pattern?.GetValueKind() == JsonValueKind.String)
        {
            schema.Remove("pattern");
            schema["format"] = PatternFormatPrefix + pattern.GetValue<string>();
        }
        else if (schema["format"] is JsonValue format && format.TryGetValue<string>(out var text) && text.StartsWith(PatternFormatPrefix, StringComparison.Ordinal))
        {
            // A format spelled like the marker would read as a pattern; formats are not validated, so it goes.
            schema.Remove("format");
        }

        if (schema.TryGetPropertyValue("const", out var constant) && !schema.ContainsKey("enum"))
        {
            schema["enum"] = new JsonArray(constant?.DeepClone());
        }

        if (schema.TryGetPropertyValue("additionalProperties", out var additional))
        {
            switch (additional?.GetValueKind())
            {
                case JsonValueKind.True:
                    schema["additionalProperties"] = new JsonObject();
                    break;
                case JsonValueKind.False when options.IgnoreAdditionalPropertiesFalse:
                    schema.Remove("additionalProperties");
                    schema[StripMarker] = true;
                    break;
                case JsonValueKind.Object:
                    Visit(additional, options, patternKeySources);
                    break;
            }
        }

        foreach (var keyword in SchemaMapKeywords)
        {
            if (schema[keyword] is JsonObject map)
            {
                foreach (var (_, value) in map)
                {
                    Visit(value, options, patternKeySources);
                }
            }
        }

        foreach (var keyword in SchemaKeywords)
        {
            Visit(schema[keyword], options, patternKeySources);
        }

        foreach (var keyword in SchemaArrayKeywords)
        {
            if (schema[keyword] is JsonArray list)
            {
                foreach (var item in list)
                {
                    Visit(item, options, patternKeySources);
                }
            }
        }

        switch (schema["items"])
        {
            case JsonObject items:
                Visit(items, options, patternKeySources);
                break;
            case JsonArray tuple:
                foreach (var item in tuple)
                {
                    Visit(item, options, patternKeySources);
                }

                break;
        }
    }

    /// <summary>
    /// NJsonSchema matches <c>patternProperties</c> keys itself (<c>Regex.IsMatch(name, key)</c>), so it is given them
    /// translated to .NET patterns with JavaScript's meaning (<see cref="EcmaScriptPattern"/>). When two keys translate
    /// alike, the first is kept, as NJsonSchema would use the first matching key.
    /// </summary>
    private static void TranslateKeys(JsonObject patternProperties, Dictionary<string, string> sources)
    {
        var entries = patternProperties.ToList();
        patternProperties.Clear();
        foreach (var (key, value) in entries)
        {
            var translated = EcmaScriptPattern.Translate(key);
            sources.TryAdd(translated, key);
            patternProperties.TryAdd(translated, value);
        }
    }
}
