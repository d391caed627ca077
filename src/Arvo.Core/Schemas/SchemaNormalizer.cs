using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using NJsonSchema;

namespace Arvo.Internal;

/// <summary>
/// A plan, compiled once per schema, that turns valid data into what zod's <c>parse</c> returns:
/// undeclared object properties removed at every level, <c>default</c> values applied, declared
/// properties in schema order followed by the undeclared ones that are kept.
/// </summary>
/// <remarks>
/// Undeclared properties are kept only where the schema asks for them: an
/// <c>additionalProperties</c> schema (including <c>true</c>, see <see cref="SchemaJsonPreparer"/>), a
/// matching <c>patternProperties</c> entry, or an object schema that declares no properties at all and
/// was not exported with <c>additionalProperties: false</c> (a free-form object). Unions
/// (<c>anyOf</c>/<c>oneOf</c>) use the first branch the value validates against, as zod does.
/// Data that needs no change is returned as is, without allocating.
/// </remarks>
internal sealed class SchemaNormalizer
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 2 * UntrustedData.MaxDepth };
    private static readonly JsonDocumentOptions ReparseOptions = new() { MaxDepth = 2 * UntrustedData.MaxDepth };

    private readonly Node _root;

    private SchemaNormalizer(Node root) => _root = root;

    /// <summary>Compiles the plan of <paramref name="schema"/>.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="validatorFor">The validity check of a (sub)schema, used to pick union branches.</param>
    /// <param name="namePattern">The matcher of a <c>patternProperties</c> key of <paramref name="schema"/>.</param>
    /// <exception cref="ArgumentException">A <c>patternProperties</c> key is not a valid regular expression.</exception>
    public static SchemaNormalizer Compile(JsonSchema schema, Func<JsonSchema, Func<JsonElement, bool>> validatorFor, Func<string, SchemaPattern> namePattern) =>
        new(new Compiler(validatorFor, namePattern).Compile(schema));

    /// <summary>The parsed form of valid data (which passed <see cref="UntrustedData.Check"/>).</summary>
    /// <exception cref="RegexMatchTimeoutException">A backtracking <c>patternProperties</c> key timed out on a property name.</exception>
    public JsonElement Normalize(JsonElement data)
    {
        if (!_root.NeedsRewrite(data))
        {
            return data;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            _root.Write(writer, data);
        }

        // The data is at most UntrustedData.MaxDepth deep; defaults (schema values, at most 64 deep) can add to that.
        using var document = JsonDocument.Parse(buffer.WrittenMemory, ReparseOptions);
        return document.RootElement.Clone();
    }

    private abstract class Node
    {
        public abstract bool NeedsRewrite(JsonElement value);

        public abstract void Write(Utf8JsonWriter writer, JsonElement value);
    }

    private sealed class PassThroughNode : Node
    {
        public static readonly PassThroughNode Instance = new();

        public override bool NeedsRewrite(JsonElement value) => false;

        public override void Write(Utf8JsonWriter writer, JsonElement value) => value.WriteTo(writer);
    }

    private sealed record DeclaredProperty(string Name, Node Node, JsonElement? Default);

    private sealed class ObjectNode : Node
    {
        private DeclaredProperty[] _declared = [];
        private DeclaredProperty[] _defaulted = [];
        private const int MaxScannedNames = 16;

        private FrozenDictionary<string, int> _index = FrozenDictionary<string, int>.Empty;
        private byte[][] _declaredUtf8 = [];
        private bool _keepAll;
        private Node? _additional;
        private (SchemaPattern Pattern, Node Node)[] _patterns = [];

        public void Fill(List<DeclaredProperty> declared, bool keepAll, Node? additional, (SchemaPattern, Node)[] patterns)
        {
            _declared = [.. declared];
            _defaulted = [.. declared.Where(property => property.Default is not null)];
            _index = declared.Select((property, index) => KeyValuePair.Create(property.Name, index)).ToFrozenDictionary(StringComparer.Ordinal);
            _declaredUtf8 = [.. declared.Select(property => Encoding.UTF8.GetBytes(property.Name))];
            _keepAll = keepAll;
            _additional = additional;
            _patterns = patterns;
        }

        public override bool NeedsRewrite(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var last = -1;
            var seenUndeclared = false;
            foreach (var property in value.EnumerateObject())
            {
                var index = IndexOf(property);
                if (index >= 0)
                {
                    // Out of schema order (or duplicated): zod would reorder.
                    if (index <= last || seenUndeclared)
                    {
                        return true;
                    }

                    last = index;
                    if (_declared[index].Node.NeedsRewrite(property.Value))
                    {
                        return true;
                    }
                }
                else
                {
                    var node = UndeclaredNode(property.Name);
                    if (node is null || node.NeedsRewrite(property.Value))
                    {
                        return true;
                    }

                    seenUndeclared = true;
                }
            }

            foreach (var property in _defaulted)
            {
                if (!value.TryGetProperty(property.Name, out _))
                {
                    return true;
                }
            }

            return false;
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                value.WriteTo(writer);
                return;
            }

            writer.WriteStartObject();
            foreach (var property in _declared)
            {
                if (value.TryGetProperty(property.Name, out var present))
                {
                    writer.WritePropertyName(property.Name);
                    property.Node.Write(writer, present);
                }
                else if (property.Default is { } fallback)
                {
                    writer.WritePropertyName(property.Name);
                    property.Node.Write(writer, fallback);
                }
            }

            if (_keepAll || _additional is not null || _patterns.Length > 0)
            {
                foreach (var property in value.EnumerateObject())
                {
                    if (!_index.ContainsKey(property.Name) && UndeclaredNode(property.Name) is { } node)
                    {
                        writer.WritePropertyName(property.Name);
                        node.Write(writer, property.Value);
                    }
                }
            }

            writer.WriteEndObject();
        }

        /// <summary>The declared position of <paramref name="property"/>, or -1.</summary>
        private int IndexOf(JsonProperty property)
        {
            // Runs for every property of every event: a few declared names are compared as raw UTF-8, without
            // decoding the name into a string. Escaped names and large objects take the dictionary.
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            if (_declaredUtf8.Length <= MaxScannedNames && raw.IndexOf((byte)'\\') < 0)
            {
                for (var i = 0; i < _declaredUtf8.Length; i++)
                {
                    if (raw.SequenceEqual(_declaredUtf8[i]))
                    {
                        return i;
                    }
                }

                return -1;
            }

            return _index.TryGetValue(property.Name, out var index) ? index : -1;
        }

        private Node? UndeclaredNode(string name)
        {
            foreach (var (pattern, node) in _patterns)
            {
                if (pattern.IsMatch(name))
                {
                    return node;
                }
            }

            return _additional ?? (_keepAll ? PassThroughNode.Instance : null);
        }
    }

    private sealed class ArrayNode : Node
    {
        private Node _item = PassThroughNode.Instance;
        private Node[] _tuple = [];

        public void Fill(Node item, Node[] tuple)
        {
            _item = item;
            _tuple = tuple;
        }

        public override bool NeedsRewrite(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (NodeAt(index++).NeedsRewrite(item))
                {
                    return true;
                }
            }

            return false;
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                value.WriteTo(writer);
                return;
            }

            writer.WriteStartArray();
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                NodeAt(index++).Write(writer, item);
            }

            writer.WriteEndArray();
        }

        private Node NodeAt(int index) => _tuple.Length == 0 ? _item : index < _tuple.Length ? _tuple[index] : PassThroughNode.Instance;
    }

    private sealed class UnionNode : Node
    {
        private (Func<JsonElement, bool> IsValid, Node Node)[] _branches = [];
        private bool _trivial;

        public void Fill((Func<JsonElement, bool>, Node)[] branches)
        {
            _branches = branches;
            _trivial = branches.All(branch => branch.Item2 is PassThroughNode);
        }

        public override bool NeedsRewrite(JsonElement value) => !_trivial && Select(value).NeedsRewrite(value);

        public override void Write(Utf8JsonWriter writer, JsonElement value)
        {
            if (_trivial)
            {
                value.WriteTo(writer);
            }
            else
            {
                Select(value).Write(writer, value);
            }
        }

        private Node Select(JsonElement value)
        {
            foreach (var (isValid, node) in _branches)
            {
                if (isValid(value))
                {
                    return node;
                }
            }

            return PassThroughNode.Instance;
        }
    }

    private sealed class Compiler(Func<JsonSchema, Func<JsonElement, bool>> validatorFor, Func<string, SchemaPattern> namePattern)
    {
        private readonly Dictionary<JsonSchema, Node> _compiled = new(ReferenceEqualityComparer.Instance);

        public Node Compile(JsonSchema schema)
        {
            var actual = schema.ActualSchema;
            if (_compiled.TryGetValue(actual, out var existing))
            {
                return existing;
            }

            var branches = actual.AnyOf.Concat(actual.OneOf).ToList();
            var declared = CollectProperties(actual);
            if (branches.Count > 0)
            {
                // Own properties next to a union are not modelled: leave such data untouched.
                if (declared.Count > 0)
                {
                    return Remember(actual, PassThroughNode.Instance);
                }

                var union = new UnionNode();
                Remember(actual, union);
                union.Fill([.. branches.Select(branch => (validatorFor(branch.ActualSchema), Compile(branch)))]);
                return union;
            }

            if (actual.Type.HasFlag(JsonObjectType.Object) || declared.Count > 0 || actual.AdditionalPropertiesSchema is not null || actual.PatternProperties.Count > 0)
            {
                return CompileObject(actual, declared);
            }

            if (actual.Item is not null || actual.Items.Count > 0)
            {
                var array = new ArrayNode();
                Remember(actual, array);
                array.Fill(actual.Item is null ? PassThroughNode.Instance : Compile(actual.Item), [.. actual.Items.Select(Compile)]);
                return array;
            }

            return Remember(actual, PassThroughNode.Instance);
        }

        private Node CompileObject(JsonSchema schema, List<KeyValuePair<string, JsonSchemaProperty>> declared)
        {
            var strip = HasStripMarker(schema) || schema.AllOf.Any(part => HasStripMarker(part.ActualSchema));
            var keepAll = declared.Count == 0 && !strip && schema.AllowAdditionalProperties
                && schema.AdditionalPropertiesSchema is null && schema.PatternProperties.Count == 0;
            if (keepAll)
            {
                return Remember(schema, PassThroughNode.Instance);
            }

            var node = new ObjectNode();
            Remember(schema, node);
            var properties = declared
                .Select(property => new DeclaredProperty(property.Key, Compile(property.Value), DefaultOf(property.Value)))
                .ToList();
            var additional = schema.AdditionalPropertiesSchema is { } extra ? Compile(extra) : null;
            var patterns = schema.PatternProperties
                .Select(pattern => (namePattern(pattern.Key), Compile(pattern.Value)))
                .ToArray();
            node.Fill(properties, keepAll: false, additional, patterns);
            return node;
        }

        private Node Remember(JsonSchema schema, Node node)
        {
            _compiled[schema] = node;
            return node;
        }

        private static bool HasStripMarker(JsonSchema schema) =>
            schema.ExtensionData?.ContainsKey(SchemaJsonPreparer.StripMarker) == true;

        /// <summary>Own properties, then those of <c>allOf</c> parts (recursively); the first declaration of a name wins.</summary>
        private static List<KeyValuePair<string, JsonSchemaProperty>> CollectProperties(JsonSchema schema)
        {
            var result = new List<KeyValuePair<string, JsonSchemaProperty>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var visited = new HashSet<JsonSchema>(ReferenceEqualityComparer.Instance);
            Collect(schema);
            return result;

            void Collect(JsonSchema current)
            {
                if (!visited.Add(current))
                {
                    return;
                }

                foreach (var property in current.Properties)
                {
                    if (seen.Add(property.Key))
                    {
                        result.Add(property);
                    }
                }

                foreach (var part in current.AllOf)
                {
                    Collect(part.ActualSchema);
                }
            }
        }

        private static JsonElement? DefaultOf(JsonSchemaProperty property)
        {
            var value = property.Default ?? (property.HasReference ? property.ActualSchema.Default : null);
            if (value is null)
            {
                return null;
            }

            using var document = JsonDocument.Parse(JsonConvert.SerializeObject(value));
            return document.RootElement.Clone();
        }
    }
}
