using System.Diagnostics;
using Arvo.Telemetry;
using Npgsql;

namespace Arvo.Memory.PostgreSql.Tests;

/// <summary>Npgsql's own spans (ActivitySource <c>Npgsql</c>) nest under Arvo's memory spans when a listener takes both.</summary>
public sealed class PostgreSqlMachineMemoryTracingTests : IAsyncLifetime
{
    private readonly string _schema = PostgreSqlTestDatabase.NewSchemaName();
    private readonly List<Activity> _stopped = [];
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync() => _db = await PostgreSqlTestDatabase.CreateDataSourceAsync();

    public async Task DisposeAsync()
    {
        await PostgreSqlTestDatabase.DropSchemaAsync(_db, _schema);
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task WriteAsync_ListenerOnArvoAndNpgsql_RecordsNpgsqlCommandSpansInsideTheArvoWriteSpan()
    {
        var memory = new TelemetryMachineMemory<MachineMemoryRecord>(
            new PostgreSqlMachineMemory<MachineMemoryRecord>(_db, new PostgreSqlMachineMemoryOptions { Schema = _schema }),
            memoryName: "PostgreSql");
        await ((PostgreSqlMachineMemory<MachineMemoryRecord>)memory.Inner).EnsureCreatedAsync();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or ArvoTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await memory.WriteAsync("traced", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord("traced"), MachineMemoryTestData.Events("traced", "e-1")));

        Activity[] stopped;
        lock (_stopped)
        {
            stopped = [.. _stopped];
        }

        // Other tests run in parallel and produce spans too: pick ours by the Arvo span and its children.
        var write = stopped.Single(a => a.Source.Name == ArvoTelemetry.ActivitySourceName && a.DisplayName == "Write PostgreSql Memory" && (string?)a.GetTagItem("arvo.memory.id") == "traced");
        var commands = stopped.Where(a => a.Source.Name == "Npgsql" && a.ParentSpanId == write.SpanId).ToList();
        commands.Should().HaveCount(1, "a write is one statement");
        commands[0].TraceId.Should().Be(write.TraceId);
        commands[0].Status.Should().NotBe(ActivityStatusCode.Error);
    }
}
