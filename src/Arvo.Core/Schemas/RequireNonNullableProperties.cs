using NJsonSchema;
using NJsonSchema.Generation;

namespace Arvo.Internal;

/// <summary>
/// Schema generation rule for <see cref="ArvoSchema.FromType{T}"/>: a property whose type does not admit
/// null and that has no <c>default</c> is required (zod's plain field); a nullable property may be
/// absent or null.
/// </summary>
internal sealed class RequireNonNullableProperties : ISchemaProcessor
{
    public static readonly RequireNonNullableProperties Instance = new();

    public void Process(SchemaProcessorContext context)
    {
        foreach (var property in context.Schema.ActualProperties.Values)
        {
            if (!property.IsNullable(SchemaType.JsonSchema) && property.Default is null)
            {
                property.IsRequired = true;
            }
        }
    }
}
