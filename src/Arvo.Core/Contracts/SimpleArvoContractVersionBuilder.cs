namespace Arvo.Contracts;

/// <summary>
/// Declares one version of a simple contract (<see cref="ArvoContract.CreateSimple"/>): the accepted data
/// and the data of the single success event <c>evt.&lt;type&gt;.success</c>.
/// </summary>
public sealed class SimpleArvoContractVersionBuilder
{
    internal SimpleArvoContractVersionBuilder()
    {
    }

    internal ArvoSchema? AcceptsSchema { get; private set; }

    internal ArvoSchema? EmitsSchema { get; private set; }

    /// <summary>Sets the schema of the accepted event's data.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>This builder.</returns>
    public SimpleArvoContractVersionBuilder Accepts(ArvoSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        AcceptsSchema = schema;
        return this;
    }

    /// <summary>Sets the schema of the accepted event's data from JSON Schema text.</summary>
    /// <param name="schemaJson">The JSON Schema.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The schema cannot be loaded.</exception>
    public SimpleArvoContractVersionBuilder Accepts(string schemaJson) => Accepts(ArvoSchema.FromJson(schemaJson));

    /// <summary>Sets the schema of the success event's data.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>This builder.</returns>
    public SimpleArvoContractVersionBuilder Emits(ArvoSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        EmitsSchema = schema;
        return this;
    }

    /// <summary>Sets the schema of the success event's data from JSON Schema text.</summary>
    /// <param name="schemaJson">The JSON Schema.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The schema cannot be loaded.</exception>
    public SimpleArvoContractVersionBuilder Emits(string schemaJson) => Emits(ArvoSchema.FromJson(schemaJson));
}
