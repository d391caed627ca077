using NJsonSchema;
using NJsonSchema.References;

namespace Arvo.Internal;

/// <summary>
/// NJsonSchema reference resolver that resolves only references inside the document (<c>#/…</c>).
/// Refusing file and URL references keeps schema loading free of I/O, so it completes synchronously.
/// </summary>
internal sealed class LocalReferenceResolver(JsonSchemaAppender appender) : JsonReferenceResolver(appender)
{
    public static JsonReferenceResolver Create(JsonSchema schema) =>
        new LocalReferenceResolver(new JsonSchemaAppender(schema, new DefaultTypeNameGenerator()));

    /// <inheritdoc />
    public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The schema references the file '{filePath}'. Only references inside the schema (#/...) are supported; inline the referenced schema.");

    /// <inheritdoc />
    public override Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The schema references the URL '{url}'. Only references inside the schema (#/...) are supported; inline the referenced schema.");
}
