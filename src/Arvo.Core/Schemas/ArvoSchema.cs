using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using Arvo.Events;
using Arvo.Internal;
using Arvo.Schemas;
using NJsonSchema;
using NJsonSchema.Generation;
using NJsonSchema.Validation;

namespace Arvo;

/// <summary>
/// A compiled JSON Schema for event data: parsed once, then used for every event. Immutable and
/// thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Validation is compiled, when the schema is loaded, into a validator working directly on
/// <see cref="JsonElement"/> (see <c>CompiledSchemaValidator</c>); schemas using keywords it does not support
/// are validated by NJsonSchema, with the same results. It follows the reference's runtime (zod) semantics: a property
/// is optional when it is not in <c>required</c>, nullable when its type admits <c>null</c> (e.g.
/// <c>["string","null"]</c> or <c>anyOf [..., {"type":"null"}]</c>), and undeclared properties are
/// accepted unless the schema says <c>additionalProperties: false</c> (nothing is added implicitly;
/// see <see cref="ArvoSchemaOptions.IgnoreAdditionalPropertiesFalse"/> for schemas exported by the
/// reference). <c>const</c> is honoured (NJsonSchema alone ignores it). <c>pattern</c> and <c>patternProperties</c>
/// keys have their JavaScript meaning (<c>^\d+$</c> accepts ASCII digits only), as for zod.
/// </para>
/// <para>
/// <see cref="Validate"/> is for data Arvo consumes, which is handed on unchanged.
/// <see cref="Parse"/>/<see cref="TryParse"/> are for data Arvo emits: like zod's <c>parse</c>, they
/// return the data with undeclared properties removed at every object level and <c>default</c>
/// values applied, with declared properties in schema order (see <see cref="Parse"/>).
/// </para>
/// <para>
/// Only references inside the schema document (<c>#/definitions/…</c>, <c>#/$defs/…</c>,
/// <c>#/properties/…</c>) are supported; file and URL references are rejected at load time.
/// </para>
/// </remarks>
public sealed class ArvoSchema
{
    private readonly JsonSchema _schema;
    private readonly JsonSchemaValidator _validator;
    private readonly CompiledSchemaValidator? _compiled;
    private readonly SchemaNormalizer _normalizer;

    /// <summary>On the NJsonSchema path: the schema's <c>patternProperties</c> keys, matched against the data's property names first (see <see cref="CheckFallbackNamePatterns"/>).</summary>
    private readonly SchemaPattern[] _fallbackNamePatterns = [];

    private ArvoSchema(JsonElement json, ArvoSchemaOptions options, JsonSchema schema, Dictionary<string, string> patternKeySources)
    {
        Json = json;
        Options = options;
        _schema = schema;
        var timeout = options.PatternMatchTimeout;
        var (values, names) = SchemaPatterns.Collect(schema);

        // One matcher per pattern, shared by the compiled validator and NJsonSchema's (through a format validator).
        var patterns = values.ToDictionary(pattern => pattern, pattern => SchemaPattern.Create(pattern, timeout), StringComparer.Ordinal);
        _validator = new JsonSchemaValidator(new JsonSchemaValidatorSettings
        {
            FormatValidators = [.. patterns.Values.Select(pattern => new PatternFormatValidator(pattern))],
        });
        _compiled = CompiledSchemaValidator.TryCompile(schema, patterns);
        var compiled = _compiled;
        if (compiled is null)
        {
            _fallbackNamePatterns = [.. names.Select(key => SchemaPattern.CreateBacktracking(SourceOf(key), timeout))];
        }

        // The loaded patternProperties keys are translated (see SchemaJsonPreparer); matchers and messages start from the key as written.
        string SourceOf(string key) => patternKeySources.GetValueOrDefault(key, key);
        SchemaPattern NamePattern(string key) => SchemaPattern.Create(SourceOf(key), timeout);
        _normalizer = compiled is not null
            ? SchemaNormalizer.Compile(schema, compiled.ValidatorFor, NamePattern)
            : SchemaNormalizer.Compile(schema, branch => data => _validator.Validate(JsonElementTokens.ToJToken(data), branch).Count == 0, NamePattern);
    }

    /// <summary>
    /// True when validation runs on the compiled <see cref="JsonElement"/> validator; false when the schema uses a
    /// keyword it does not support and NJsonSchema validates (decided once, when the schema is loaded).
    /// </summary>
    internal bool IsCompiled => _compiled is not null;

