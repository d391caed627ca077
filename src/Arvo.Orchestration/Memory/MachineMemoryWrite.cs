namespace Arvo.Memory;

/// <summary>One atomic write of a workflow: its new record, the version it replaces, its inbox and the events to add to the outbox.</summary>
/// <typeparam name="T">The stored record.</typeparam>
public sealed record MachineMemoryWrite<T>
    where T : class
{
    /// <summary>The new record. Later changes to this object by the caller never reach the store.</summary>
    public required T Record { get; init; }

    /// <summary>
    /// The version read at the start of this execution (<see cref="MachineMemoryEntry{T}.Version"/>); 0 to create a
    /// new workflow, in which case the write fails when a record already exists.
    /// </summary>
    /// <value>Default 0 (create).</value>
    public long ExpectedVersion { get; init; }

    /// <summary>The workflow's whole inbox after this write (it replaces the stored inbox).</summary>
    /// <value>Default <see cref="MachineMemoryInbox.Empty"/>.</value>
    public MachineMemoryInbox Inbox
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = MachineMemoryInbox.Empty;

    /// <summary>Events to add to the outbox as pending, in order, in the same atomic write.</summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<ArvoEvent> Outbox
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = [];
}
