namespace Arvo.Memory;

/// <summary>
/// A compare-and-set write was rejected: the stored version is not the one the writer read (another execution wrote
/// first, or a record already exists for a workflow the writer believed new). Nothing was written. Orchestrators turn
/// it into a <see cref="TransactionViolation"/> <c>WRITE_MACHINE_MEMORY_FAILURE</c> so the event is redelivered.
/// </summary>
public sealed class MachineMemoryConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="id">The workflow id whose write was rejected.</param>
    /// <param name="message">What the writer expected and what the store held.</param>
    public MachineMemoryConflictException(string id, string message)
        : base(message)
    {
        Id = id;
    }

    /// <summary>The workflow id whose write was rejected.</summary>
    public string Id { get; }

    /// <summary>The conflict of a create (expected version 0) when a record exists.</summary>
    /// <param name="id">The workflow id.</param>
    /// <returns>The exception.</returns>
    public static MachineMemoryConflictException RecordExists(string id) =>
        new(id, $"Cannot create the record of machine '{id}': a record already exists (the write expected no record, version 0).");

    /// <summary>The conflict of an update when no record is stored.</summary>
    /// <param name="id">The workflow id.</param>
    /// <param name="expected">The version the writer expected.</param>
    /// <returns>The exception.</returns>
    public static MachineMemoryConflictException NoRecord(string id, long expected) =>
        new(id, $"Cannot update the record of machine '{id}': no record is stored, but the write expected version {expected}.");

    /// <summary>The conflict of an update whose expected version is stale.</summary>
    /// <param name="id">The workflow id.</param>
    /// <param name="expected">The version the writer expected.</param>
    /// <param name="actual">The stored version, when the store knows it.</param>
    /// <returns>The exception.</returns>
    public static MachineMemoryConflictException StaleVersion(string id, long expected, long? actual) =>
        new(id, actual is { } stored
            ? $"Cannot update the record of machine '{id}': the write expected version {expected} but version {stored} is stored; another execution wrote it first."
            : $"Cannot update the record of machine '{id}': the write expected version {expected}, which is no longer stored; another execution wrote it first.");
}
