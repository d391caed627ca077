namespace Arvo.Memory;

/// <summary>
/// A durable store found its tables at a schema version it cannot use: written by a newer release of the store's
/// package (upgrade it on this host) or not a schema that package ever wrote. The store changed nothing.
/// </summary>
public sealed class MachineMemorySchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="schemaTable">The table that holds the schema version, as the store names it.</param>
    /// <param name="foundVersion">The version found in the database.</param>
    /// <param name="supportedVersion">The version this store reads and writes.</param>
    /// <param name="message">The store's message: what was found and what to do.</param>
    public MachineMemorySchemaException(string schemaTable, long foundVersion, long supportedVersion, string message)
        : base(message)
    {
        SchemaTable = schemaTable;
        FoundVersion = foundVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The table that holds the schema version, as the store names it.</summary>
    public string SchemaTable { get; }

    /// <summary>The version found in the database.</summary>
    public long FoundVersion { get; }

    /// <summary>The version this store reads and writes.</summary>
    public long SupportedVersion { get; }
}
