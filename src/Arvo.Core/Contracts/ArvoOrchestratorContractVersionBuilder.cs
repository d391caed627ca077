namespace Arvo.Contracts;

/// <summary>
/// Declares one version of an orchestrator contract (<see cref="ArvoContract.CreateOrchestrator"/>): the init
/// data (merged with the required <c>parentSubject$$</c>) and the completion data.
/// </summary>
public sealed class ArvoOrchestratorContractVersionBuilder
{
    internal ArvoOrchestratorContractVersionBuilder()
    {
    }

    internal ArvoSchema? InitSchema { get; private set; }

    internal ArvoSchema? CompleteSchema { get; private set; }

    /// <summary>Sets the schema of the init event's data; it must be an object schema.</summary>
    /// <param name="schema">The schema, without <c>parentSubject$$</c> (it is added; a definition given here replaces the standard one).</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorContractVersionBuilder Init(ArvoSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        InitSchema = schema;
        return this;
    }

    /// <summary>Sets the schema of the init event's data from JSON Schema text.</summary>
    /// <param name="schemaJson">The JSON Schema.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The schema cannot be loaded.</exception>
    public ArvoOrchestratorContractVersionBuilder Init(string schemaJson) => Init(ArvoSchema.FromJson(schemaJson));

    /// <summary>Sets the schema of the completion event's data.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>This builder.</returns>
    public ArvoOrchestratorContractVersionBuilder Complete(ArvoSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        CompleteSchema = schema;
        return this;
    }

    /// <summary>Sets the schema of the completion event's data from JSON Schema text.</summary>
    /// <param name="schemaJson">The JSON Schema.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The schema cannot be loaded.</exception>
    public ArvoOrchestratorContractVersionBuilder Complete(string schemaJson) => Complete(ArvoSchema.FromJson(schemaJson));
}
