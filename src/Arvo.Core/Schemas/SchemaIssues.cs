using System.Globalization;
using Arvo.Schemas;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Arvo.Internal;

/// <summary>Maps NJsonSchema's <see cref="ValidationError"/> tree to flat, readable <see cref="ArvoSchemaIssue"/>s.</summary>
internal static class SchemaIssues
{
    private const int MaxLiteralLength = 80;

    public static ArvoSchemaValidationResult ToResult(ICollection<ValidationError> errors)
    {
        if (errors.Count == 0)
        {
            return ArvoSchemaValidationResult.Success;
        }

        var issues = new List<ArvoSchemaIssue>();
        Collect(errors, issues);
        return ArvoSchemaValidationResult.InvalidFrom(issues);
    }

    private static void Collect(IEnumerable<ValidationError> errors, List<ArvoSchemaIssue> issues)
    {
        foreach (var error in errors)
        {
            // A required property of something that is not an object: the type error already says it.
            if (error.Kind == ValidationErrorKind.PropertyRequired && error.Token is not null and not JObject)
            {
                continue;
            }

            switch (error)
            {
                case ChildSchemaValidationError child when error.Kind is ValidationErrorKind.ArrayItemNotValid
                    or ValidationErrorKind.AdditionalItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid
                    or ValidationErrorKind.NotAllOf:
                    foreach (var branch in child.Errors.Values)
                    {
                        Collect(branch, issues);
                    }

                    break;
                case ChildSchemaValidationError union:
                    issues.Add(UnionIssue(union));
                    break;
                case MultiTypeValidationError multi:
                    issues.Add(new ArvoSchemaIssue(
                        ToPath(error.Path),
                        "invalid_type",
                        string.Join(" or ", multi.Errors.Keys.Select(TypeName).Distinct()),
                        DescribeKind(error.Token)));
                    break;
                default:
                    issues.Add(Leaf(error));
                    break;
            }
        }
    }

    private static ArvoSchemaIssue UnionIssue(ChildSchemaValidationError union)
    {
        var path = ToPath(union.Path);
        if (union.Kind == ValidationErrorKind.NotOneOf && union.Errors.Values.Count(e => e.Count == 0) > 1)
        {
            return new ArvoSchemaIssue(path, "invalid_union", "exactly one of the 'oneOf' schemas to match",
                $"{Literal(union.Token)} matching {union.Errors.Values.Count(e => e.Count == 0)} of them");
        }

        var branches = union.Errors.Values.Select(branch =>
        {
            var nested = new List<ArvoSchemaIssue>();
            Collect(branch, nested);
            return string.Join(" and ", nested.Select(issue => issue.Path == path ? issue.Expected : $"{issue.Path} {issue.Expected}").Distinct());
        });
        return new ArvoSchemaIssue(path, "invalid_union", string.Join(" or ", branches), Literal(union.Token));
    }

    private static ArvoSchemaIssue Leaf(ValidationError error) =>
        Leaf(error.Kind, ToPath(error.Path), error.Schema, error.Token, error.Property);

    private static ArvoSchemaIssue Leaf(ValidationErrorKind kind, string path, JsonSchema? schema, JToken? token, string? property)
    {
        return kind switch
        {
            ValidationErrorKind.StringExpected or ValidationErrorKind.NumberExpected or ValidationErrorKind.IntegerExpected
                or ValidationErrorKind.BooleanExpected or ValidationErrorKind.ObjectExpected or ValidationErrorKind.ArrayExpected
                or ValidationErrorKind.NullExpected =>
                new(path, "invalid_type", ExpectedTypeName(kind), DescribeKind(token)),
            ValidationErrorKind.PropertyRequired =>
                new(path, "invalid_type", $"{DescribeRequired(schema, property)} (required)", "missing"),
            ValidationErrorKind.NoAdditionalPropertiesAllowed =>
                new(path, "unrecognized_keys", "no undeclared property (additionalProperties is false)", $"undeclared property '{property}'"),
            ValidationErrorKind.NotInEnumeration =>
                new(path, "invalid_enum_value", $"one of {string.Join(", ", schema?.Enumeration.Select(LiteralOf) ?? [])}", Literal(token)),
            ValidationErrorKind.StringTooShort =>
                new(path, "too_small", $"string of at least {schema?.MinLength} character(s)", $"string of length {StringLength(token)}"),
            ValidationErrorKind.StringTooLong =>
                new(path, "too_big", $"string of at most {schema?.MaxLength} character(s)", $"string of length {StringLength(token)}"),
            ValidationErrorKind.PatternMismatch =>
                new(path, "invalid_string", $"string matching /{(schema is null ? null : SchemaPatterns.PatternOf(schema))}/", Literal(token)),
            ValidationErrorKind.NumberTooSmall =>
                new(path, "too_small", LowerBound(schema), Literal(token)),
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig =>
                new(path, "too_big", UpperBound(schema), Literal(token)),
            ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf =>
                new(path, "not_multiple_of", $"multiple of {Number(schema?.MultipleOf)}", Literal(token)),
            ValidationErrorKind.TooFewItems =>
                new(path, "too_small", $"array of at least {schema?.MinItems} item(s)", $"array of {(token as JArray)?.Count} item(s)"),
            ValidationErrorKind.TooManyItems =>
                new(path, "too_big", $"array of at most {schema?.MaxItems} item(s)", $"array of {(token as JArray)?.Count} item(s)"),
            ValidationErrorKind.TooManyItemsInTuple =>
                new(path, "too_big", $"at most {schema?.Items.Count} tuple item(s)", "an extra item"),
            ValidationErrorKind.ItemsNotUnique =>
                new(path, "custom", "array of unique items", "duplicate items"),
            ValidationErrorKind.TooFewProperties =>
                new(path, "too_small", $"object of at least {schema?.MinProperties} properties", $"object of {(token as JObject)?.Count} properties"),
            ValidationErrorKind.TooManyProperties =>
                new(path, "too_big", $"object of at most {schema?.MaxProperties} properties", $"object of {(token as JObject)?.Count} properties"),
            ValidationErrorKind.ExcludedSchemaValidates =>
                new(path, "custom", "a value not matching the 'not' schema", Literal(token)),
            ValidationErrorKind.DateTimeExpected or ValidationErrorKind.DateExpected or ValidationErrorKind.TimeExpected
                or ValidationErrorKind.TimeSpanExpected or ValidationErrorKind.UriExpected or ValidationErrorKind.IpV4Expected
                or ValidationErrorKind.IpV6Expected or ValidationErrorKind.GuidExpected or ValidationErrorKind.EmailExpected
                or ValidationErrorKind.HostnameExpected or ValidationErrorKind.Base64Expected or ValidationErrorKind.UuidExpected =>
                new(path, "invalid_string", $"string in format '{schema?.Format}'", Literal(token)),
            _ => new(path, "custom", $"a value satisfying '{kind}'", Literal(token)),
        };
    }

