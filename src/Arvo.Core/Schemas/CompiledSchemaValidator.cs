using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Arvo.Internal;

/// <summary>
/// A validator compiled once from a prepared NJsonSchema <see cref="JsonSchema"/> into a tree of nodes that check
/// <see cref="JsonElement"/> data directly, with the verdict of NJsonSchema's <see cref="JsonSchemaValidator"/>.
/// </summary>
/// <remarks>
/// <para>
/// Supported: <c>type</c> (one or several, <c>integer</c> = integral number as in JavaScript), nullability,
/// <c>properties</c>, <c>required</c>, <c>additionalProperties</c> (boolean or schema),
/// <c>minProperties</c>/<c>maxProperties</c>, <c>items</c> (one schema), <c>minItems</c>/<c>maxItems</c>,
/// <c>enum</c>/<c>const</c>, <c>minimum</c>/<c>maximum</c>/<c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>
/// (draft 4 and 6 forms), <c>multipleOf</c>, <c>minLength</c>/<c>maxLength</c>/<c>pattern</c> (the same
/// <see cref="SchemaPattern"/> NJsonSchema is given, see <see cref="SchemaJsonPreparer"/>), <c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>,
/// <c>not</c>, local <c>$ref</c>. <c>format</c> and annotations are ignored, as NJsonSchema's validator (11.6)
/// ignores them. Any other validation keyword (<c>patternProperties</c>, tuple <c>items</c>,
/// <c>uniqueItems</c>, <c>dependencies</c>, <c>if</c>, unknown keywords, …) anywhere in the schema makes
/// <see cref="TryCompile"/> return null, and the whole schema stays on the NJsonSchema path.
/// </para>
/// <para>
/// It only answers valid/invalid (<see cref="IsValid"/>) and allocates nothing for typical data. The issues of
/// invalid data, which is rare, are NJsonSchema's own report (see <see cref="ArvoSchema.Validate"/>).
/// </para>
/// </remarks>
internal sealed class CompiledSchemaValidator
{
    private const double MaxSafeInteger = 9007199254740991d;

    /// <summary>Keywords NJsonSchema keeps as extension data that do not affect validation (or are handled by <see cref="SchemaJsonPreparer"/>).</summary>
    private static readonly HashSet<string> HarmlessExtensions = new(StringComparer.Ordinal)
    {
        SchemaJsonPreparer.StripMarker, "$defs", "const", "$schema", "$id", "$comment", "examples", "readOnly", "writeOnly", "deprecated",
    };


    private static readonly JsonObjectType[] AllTypes = [.. Enum.GetValues<JsonObjectType>().Where(type => type != JsonObjectType.None)];

    private readonly Node _root;
    private readonly Dictionary<JsonSchema, Node> _nodes;

    private CompiledSchemaValidator(Node root, Dictionary<JsonSchema, Node> nodes)
    {
        _root = root;
        _nodes = nodes;
    }

    /// <summary>Compiles <paramref name="schema"/>, or returns null when it uses a keyword the compiler does not support.</summary>
    /// <param name="schema">The prepared schema.</param>
    /// <param name="patterns">The compiled matcher of every <c>pattern</c> of the schema, by its text (see <see cref="SchemaPatterns.PatternOf"/>).</param>
    public static CompiledSchemaValidator? TryCompile(JsonSchema schema, IReadOnlyDictionary<string, SchemaPattern> patterns)
    {
        var nodes = new Dictionary<JsonSchema, Node>(ReferenceEqualityComparer.Instance);
        var root = Compile(schema.ActualSchema, nodes, patterns);
        return root is null ? null : new CompiledSchemaValidator(root, nodes);
    }

    /// <summary>True when <paramref name="data"/> matches the schema.</summary>
    /// <remarks>
    /// The data must have passed <see cref="UntrustedData.Check"/> (no lone surrogate: reading such a string throws
    /// <see cref="InvalidOperationException"/>; bounded depth).
    /// </remarks>
    /// <exception cref="RegexMatchTimeoutException">A backtracking pattern timed out (<see cref="UntrustedData.PatternTimedOut"/> turns it into the issue).</exception>
    public bool IsValid(JsonElement data)
    {
        if (data.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The JSON value is undefined (a default JsonElement); pass a parsed JSON value.", nameof(data));
        }

        return _root.IsValid(data);
    }

