using Npgsql;

namespace Arvo.Memory.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests run against: <c>TEST_POSTGRES_CONNECTION</c>, or the CI default
/// (<see cref="DefaultConnectionString"/>). Depends on Npgsql only, so other test projects can link this file.
/// When the server cannot be reached the tests fail with instructions; they never skip.
/// </summary>
public static class PostgreSqlTestDatabase
{
    /// <summary>The environment variable holding the connection string.</summary>
    public const string EnvironmentVariable = "TEST_POSTGRES_CONNECTION";

    /// <summary>What <c>.ci/services.sh</c> sets up: role <c>wf</c>, database <c>wf_test</c> on 127.0.0.1:5432.</summary>
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Database=wf_test;Username=wf;Password=wf";

    /// <summary>The connection string in use.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultConnectionString;

    /// <summary>A schema name no other test uses (<c>arvo_t_&lt;32 hex digits&gt;</c>).</summary>
    /// <returns>The name.</returns>
    public static string NewSchemaName() => $"arvo_t_{Guid.NewGuid():N}";

    /// <summary>Creates a data source (one per simulated host) and checks that the server answers.</summary>
    /// <returns>The data source; the caller disposes it.</returns>
    /// <exception cref="InvalidOperationException">The server cannot be reached; the message says how to start it.</exception>
    public static async Task<NpgsqlDataSource> CreateDataSourceAsync()
    {
        var dataSource = NpgsqlDataSource.Create(ConnectionString);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            return dataSource;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            await dataSource.DisposeAsync();
            var target = new NpgsqlConnectionStringBuilder(ConnectionString);
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at {target.Host}:{target.Port} (database '{target.Database}', user '{target.Username}'): {exception.Message} " +
                $"Start it from the repository root with `. .ci/services.sh` (as root; it installs PostgreSQL if missing, starts it, " +
                $"creates role wf and database wf_test and exports {EnvironmentVariable}), or set {EnvironmentVariable} to a server you can use.",
                exception);
        }
    }

    /// <summary>Drops a test schema and everything in it.</summary>
    /// <param name="dataSource">A data source of the test server.</param>
    /// <param name="schema">The schema (from <see cref="NewSchemaName"/>).</param>
    /// <returns>A task.</returns>
    public static async Task DropSchemaAsync(NpgsqlDataSource dataSource, string schema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
