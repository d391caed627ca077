namespace Arvo.Memory;

/// <summary>
/// The data stored for a workflow (or an outbox entry) cannot be read back: not valid JSON, or JSON that is not a
/// record of the expected type. The store leaves the data untouched; an orchestrator turns this into a
/// <see cref="TransactionViolation"/> <c>READ_MACHINE_MEMORY_FAILURE</c>, so nothing is overwritten.
/// </summary>
public sealed class MachineMemoryCorruptedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="id">The workflow id whose stored data is corrupted.</param>
    /// <param name="what">Which part could not be read (e.g. <c>record</c>, <c>inbox</c>, <c>outbox event 12</c>).</param>
    /// <param name="innerException">The parse error.</param>
    public MachineMemoryCorruptedException(string id, string what, Exception? innerException)
        : base($"The stored {what} of machine '{id}' is corrupted and cannot be read: {innerException?.Message ?? "no data"}. It was left untouched.", innerException)
    {
        Id = id;
        Part = what;
    }

    /// <summary>The workflow id whose stored data is corrupted.</summary>
    public string Id { get; }

    /// <summary>Which part of the stored data could not be read.</summary>
    public string Part { get; }
}
