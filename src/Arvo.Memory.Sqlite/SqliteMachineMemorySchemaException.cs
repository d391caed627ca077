namespace Arvo.Memory.Sqlite;

/// <summary>
/// The database holds a schema version that this store cannot use: written by a newer version of
/// <c>Arvo.Memory.Sqlite</c> (upgrade the package) or not a schema this package ever wrote. The store changes nothing.
/// </summary>
public sealed class SqliteMachineMemorySchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="tablePrefix">The table prefix whose schema was inspected.</param>
    /// <param name="foundVersion">The version stored in the <c>{prefix}schema</c> table.</param>
    /// <param name="supportedVersion">The version this store reads and writes.</param>
    public SqliteMachineMemorySchemaException(string tablePrefix, long foundVersion, long supportedVersion)
        : base(foundVersion > supportedVersion
            ? $"The SQLite machine memory schema '{tablePrefix}schema' has version {foundVersion}, newer than version {supportedVersion} that this store supports; it was written by a newer Arvo.Memory.Sqlite. Upgrade the package. Nothing was changed."
            : $"The SQLite machine memory schema '{tablePrefix}schema' has version {foundVersion}; this store supports version {supportedVersion} only. Nothing was changed.")
    {
        TablePrefix = tablePrefix;
        FoundVersion = foundVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The table prefix whose schema was inspected.</summary>
    public string TablePrefix { get; }

    /// <summary>The version stored in the database.</summary>
    public long FoundVersion { get; }

    /// <summary>The version this store reads and writes.</summary>
    public long SupportedVersion { get; }
}