    /// <summary>The validity check of one (sub)schema of the compiled schema, e.g. a union branch.</summary>
    public Func<JsonElement, bool> ValidatorFor(JsonSchema schema) =>
        _nodes.TryGetValue(schema.ActualSchema, out var node) ? node.IsValid : throw new ArgumentException("The schema is not part of the compiled schema.", nameof(schema));

    private static Node? Compile(JsonSchema schema, Dictionary<JsonSchema, Node> nodes, IReadOnlyDictionary<string, SchemaPattern> patterns)
    {
        if (nodes.TryGetValue(schema, out var existing))
        {
            return existing;
        }

        if (!IsSupported(schema))
        {
            return null;
        }

        var node = new Node(schema);
        nodes[schema] = node;
        return node.Fill(nodes, patterns) ? node : null;
    }

    private static bool IsSupported(JsonSchema schema) =>
        schema.PatternProperties.Count == 0
        && schema.Items.Count == 0
        && schema.AdditionalItemsSchema is null
        && !schema.UniqueItems
        && !schema.Type.HasFlag(JsonObjectType.File)
        && (schema.ExtensionData is null || schema.ExtensionData.Keys.All(HarmlessExtensions.Contains));

    private static bool IsInteger(JsonElement number)
    {
        if (number.TryGetInt64(out _))
        {
            return true;
        }

        var value = ToDouble(number);
        return Math.Abs(value) <= MaxSafeInteger && Math.Floor(value) == value;
    }

    private static double ToDouble(JsonElement number) =>
        number.TryGetDouble(out var parsed) ? parsed : double.Parse(number.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool Matches(JsonObjectType type, JsonElement value) => type switch
    {
        JsonObjectType.Array => value.ValueKind == JsonValueKind.Array,
        JsonObjectType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        JsonObjectType.Integer => value.ValueKind == JsonValueKind.Number && IsInteger(value),
        JsonObjectType.Null => value.ValueKind == JsonValueKind.Null,
        JsonObjectType.Number => value.ValueKind == JsonValueKind.Number,
        JsonObjectType.Object => value.ValueKind == JsonValueKind.Object,
        JsonObjectType.String => value.ValueKind == JsonValueKind.String,
        _ => true,
    };

    /// <summary>True when a property name occurs twice in the object, or the object is too large to tell cheaply (no allocation for names without escapes).</summary>
    private static bool HasDuplicateNames(JsonElement value)
    {
        var index = 0;
        foreach (var property in value.EnumerateObject())
        {
            if (index >= 32)
            {
                // Large object: let the caller use the (allocating) distinct view, which is always right.
                return true;
            }

            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            var escaped = raw.IndexOf((byte)'\\') >= 0;
            var earlier = 0;
            foreach (var previous in value.EnumerateObject())
            {
                if (earlier++ == index)
                {
                    break;
                }

                if (escaped ? previous.NameEquals(property.Name) : previous.NameEquals(raw))
                {
                    return true;
                }
            }

            index++;
        }

        return false;
    }

    /// <summary>The object's properties as a <c>JObject</c> holds them: in first-occurrence order, the last value of a duplicated name winning.</summary>
    private static List<KeyValuePair<string, JsonElement>> Distinct(JsonElement value)
    {
        var result = new List<KeyValuePair<string, JsonElement>>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (positions.TryGetValue(property.Name, out var position))
            {
                result[position] = KeyValuePair.Create(property.Name, property.Value);
            }
            else
            {
                positions[property.Name] = result.Count;
                result.Add(KeyValuePair.Create(property.Name, property.Value));
            }
        }

        return result;
    }

    private static JToken Token(JsonElement value) => JsonElementTokens.ToJToken(value);

    private sealed record PropertyEntry(string Name, byte[] Utf8Name, Node Node, bool Nullable, bool Required);