    /// <summary>
    /// The data schema of every system error event, <c>{ errorName: string, errorMessage: string,
    /// errorStack: string | null }</c>, all required (wire-format section 10). Its <see cref="Json"/> is
    /// the reference's export; it is loaded with <see cref="ArvoSchemaOptions.ZodExport"/>, so extra keys
    /// are accepted as in the reference.
    /// </summary>
    public static ArvoSchema SystemError { get; } = FromZodExport(
        """
        {"type":"object","properties":{"errorName":{"type":"string","description":"The name of the error."},"errorMessage":{"type":"string","description":"A descriptive message for the error."},"errorStack":{"type":["string","null"],"description":"The stack trace of the error."}},"required":["errorName","errorMessage","errorStack"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}
        """);

    /// <summary>The schema document as given (or as generated), e.g. for export. Never modified.</summary>
    public JsonElement Json { get; }

    /// <summary>The options the schema was loaded with.</summary>
    public ArvoSchemaOptions Options { get; }

    /// <summary>Loads a JSON Schema from its JSON text.</summary>
    /// <param name="json">The schema document, e.g. <c>{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}</c>.</param>
    /// <param name="options">How to interpret the schema; <see cref="ArvoSchemaOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not JSON or not a loadable schema.</exception>
    public static ArvoSchema FromJson([StringSyntax(StringSyntaxAttribute.Json)] string json, ArvoSchemaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(json);
            element = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new ArgumentException($"The schema is not valid JSON: {exception.Message}", nameof(json), exception);
        }

