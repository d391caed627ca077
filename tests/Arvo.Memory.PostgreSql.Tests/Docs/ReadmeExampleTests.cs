namespace Arvo.Memory.PostgreSql.Tests.Docs;

/// <summary>The package README's example, compiled and run (with a schema of its own instead of <c>arvo</c>).</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task ReadmeExample_CreatesTheStoreAndItWorks()
    {
        var schema = PostgreSqlTestDatabase.NewSchemaName();
        await using var dataSource = await PostgreSqlTestDatabase.CreateDataSourceAsync();
        try
        {
            var memory = new PostgreSqlMachineMemory<MachineMemoryRecord>(dataSource, new PostgreSqlMachineMemoryOptions
            {
                Schema = schema,
                TablePrefix = "orders_",
                LockTimeToLive = TimeSpan.FromSeconds(30),
            });
            await memory.EnsureCreatedAsync();
            (await memory.PurgePublishedOutboxAsync(TimeSpan.FromDays(7))).Should().Be(0);

            (await memory.WriteAsync("order-1", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord("order-1")))).Should().Be(1);
            (await memory.ReadAsync("order-1"))!.Version.Should().Be(1);
        }
        finally
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(dataSource, schema);
        }
    }
}