    private sealed class Node(JsonSchema schema)
    {
        private Node[] _anyOf = [];
        private Node[] _allOf = [];
        private Node[] _oneOf = [];
        private Node? _not;
        private bool _nullable;
        private JsonObjectType[] _types = [];
        private int _minItems;
        private int _maxItems;
        private Node? _item;
        private SchemaPattern? _pattern;
        private int? _minLength;
        private int? _maxLength;
        private bool _hasNumberConstraints;
        private string?[]? _enum;
        private PropertyEntry[] _properties = [];
        private string[] _extraRequired = [];
        private bool _hasRequired;
        private bool _nullAllowedForProperties;
        private int _minProperties;
        private int _maxProperties;
        private Node? _additional;
        private bool _forbidUndeclared;

        public bool Fill(Dictionary<JsonSchema, Node> nodes, IReadOnlyDictionary<string, SchemaPattern> patterns)
        {
            Node[]? Branches(ICollection<JsonSchema> schemas)
            {
                var result = new Node[schemas.Count];
                var index = 0;
                foreach (var branch in schemas)
                {
                    if (Compile(branch.ActualSchema, nodes, patterns) is not { } compiled)
                    {
                        return null;
                    }

                    result[index++] = compiled;
                }

                return result;
            }

            if (Branches(schema.AnyOf) is not { } anyOf || Branches(schema.AllOf) is not { } allOf || Branches(schema.OneOf) is not { } oneOf)
            {
                return false;
            }

            _anyOf = anyOf;
            _allOf = allOf;
            _oneOf = oneOf;
            if (schema.Not is not null && (_not = Compile(schema.Not.ActualSchema, nodes, patterns)) is null)
            {
                return false;
            }

            _nullable = schema.IsNullable(SchemaType.JsonSchema);
            _types = [.. AllTypes.Where(type => schema.Type.HasFlag(type))];
            _minItems = schema.MinItems;
            _maxItems = schema.MaxItems;
            if (schema.Item is not null && (_item = Compile(schema.Item.ActualSchema, nodes, patterns)) is null)
            {
                return false;
            }

            _pattern = SchemaPatterns.PatternOf(schema) is { } pattern ? patterns[pattern] : null;
            _minLength = schema.MinLength;
            _maxLength = schema.MaxLength;
            _hasNumberConstraints = schema.Minimum.HasValue || schema.Maximum.HasValue || schema.ExclusiveMinimum.HasValue
                || schema.ExclusiveMaximum.HasValue || schema.MultipleOf.HasValue;
            _enum = schema.Enumeration.Count > 0 ? [.. schema.Enumeration.Select(value => value?.ToString())] : null;

            var properties = new List<PropertyEntry>();
            foreach (var (name, property) in schema.Properties)
            {
                if (Compile(property.ActualSchema, nodes, patterns) is not { } compiled)
                {
                    return false;
                }

                properties.Add(new PropertyEntry(name, Encoding.UTF8.GetBytes(name), compiled, property.IsNullable(SchemaType.JsonSchema), property.IsRequired));
            }

            _properties = [.. properties];
            _extraRequired = [.. schema.RequiredProperties.Where(name => !schema.Properties.ContainsKey(name))];
            _hasRequired = schema.RequiredProperties.Count > 0 || properties.Any(property => property.Required);
            _nullAllowedForProperties = schema.Type.HasFlag(JsonObjectType.Null);
            _minProperties = schema.MinProperties;
            _maxProperties = schema.MaxProperties;
            if (schema.AdditionalPropertiesSchema is not null && (_additional = Compile(schema.AdditionalPropertiesSchema.ActualSchema, nodes, patterns)) is null)
            {
                return false;
            }

            _forbidUndeclared = _additional is null && !schema.AllowAdditionalProperties;
            return true;
        }

        // ---- Pass 1: the verdict ----

        public bool IsValid(JsonElement value)
        {
            if (_anyOf.Length > 0 && !AnyValid(_anyOf, value))
            {
                return false;
            }

            foreach (var part in _allOf)
            {
                if (!part.IsValid(value))
                {
                    return false;
                }
            }

            if (_oneOf.Length > 0 && CountValid(_oneOf, value) != 1)
            {
                return false;
            }

            if (_not is not null && _not.IsValid(value))
            {
                return false;
            }

            return TypeValid(value) && EnumValid(value) && PropertiesValid(value);
        }

