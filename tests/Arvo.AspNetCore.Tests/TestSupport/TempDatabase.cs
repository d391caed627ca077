namespace Arvo.AspNetCore.Tests.TestSupport;

/// <summary>A SQLite file path in a fresh temporary directory, deleted with the directory on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("arvo-http-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "workflows.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
