using System.Text.Json;

namespace Arvo.Memory.PostgreSql.Tests;

/// <summary>Records, writes and events for the PostgreSQL-specific tests (the same shapes as the specification's).</summary>
internal static class TestRecords
{
    public static MachineMemoryStateRecord State(string subject = "test", string value = "", int count = 0) => new()
    {
        InitEventId = string.Empty,
        Subject = subject,
        State = JsonSerializer.SerializeToElement(new { count }),
        ParentSubject = null,
        Status = "active",
        Value = JsonSerializer.SerializeToElement(value),
        MachineDefinition = null,
        Events = MachineMemoryEvents.Empty,
    };

    public static MachineMemoryWrite<MachineMemoryRecord> Create(MachineMemoryRecord record, params ArvoEvent[] outbox) =>
        new() { Record = record, ExpectedVersion = 0, Outbox = outbox };

    public static MachineMemoryWrite<MachineMemoryRecord> Update(long expectedVersion, MachineMemoryRecord record) =>
        new() { Record = record, ExpectedVersion = expectedVersion };

    public static ArvoEvent[] Events(string subject, params string[] ids) =>
        [.. ids.Select(id => ArvoEvent.Create(new ArvoEventInit
        {
            Id = ArvoEventId.DeveloperManaged(id),
            Source = "com.test.source",
            Type = "com.test.event",
            Subject = subject,
            Time = "2026-01-01T00:00:00.000+00:00",
            Data = JsonSerializer.SerializeToElement(new { id, n = 1 }),
        }))];
}
