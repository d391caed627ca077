namespace Arvo.Memory.PostgreSql;

/// <summary>
/// The database holds the store's tables in a newer schema version than this library knows: a newer release of
/// <c>Arvo.Memory.PostgreSql</c> created or migrated them. Nothing was changed; upgrade this host's package.
/// </summary>
public sealed class PostgreSqlMachineMemorySchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="schemaTable">The qualified name of the version table, e.g. <c>"public"."arvo_schema"</c>.</param>
    /// <param name="storedVersion">The version found in the database.</param>
    /// <param name="supportedVersion">The newest version this library supports.</param>
    public PostgreSqlMachineMemorySchemaException(string schemaTable, int storedVersion, int supportedVersion)
        : base($"The machine memory tables are at schema version {storedVersion} (in {schemaTable}), but this version of Arvo.Memory.PostgreSql supports version {supportedVersion} at most. A newer release created them; upgrade the package on this host. Nothing was changed.")
    {
        SchemaTable = schemaTable;
        StoredVersion = storedVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The qualified name of the version table.</summary>
    public string SchemaTable { get; }

    /// <summary>The version found in the database.</summary>
    public int StoredVersion { get; }

    /// <summary>The newest version this library supports.</summary>
    public int SupportedVersion { get; }
}