        private static bool AnyValid(Node[] branches, JsonElement value)
        {
            foreach (var branch in branches)
            {
                if (branch.IsValid(value))
                {
                    return true;
                }
            }

            return false;
        }

        private static int CountValid(Node[] branches, JsonElement value)
        {
            var count = 0;
            foreach (var branch in branches)
            {
                if (branch.IsValid(value))
                {
                    count++;
                }
            }

            return count;
        }

        private bool TypeValid(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Null && _nullable)
            {
                return true;
            }

            if (!ConstraintsValid(value))
            {
                return false;
            }

            if (_types.Length > 1)
            {
                foreach (var type in _types)
                {
                    if (Matches(type, value))
                    {
                        return true;
                    }
                }

                return false;
            }

            return _types.Length == 0 || Matches(_types[0], value);
        }

        /// <summary>The constraints NJsonSchema checks whatever the declared type: those of the value's own kind.</summary>
        private bool ConstraintsValid(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    var count = value.GetArrayLength();
                    if ((_minItems > 0 && count < _minItems) || (_maxItems > 0 && count > _maxItems))
                    {
                        return false;
                    }

                    if (_item is not null)
                    {
                        foreach (var item in value.EnumerateArray())
                        {
                            if (!_item.IsValid(item))
                            {
                                return false;
                            }
                        }
                    }

                    return true;
                case JsonValueKind.String:
                    return StringValid(value);
                case JsonValueKind.Number:
                    return !_hasNumberConstraints || NumberValid(value);
                default:
                    return true;
            }
        }

        private bool EnumValid(JsonElement value)
        {
            if (_enum is null || (_nullable && value.ValueKind == JsonValueKind.Null))
            {
                return true;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                foreach (var allowed in _enum)
                {
                    if (allowed is not null && value.ValueEquals(allowed))
                    {
                        return true;
                    }
                }

                return false;
            }

            var text = Token(value).ToString();
            return Array.IndexOf(_enum, text) >= 0;
        }

        private bool PropertiesValid(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                return _nullAllowedForProperties || !_hasRequired;
            }

            foreach (var property in _properties)
            {
                if (value.TryGetProperty(property.Utf8Name, out var present))
                {
                    if ((present.ValueKind != JsonValueKind.Null || !property.Nullable) && !property.Node.IsValid(present))
                    {
                        return false;
                    }
                }
                else if (property.Required)
                {
                    return false;
                }
            }

            foreach (var name in _extraRequired)
            {
                if (!value.TryGetProperty(name, out _))
                {
                    return false;
                }
            }

            if (_minProperties > 0 || _maxProperties > 0 || _additional is not null || _forbidUndeclared)
            {
                return HasDuplicateNames(value) ? DistinctPropertiesValid(Distinct(value)) : UndeclaredAndCountValid(value);
            }

            return true;
        }

        private bool UndeclaredAndCountValid(JsonElement value)
        {
            if (_minProperties > 0 || _maxProperties > 0)
            {
                var count = 0;
                foreach (var _ in value.EnumerateObject())
                {
                    count++;
                }

                if ((_maxProperties > 0 && count > _maxProperties) || (_minProperties > 0 && count < _minProperties))
                {
                    return false;
                }
            }

            if (_additional is not null || _forbidUndeclared)
            {
                foreach (var property in value.EnumerateObject())
                {
                    if (!IsDeclared(property) && (_forbidUndeclared || !_additional!.IsValid(property.Value)))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>The same checks on an object with duplicated names, seen as NJsonSchema sees it (last value wins).</summary>
        private bool DistinctPropertiesValid(List<KeyValuePair<string, JsonElement>> properties)
        {
            var count = properties.Count;
            if ((_maxProperties > 0 && count > _maxProperties) || (_minProperties > 0 && count < _minProperties))
            {
                return false;
            }

            foreach (var (name, propertyValue) in properties)
            {
                if (!IsDeclared(name) && (_forbidUndeclared || (_additional is not null && !_additional.IsValid(propertyValue))))
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsDeclared(string name) => Array.Exists(_properties, property => property.Name == name);

        private bool IsDeclared(JsonProperty property)
        {
            foreach (var declared in _properties)
            {
                if (property.NameEquals(declared.Utf8Name))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when a string meets <c>pattern</c>, <c>minLength</c> and <c>maxLength</c> (lengths in UTF-16 units, as NJsonSchema counts).</summary>
        private bool StringValid(JsonElement value)
        {
            if (_pattern is null && _minLength is null && _maxLength is null)
            {
                return true;
            }

            int length;
            if (_pattern is not null)
            {
                if (!TryMatchWithoutAllocating(value, out var matches, out length))
                {
                    var text = value.GetString()!;
                    length = text.Length;
                    matches = _pattern.IsMatch(text);
                }

                if (!matches)
                {
                    return false;
                }
            }
            else if (!TryLength(value, out length))
            {
                length = value.GetString()!.Length;
            }

            return (!_minLength.HasValue || length >= _minLength) && (!_maxLength.HasValue || length <= _maxLength);
        }

        /// <summary>Matches the pattern on a stack copy of a short string without escapes (no string allocated).</summary>
        private bool TryMatchWithoutAllocating(JsonElement value, out bool matches, out int length)
        {
            var raw = JsonMarshal.GetRawUtf8Value(value);
            if (raw.Length < 2 || raw.Length > 258 || raw[1..^1].IndexOf((byte)'\\') >= 0)
            {
                matches = false;
                length = 0;
                return false;
            }

            Span<char> chars = stackalloc char[256];
            length = Encoding.UTF8.GetChars(raw[1..^1], chars);
            matches = _pattern!.IsMatch(chars[..length]);
            return true;
        }

        /// <summary>The UTF-16 length of a string value, without allocating when it has no escapes.</summary>
        private static bool TryLength(JsonElement value, out int length)
        {
            var raw = JsonMarshal.GetRawUtf8Value(value);
            if (raw.Length >= 2 && raw[1..^1].IndexOf((byte)'\\') < 0)
            {
                length = Encoding.UTF8.GetCharCount(raw[1..^1]);
                return true;
            }

            length = 0;
            return false;
        }

        /// <summary>True when a number meets its bounds and <c>multipleOf</c>, computed as NJsonSchema does (decimal, or double beyond the decimal range).</summary>
        private bool NumberValid(JsonElement value)
        {
            decimal? exact;
            double approximate;
            if (value.TryGetInt64(out var integer))
            {
                exact = integer;
                approximate = integer;
            }
            else
            {
                approximate = ToDouble(value);
                if (Math.Abs(approximate) <= MaxSafeInteger && Math.Floor(approximate) == approximate)
                {
                    exact = (long)approximate;
                }
                else
                {
                    try
                    {
                        exact = (decimal)approximate;
                    }
                    catch (OverflowException)
                    {
                        exact = null;
                    }
                }
            }

            if (exact is { } d)
            {
                if (schema.Minimum.HasValue && (schema.IsExclusiveMinimum ? d <= schema.Minimum : d < schema.Minimum))
                {
                    return false;
                }

                if (schema.Maximum.HasValue && (schema.IsExclusiveMaximum ? d >= schema.Maximum : d > schema.Maximum))
                {
                    return false;
                }

                if (schema.ExclusiveMinimum.HasValue && d <= schema.ExclusiveMinimum)
                {
                    return false;
                }

                if (schema.ExclusiveMaximum.HasValue && d >= schema.ExclusiveMaximum)
                {
                    return false;
                }

                if (schema.MultipleOf.HasValue && d % schema.MultipleOf != 0)
                {
                    return false;
                }
            }
            else
            {
                var v = approximate;
                if (schema.Minimum.HasValue && (schema.IsExclusiveMinimum ? v <= (double)schema.Minimum : v < (double)schema.Minimum))
                {
                    return false;
                }

                if (schema.Maximum.HasValue && (schema.IsExclusiveMaximum ? v >= (double)schema.Maximum : v > (double)schema.Maximum))
                {
                    return false;
                }

                if (schema.ExclusiveMinimum.HasValue && v <= (double)schema.ExclusiveMinimum)
                {
                    return false;
                }

                if (schema.ExclusiveMaximum.HasValue && v >= (double)schema.ExclusiveMaximum)
                {
                    return false;
                }

                if (schema.MultipleOf.HasValue && v % (double)schema.MultipleOf != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