    /// <summary>NJsonSchema's <c>#/a.b[0]</c> (or <c>a.b[0]</c>) as <c>$.a.b[0]</c>.</summary>
    internal static string ToPath(string? path)
    {
        var relative = path ?? string.Empty;
        if (relative.StartsWith('#'))
        {
            relative = relative.TrimStart('#').TrimStart('/');
        }

        return relative.Length == 0 ? "$" : relative[0] == '[' ? "$" + relative : "$." + relative;
    }

    private static string ExpectedTypeName(ValidationErrorKind kind) => kind switch
    {
        ValidationErrorKind.StringExpected => "string",
        ValidationErrorKind.NumberExpected => "number",
        ValidationErrorKind.IntegerExpected => "integer",
        ValidationErrorKind.BooleanExpected => "boolean",
        ValidationErrorKind.ObjectExpected => "object",
        ValidationErrorKind.ArrayExpected => "array",
        _ => "null",
    };

    internal static string TypeName(JsonObjectType type) => type switch
    {
        JsonObjectType.String => "string",
        JsonObjectType.Number => "number",
        JsonObjectType.Integer => "integer",
        JsonObjectType.Boolean => "boolean",
        JsonObjectType.Object => "object",
        JsonObjectType.Array => "array",
        JsonObjectType.Null => "null",
        JsonObjectType.File => "file",
        _ => "any value",
    };

    private static string DescribeRequired(JsonSchema? owner, string? property)
    {
        if (owner is not null && property is not null && owner.Properties.TryGetValue(property, out var schema))
        {
            return DescribeSchema(schema.ActualSchema, depth: 0);
        }

        return "a value";
    }

    private static string DescribeSchema(JsonSchema schema, int depth)
    {
        if (schema.Enumeration.Count > 0)
        {
            return $"one of {string.Join(", ", schema.Enumeration.Select(LiteralOf))}";
        }

        var types = Enum.GetValues<JsonObjectType>()
            .Where(type => type != JsonObjectType.None && schema.Type.HasFlag(type))
            .Select(TypeName)
            .ToList();
        if (depth < 2)
        {
            foreach (var branch in schema.AnyOf.Concat(schema.OneOf))
            {
                types.Add(DescribeSchema(branch.ActualSchema, depth + 1));
            }
        }

        return types.Count == 0 ? "a value" : string.Join(" or ", types.Distinct());
    }

    internal static string DescribeKind(JToken? token) => token switch
    {
        null => "missing",
        JProperty property => DescribeKind(property.Value),
        _ => token.Type switch
        {
            JTokenType.Object => "object",
            JTokenType.Array => "array",
            JTokenType.Integer or JTokenType.Float => "number",
            JTokenType.Boolean => "boolean",
            JTokenType.Null or JTokenType.Undefined => "null",
            _ => "string",
        },
    };

    internal static string Literal(JToken? token)
    {
        if (token is null)
        {
            return "missing";
        }

        if (token is JProperty property)
        {
            token = property.Value;
        }

        var text = token.ToString(Formatting.None);
        return text.Length <= MaxLiteralLength ? text : string.Concat(text.AsSpan(0, MaxLiteralLength), "…");
    }

    private static string LiteralOf(object? value) => JsonConvert.SerializeObject(value, Formatting.None);

    private static int StringLength(JToken? token) => token?.Type == JTokenType.String ? ((string?)token)?.Length ?? 0 : 0;

    private static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string LowerBound(JsonSchema? schema)
    {
        if (schema?.ExclusiveMinimum is { } exclusive)
        {
            return $"number > {Number(exclusive)}";
        }

        return schema?.IsExclusiveMinimum == true ? $"number > {Number(schema.Minimum)}" : $"number >= {Number(schema?.Minimum)}";
    }

    private static string UpperBound(JsonSchema? schema)
    {
        if (schema?.ExclusiveMaximum is { } exclusive)
        {
            return $"number < {Number(exclusive)}";
        }

        return schema?.IsExclusiveMaximum == true ? $"number < {Number(schema.Maximum)}" : $"number <= {Number(schema?.Maximum)}";
    }
}
