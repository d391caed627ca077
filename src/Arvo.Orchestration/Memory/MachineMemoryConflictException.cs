namespace Arvo;

/// <summary>
/// A compare-and-set write was rejected: the stored record is not the one the writer read (another execution wrote
/// first, or a record already exists for a workflow the writer believed new). Orchestrators turn it into a
/// <see cref="TransactionViolation"/> <c>WRITE_MACHINE_MEMORY_FAILURE</c> so the event is redelivered.
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
}