        return FromJson(element, options);
    }

    /// <summary>Loads a JSON Schema from a parsed JSON document.</summary>
    /// <param name="json">The schema document (a JSON object, or <c>true</c>/<c>false</c>).</param>
    /// <param name="options">How to interpret the schema; <see cref="ArvoSchemaOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="json"/> is not a loadable schema: not an object or boolean, more than 64 levels deep, holding a
    /// lone UTF-16 surrogate or a number beyond the double range, a reference outside the document, an invalid
    /// <c>pattern</c> or <c>patternProperties</c> key, a <c>multipleOf</c> that is not positive. No other exception
    /// leaves this method.
    /// </exception>
    public static ArvoSchema FromJson(JsonElement json, ArvoSchemaOptions? options = null)
    {
        options ??= ArvoSchemaOptions.Default;
        if (json.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            throw new ArgumentException($"A JSON Schema must be a JSON object or a boolean, not {json.ValueKind}.", nameof(json));
        }

        json = json.Clone();

        // The same door as for data: text that cannot be encoded as UTF-8, infinite numbers and deep nesting.
        if (UntrustedData.Check(json) is { } rejected)
        {
            throw new ArgumentException($"The JSON Schema cannot be loaded: {rejected}", nameof(json));
        }

        JsonSchema schema;
        var patternKeySources = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            schema = LocalSchemaLoader.Load(SchemaJsonPreparer.Prepare(json, options, patternKeySources));
        }
        catch (Exception exception) when (exception is Newtonsoft.Json.JsonException or JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new ArgumentException($"The JSON Schema cannot be loaded: {exception.Message}", nameof(json), exception);
        }

        SchemaPatterns.CheckLoadable(schema);
        return new ArvoSchema(json, options, schema, patternKeySources);
    }

    /// <summary>
    /// Loads a schema exported by the reference (zod-to-json-schema, e.g. <c>toJsonSchema()</c> output)
    /// with the reference's runtime semantics: <see cref="ArvoSchemaOptions.ZodExport"/>.
    /// </summary>
    /// <param name="json">The exported schema document.</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not JSON or not a loadable schema.</exception>
    public static ArvoSchema FromZodExport([StringSyntax(StringSyntaxAttribute.Json)] string json) => FromJson(json, ArvoSchemaOptions.ZodExport);

    /// <summary>Same as <see cref="FromZodExport(string)"/> for a parsed document.</summary>
    /// <param name="json">The exported schema document.</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a loadable schema.</exception>
    public static ArvoSchema FromZodExport(JsonElement json) => FromJson(json, ArvoSchemaOptions.ZodExport);

    /// <summary>
    /// Uses an NJsonSchema schema. The schema is copied (through its JSON form), so later changes to
    /// <paramref name="schema"/> do not affect the result.
    /// </summary>
    /// <param name="schema">The schema.</param>
    /// <param name="options">How to interpret the schema; <see cref="ArvoSchemaOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The schema cannot be loaded.</exception>
    public static ArvoSchema FromSchema(JsonSchema schema, ArvoSchemaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return FromJson(schema.ToJson(), options);
    }

    /// <summary>Generates the schema of a C# type (see <see cref="FromType(Type, JsonSerializerOptions?)"/>).</summary>
    /// <typeparam name="T">The data type, e.g. <c>record IncrementResult(double NewValue)</c>.</typeparam>
    /// <param name="serializerOptions">The System.Text.Json options the data is serialized with; default <see cref="ArvoJson.DefaultSerializerOptions"/>.</param>
    public static ArvoSchema FromType<T>(JsonSerializerOptions? serializerOptions = null) => FromType(typeof(T), serializerOptions);

    /// <summary>
    /// Generates the schema of a C# type with NJsonSchema. Property names and enum values follow
    /// <paramref name="serializerOptions"/>, which default to <see cref="ArvoJson.DefaultSerializerOptions"/>, the options
    /// event data is serialized (<see cref="ArvoEvent.ToData"/>, <see cref="ArvoEventCreationOptions.SerializerOptions"/>)
    /// and read (<see cref="ArvoEvent.GetData{T}"/>) with by default: a value of the type, serialized that way, satisfies
    /// the schema and deserializes back to an equal value. A property whose type does not admit null and that has no
    /// default (<c>[DefaultValue]</c>) is required; a nullable property (<c>string?</c>, <c>int?</c>)
    /// may be absent or null. Undeclared properties are accepted (and removed by <see cref="Parse"/>).
    /// </summary>
    /// <param name="type">The data type.</param>
    /// <param name="serializerOptions">
    /// The System.Text.Json options the data is serialized with; default <see cref="ArvoJson.DefaultSerializerOptions"/>.
    /// Pass the same instance as <see cref="ArvoEventCreationOptions.SerializerOptions"/> when you change them.
    /// </param>
    public static ArvoSchema FromType(Type type, JsonSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var settings = new SystemTextJsonSchemaGeneratorSettings
        {
            SerializerOptions = serializerOptions ?? ArvoJson.DefaultSerializerOptions,
            AlwaysAllowAdditionalObjectProperties = true,
            SchemaType = SchemaType.JsonSchema,
        };
        settings.SchemaProcessors.Add(RequireNonNullableProperties.Instance);
        return FromJson(JsonSchema.FromType(type, settings).ToJson());
    }

    /// <summary>Checks data against the schema without changing it (for consumed data).</summary>
    /// <param name="data">The data, e.g. an event's <c>data</c>.</param>
    /// <returns>
    /// <see cref="ArvoSchemaValidationResult.Success"/>, or the issues found. Whatever the data, the answer is a
    /// result, never an exception. Before the schema is consulted, data is invalid (with only these issues) when it is
    /// an undefined <c>default(JsonElement)</c> (<c>$: expected a JSON value</c>), holds a string or property name with a
    /// lone UTF-16 surrogate (<c>invalid_string</c>: such text cannot be encoded as UTF-8, so it is rejected), a number
    /// beyond the double range such as <c>1e309</c> (<c>not_finite</c>: <c>expected a finite number</c>), or objects
    /// and arrays nested more than 256 levels deep (<c>too_big</c>). A <c>pattern</c> match that exceeds
    /// <see cref="ArvoSchemaOptions.PatternMatchTimeout"/> makes the data invalid with one issue naming the path and the
    /// pattern.
    /// </returns>
    /// <remarks>
    /// The verdict comes from the compiled validator when the schema allows it (the common case), else from NJsonSchema.
    /// The issues of invalid data are always NJsonSchema's own report (<see cref="JsonSchemaValidator"/>), mapped to
    /// <see cref="ArvoSchemaIssue"/>s; <c>pattern</c> is matched for both by the same <see cref="Regex"/>.
    /// </remarks>
    public ArvoSchemaValidationResult Validate(JsonElement data)
    {
        if (UntrustedData.Check(data) is { } rejected)
        {
            return rejected;
        }

        try
        {
            if (_compiled is null)
            {
                return ValidateOnFallback(data);
            }

            return _compiled.IsValid(data) ? ArvoSchemaValidationResult.Success : ReportInvalid(data);
        }
        catch (RegexMatchTimeoutException timeout)
        {
            return UntrustedData.PatternTimedOut(data, timeout);
        }
    }

    /// <summary>Validation by NJsonSchema alone, on a Newtonsoft copy of the data: the fallback, and the reference the compiled validator's verdict is tested against.</summary>
    /// <remarks>The data must have passed <see cref="UntrustedData.Check"/>; NJsonSchema's own matching of <c>patternProperties</c> has no timeout (see <see cref="CheckFallbackNamePatterns"/>).</remarks>
    internal ArvoSchemaValidationResult ValidateWithNJsonSchema(JsonElement data) =>
        SchemaIssues.ToResult(_validator.Validate(JsonElementTokens.ToJToken(data), _schema));

    /// <summary>NJsonSchema's report of data the compiled validator found invalid (never <see cref="ArvoSchemaValidationResult.Success"/>).</summary>
    private ArvoSchemaValidationResult ReportInvalid(JsonElement data)
    {
        var result = ValidateWithNJsonSchema(data);
        return result.IsValid ? ArvoSchemaValidationResult.InvalidFrom([]) : result;
    }

    /// <summary>The NJsonSchema path: every property name is matched against every <c>patternProperties</c> key with a timeout first, so NJsonSchema's own (unbounded) matching of the same pairs cannot hang.</summary>
    private ArvoSchemaValidationResult ValidateOnFallback(JsonElement data)
    {
        CheckFallbackNamePatterns(data);
        return ValidateWithNJsonSchema(data);
    }

    /// <summary>
    /// NJsonSchema 11.6.2 matches <c>patternProperties</c> keys with <c>Regex.IsMatch(name, key)</c>, which has no
    /// timeout (a <c>pattern</c> it hands to <see cref="PatternFormatValidator"/>, see <see cref="SchemaJsonPreparer"/>).
    /// Matching every property name against every key on the same (backtracking) engine with the timeout first bounds
    /// what NJsonSchema then spends on the pairs it matches (a subset). A pathological pair throws here instead.
    /// </summary>
    /// <exception cref="RegexMatchTimeoutException">A match timed out.</exception>
    private void CheckFallbackNamePatterns(JsonElement data)
    {
        if (_fallbackNamePatterns.Length == 0)
        {
            return;
        }

        UntrustedData.ForEachString(
            data,
            static _ => { },
            name =>
            {
                foreach (var pattern in _fallbackNamePatterns)
                {
                    pattern.IsMatch(name);
                }
            });
    }

    /// <summary>
    /// Validates data and returns what zod's <c>parse</c> returns (for emitted data): undeclared
    /// properties removed at every object level (unless the schema keeps them through
    /// <c>additionalProperties</c>/<c>patternProperties</c>, or the object declares no properties),
    /// <c>default</c> values applied to absent properties, declared properties in schema order followed by
    /// kept undeclared ones. Data that is already in that form is returned as is.
    /// </summary>
    /// <param name="data">The data to emit.</param>
    /// <returns>The parsed data.</returns>
    /// <exception cref="ArvoSchemaValidationException">The data does not match the schema, or is rejected before it is checked (see <see cref="Validate"/>). No other exception leaves this method.</exception>
    public JsonElement Parse(JsonElement data) =>
        TryParse(data, out var parsed, out var validation) ? parsed : throw new ArvoSchemaValidationException(validation);

    /// <summary>Like <see cref="Parse"/>, without throwing: whatever the data, the answer is a result (see <see cref="Validate"/>).</summary>
    /// <param name="data">The data to emit.</param>
    /// <param name="parsed">The parsed data when valid; <c>default</c> otherwise.</param>
    /// <param name="validation">The validation result.</param>
    /// <returns>True when the data is valid.</returns>
    public bool TryParse(JsonElement data, out JsonElement parsed, out ArvoSchemaValidationResult validation)
    {
        if (UntrustedData.Check(data) is { } rejected)
        {
            parsed = default;
            validation = rejected;
            return false;
        }

        try
        {
            if (_compiled is not null && _compiled.IsValid(data))
            {
                validation = ArvoSchemaValidationResult.Success;
                parsed = _normalizer.Normalize(data);
                return true;
            }

            validation = _compiled is not null ? ReportInvalid(data) : ValidateOnFallback(data);
            parsed = validation.IsValid ? _normalizer.Normalize(data) : default;
            return validation.IsValid;
        }
        catch (RegexMatchTimeoutException timeout)
        {
            parsed = default;
            validation = UntrustedData.PatternTimedOut(data, timeout);
            return false;
        }
    }

    /// <summary>The schema document as JSON text.</summary>
    public override string ToString() => Json.GetRawText();
}
