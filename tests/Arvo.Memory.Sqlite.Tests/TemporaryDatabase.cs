using Microsoft.Data.Sqlite;

namespace Arvo.Memory.Sqlite.Tests;

/// <summary>A database file of its own for one test, deleted with its WAL and shared-memory files.</summary>
internal sealed class TemporaryDatabase
{
    public TemporaryDatabase() =>
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"arvo-sqlite-{Guid.NewGuid():N}.db");

    public string Path { get; }

    public SqliteMachineMemoryOptions Options => SqliteMachineMemoryOptions.ForFile(Path);

    /// <summary>A raw connection to the file, behind the store's back.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Execute(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Deletes the files; dispose every store on it first (that releases its pooled connections).</summary>
    public void Delete()
    {
        foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
        {
            File.Delete(Path + suffix);
        }
    }
}
