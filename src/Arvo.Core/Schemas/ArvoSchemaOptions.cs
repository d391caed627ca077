namespace Arvo;

/// <summary>How an <see cref="ArvoSchema"/> interprets the JSON Schema it is built from.</summary>
/// <remarks>
/// The default (<see cref="Default"/>) honours the schema exactly as written. Use
/// <see cref="ZodExport"/> (or <see cref="ArvoSchema.FromZodExport(string)"/>) for schemas exported by the
/// TypeScript reference, which behave more leniently at runtime than their export says.
/// </remarks>
public sealed record ArvoSchemaOptions
{
    /// <summary>The default options: the schema is honoured as written.</summary>
    public static ArvoSchemaOptions Default { get; } = new();

    /// <summary>
    /// Options for schemas exported by the reference (zod-to-json-schema):
    /// <see cref="IgnoreAdditionalPropertiesFalse"/> is true.
    /// </summary>
    public static ArvoSchemaOptions ZodExport { get; } = new() { IgnoreAdditionalPropertiesFalse = true };

    /// <summary>
    /// When true, <c>"additionalProperties": false</c> is not enforced by validation: an object with
    /// undeclared properties is valid, and <see cref="ArvoSchema.Parse"/> removes those properties.
    /// Default <c>false</c>.
    /// </summary>
    /// <remarks>
    /// The reference exports every zod object with <c>additionalProperties: false</c>, yet zod accepts
    /// (and strips) unknown keys at runtime; set this to load such an export with the reference's runtime
    /// semantics. It is off by default because in a hand-written schema <c>additionalProperties: false</c>
    /// is the author forbidding extra properties, which validation must then honour. The exported
    /// <see cref="ArvoSchema.Json"/> is unchanged either way.
    /// </remarks>
    public bool IgnoreAdditionalPropertiesFalse { get; init; }
}
