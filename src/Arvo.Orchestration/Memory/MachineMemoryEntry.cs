namespace Arvo.Memory;

/// <summary>What <see cref="IMachineMemory{T}.ReadAsync"/> returns: the stored record, its version and the workflow's inbox.</summary>
/// <typeparam name="T">The stored record.</typeparam>
/// <param name="Record">The record.</param>
/// <param name="Version">
/// The opaque version of the stored record (positive; compare for equality only). Pass it back as
/// <see cref="MachineMemoryWrite{T}.ExpectedVersion"/> to replace this record.
/// </param>
/// <param name="Inbox">The consumed event ids the workflow has applied, with the events each emitted.</param>
public sealed record MachineMemoryEntry<T>(T Record, long Version, MachineMemoryInbox Inbox)
    where T : class;
