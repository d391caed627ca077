using System.Text.Json;
using Arvo.Events;
using Arvo.Memory;

namespace Arvo.Testing.Memory;

/// <summary>The records, writes and events the specification uses, for a store's own extra tests.</summary>
public static class MachineMemoryTestData
{
    /// <summary>The <c>time</c> of every event made by <see cref="Events"/>.</summary>
    public const string EventTime = "2026-01-01T00:00:00.000+00:00";

    /// <summary>A normal record (the scenarios' valid record), with an optional subject, state value and counter.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="value">The state value.</param>
    /// <param name="count">A counter kept in the state (<c>{"count": n}</c>).</param>
    /// <returns>The record.</returns>
    public static MachineMemoryStateRecord StateRecord(string subject = "test", string value = "", int count = 0) => new()
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

    /// <summary>The counter of a record made by <see cref="StateRecord"/>.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="InvalidOperationException">The record is not a state record.</exception>
    public static int CountOf(MachineMemoryRecord? record) =>
        record is MachineMemoryStateRecord state ? state.State.GetProperty("count").GetInt32() : throw new InvalidOperationException("No state record.");

    /// <summary>A write that creates a workflow.</summary>
    /// <param name="record">The record.</param>
    /// <param name="outbox">Events for the outbox.</param>
    /// <returns>The write.</returns>
    public static MachineMemoryWrite<MachineMemoryRecord> Create(MachineMemoryRecord record, params ArvoEvent[] outbox) =>
        new() { Record = record, ExpectedVersion = 0, Outbox = outbox };

    /// <summary>A write that replaces the record of version <paramref name="expectedVersion"/>.</summary>
    /// <param name="expectedVersion">The version that was read.</param>
    /// <param name="record">The new record.</param>
    /// <param name="outbox">Events for the outbox.</param>
    /// <returns>The write.</returns>
    public static MachineMemoryWrite<MachineMemoryRecord> Update(long expectedVersion, MachineMemoryRecord record, params ArvoEvent[] outbox) =>
        new() { Record = record, ExpectedVersion = expectedVersion, Outbox = outbox };

    /// <summary>A write that replaces what <paramref name="read"/> returned, keeping its inbox.</summary>
    /// <param name="read">The entry that was read.</param>
    /// <param name="record">The new record.</param>
    /// <param name="outbox">Events for the outbox.</param>
    /// <returns>The write.</returns>
    public static MachineMemoryWrite<MachineMemoryRecord> Replace(MachineMemoryEntry<MachineMemoryRecord> read, MachineMemoryRecord record, params ArvoEvent[] outbox)
    {
        ArgumentNullException.ThrowIfNull(read);
        return new() { Record = record, ExpectedVersion = read.Version, Inbox = read.Inbox, Outbox = outbox };
    }

    /// <summary>Valid events with the given ids under <paramref name="subject"/>; their data holds non-ASCII text, escapes and a fraction.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="ids">The event ids.</param>
    /// <returns>The events.</returns>
    public static ArvoEvent[] Events(string subject, params string[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return [.. ids.Select(id => ArvoEvent.Create(new ArvoEventInit
        {
            Id = ArvoEventId.DeveloperManaged(id),
            Source = "com.test.source",
            Type = "com.test.event",
            Subject = subject,
            Time = EventTime,
            Data = JsonSerializer.SerializeToElement(new { id, text = "caf\u00e9 \u2603 \"quoted\"", n = 1.5 }),
        }))];
    }
}
