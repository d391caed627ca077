using Arvo.Memory;
using Arvo.Memory.PostgreSql;
using Arvo.Memory.PostgreSql.Tests;
using Npgsql;
using Xunit.Abstractions;

namespace Arvo.Drills.Tests;

/// <summary>The crash drills on PostgreSQL (a schema of their own per test), plus two worker processes at once.</summary>
public sealed class PostgreSqlCrashDrills(ITestOutputHelper output) : CrashDrills(output)
{
    private readonly string _schema = PostgreSqlTestDatabase.NewSchemaName();
    private NpgsqlDataSource? _dataSource;

    protected override string[] StoreArgs => ["--memory", "postgres", "--db", PostgreSqlTestDatabase.ConnectionString, "--schema", _schema];

    private NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Initialized in InitializeAsync.");

    public override async Task InitializeAsync() => _dataSource = await PostgreSqlTestDatabase.CreateDataSourceAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        // ARVO_DRILL_KEEP=1 keeps the schema to inspect a failed drill.
        if (_dataSource is not null && Environment.GetEnvironmentVariable("ARVO_DRILL_KEEP") is null)
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(_dataSource, _schema);
            await _dataSource.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoWorkerProcesses_SameWorkflowsAtOnce_NoLostUpdateAndNothingAppliedTwice(bool locking)
    {
        var workload = await DrillWorkload.CreateAsync(200);
        var inits = workload.WriteInits(Directory);
        string[] args = locking ? [.. StoreArgs, "--inits", inits, "--locking"] : [.. StoreArgs, "--inits", inits];

        // Both seed the same 200 inits and both drain the same outbox: every event is delivered to both, concurrently.
        var first = Start(args);
        var second = Start(args);

        (await first.WaitAsync(TimeSpan.FromMinutes(5))).Should().Be(0, first.Output);
        (await second.WaitAsync(TimeSpan.FromMinutes(5))).Should().Be(0, second.Output);
        AssertExactlyTheCrashFreeEvents(workload, await ReadOutboxAsync());
        await AssertEveryWorkflowDoneWithItsFinalAsync(workload);
        Output.WriteLine($"locking={locking}; worker 1: {first.Output.Trim()}; worker 2: {second.Output.Trim()}");
    }

    protected override IMachineMemory<MachineMemoryRecord> OpenMemory(TimeSpan leaseTimeToLive) =>
        new PostgreSqlMachineMemory<MachineMemoryRecord>(DataSource, new PostgreSqlMachineMemoryOptions { Schema = _schema, LockTimeToLive = leaseTimeToLive });

    protected override async Task<IReadOnlyList<OutboxRow>> ReadOutboxAsync()
    {
        var rows = new List<OutboxRow>();
        try
        {
            await using var command = DataSource.CreateCommand(
                $"SELECT workflow_id, event_id, event->>'type', status FROM \"{_schema}\".arvo_outbox ORDER BY seq");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(new OutboxRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return [];
        }

        return rows;
    }

    /// <summary>No lost update: every stored record is done, with the final value the in-memory run computed.</summary>
    private async Task AssertEveryWorkflowDoneWithItsFinalAsync(DrillWorkload workload)
    {
        var memory = OpenMemory(TimeSpan.FromSeconds(30));
        foreach (var init in workload.Inits)
        {
            var record = (MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!;
            record.Status.Should().Be("done");
            var delta = init.Data.GetProperty("delta").GetDouble();
            var expected = init.Data.GetProperty("type").GetString() == "increment" ? delta : -delta;
            record.State.GetProperty("context").GetProperty("newValue").GetDouble().Should().Be(expected);
        }
    }
}
