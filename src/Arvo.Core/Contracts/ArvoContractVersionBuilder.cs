using Arvo.Schemas;

namespace Arvo.Contracts;

/// <summary>Declares one version of a plain contract: the accepted event's schema and the emitted events.</summary>
public sealed class ArvoContractVersionBuilder
{
    private readonly List<KeyValuePair<string, ArvoSchema>> _emits = [];

    internal ArvoContractVersionBuilder()
    {
    }

    internal ArvoSchema? AcceptsSchema { get; private set; }

    internal IReadOnlyList<KeyValuePair<string, ArvoSchema>> EmitsList => _emits;

    /// <summary>Sets the schema of the accepted event's data.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>This builder.</returns>
    public ArvoContractVersionBuilder Accepts(ArvoSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        AcceptsSchema = schema;
        return this;
    }

    /// <summary>Sets the schema of the accepted event's data from JSON Schema text (<see cref="ArvoSchema.FromJson(string, ArvoSchemaOptions?)"/>).</summary>
    /// <param name="schemaJson">The JSON Schema.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The schema cannot be loaded.</exception>
    public ArvoContractVersionBuilder Accepts(string schemaJson) => Accepts(ArvoSchema.FromJson(schemaJson));

    /// <summary>Declares an emitted event type (declaration order is kept).</summary>
    /// <param name="type">The event type, e.g. <c>evt.number.increment.success</c>.</param>
    /// <param name="schema">The schema of its data.</param>
    /// <returns>This builder.</returns>
    public ArvoContractVersionBuilder Emits(string type, ArvoSchema schema)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(schema);
        _emits.Add(KeyValuePair.Create(type, schema));
        return this;
    }

    /// <summary>Declares an emitted event type with a schema given as JSON Schema text.</summary>
    /// <param name="type">The event type.</param>
    /// <param name="schemaJson">The JSON Schema of its data.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The schema cannot be loaded.</exception>
    public ArvoContractVersionBuilder Emits(string type, string schemaJson) => Emits(type, ArvoSchema.FromJson(schemaJson));
}
