using Newtonsoft.Json.Serialization;
using NJsonSchema;
using NJsonSchema.Infrastructure;
using NJsonSchema.References;
using NJsonSchema.Visitors;

namespace Arvo.Internal;

/// <summary>
/// Loads a schema document into NJsonSchema without a task: NJsonSchema's own deserializer, then every local
/// reference (<c>#</c>, <c>#/…</c>) resolved by its own <see cref="JsonReferenceResolver"/>.
/// </summary>
/// <remarks>
/// NJsonSchema 11.6 loads only asynchronously (<c>JsonSchema.FromJsonAsync</c>), although nothing in it awaits
/// I/O when every reference is inside the document. This runs the same two passes as its loader, on its public
/// synchronous pieces (<see cref="JsonSchemaSerialization.FromJson{T}(string, IContractResolver)"/>,
/// <see cref="JsonReferenceVisitorBase"/>, <see cref="JsonReferenceResolver.ResolveDocumentReference"/>), so that
/// <see cref="ArvoSchema.FromJson(string, Arvo.Schemas.ArvoSchemaOptions?)"/> never blocks on a task. File and URL
/// references are refused: loading a schema does no I/O.
/// </remarks>
internal static class LocalSchemaLoader
{
    private static readonly IContractResolver ContractResolver = JsonSchema.CreateJsonSerializerContractResolver(SchemaType.JsonSchema);

    /// <summary>Loads the schema.</summary>
    /// <exception cref="Newtonsoft.Json.JsonException">The document is not a schema NJsonSchema can read.</exception>
    /// <exception cref="NotSupportedException">A reference points outside the document.</exception>
    /// <exception cref="InvalidOperationException">A local reference does not resolve.</exception>
    public static JsonSchema Load(string json)
    {
        var schema = JsonSchemaSerialization.FromJson<JsonSchema>(json, ContractResolver)
            ?? throw new InvalidOperationException("The schema document is null.");
        var resolver = new JsonReferenceResolver(new JsonSchemaAppender(schema, new DefaultTypeNameGenerator()));

        // The order of NJsonSchema's loader: first a definition that is only a $ref becomes its target, then every $ref
        // is pointed at its target.
        new ReferenceUpdater(schema, resolver, inlineDefinitions: true).Visit(schema);
        new ReferenceUpdater(schema, resolver, inlineDefinitions: false).Visit(schema);
        return schema;
    }

    private sealed class ReferenceUpdater(JsonSchema root, JsonReferenceResolver resolver, bool inlineDefinitions)
        : JsonReferenceVisitorBase(ContractResolver)
    {
        protected override IJsonReference VisitJsonReference(IJsonReference reference, string path, string? typeNameHint)
        {
            if (reference.ReferencePath is not { } target || reference.Reference is not null)
            {
                return reference;
            }

            if (inlineDefinitions)
            {
                var isDefinition = path.EndsWith("/definitions/" + typeNameHint, StringComparison.Ordinal)
                    || path.EndsWith("/schemas/" + typeNameHint, StringComparison.Ordinal);
                return isDefinition ? Resolve(target, reference.GetType()) : reference;
            }

            reference.Reference = Resolve(target, reference.GetType());
            return reference;
        }

        private IJsonReference Resolve(string target, Type type)
        {
            if (target == "#")
            {
                return root;
            }

            return target.StartsWith("#/", StringComparison.Ordinal)
                ? resolver.ResolveDocumentReference(root, target, type, ContractResolver)
                : throw new NotSupportedException($"The schema references '{target}'. Only references inside the schema (#/...) are supported; inline the referenced schema.");
        }
    }
}
