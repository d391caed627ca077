namespace Arvo;

/// <summary>Why an orchestrator transaction failed.</summary>
public enum TransactionViolationCause
{
    /// <summary><c>READ_MACHINE_MEMORY_FAILURE</c>: the workflow record could not be read.</summary>
    ReadMachineMemoryFailure,

    /// <summary><c>LOCK_MACHINE_MEMORY_FAILURE</c>: the lock call itself failed.</summary>
    LockMachineMemoryFailure,

    /// <summary><c>WRITE_MACHINE_MEMORY_FAILURE</c>: the new record could not be written (or a compare-and-set conflict).</summary>
    WriteMachineMemoryFailure,

    /// <summary><c>LOCK_UNACQUIRED</c>: another execution holds the subject's lock.</summary>
    LockUnacquired,

    /// <summary><c>INVALID_SUBJECT</c>: kept for parity with the reference, which declares but never uses it.</summary>
    InvalidSubject,

    /// <summary>
    /// <c>EXECUTION_TIMEOUT</c>: an execution holding the subject's lease ran past its execution timeout and was abandoned
    /// before persisting (not in the reference, which has no timeout). Retryable like the other causes.
    /// </summary>
    ExecutionTimeout,
}

/// <summary>
/// The orchestrator could not read, lock or write its workflow memory. Nothing was emitted and
/// nothing was persisted; the event may be redelivered later.
/// </summary>
/// <remarks>
/// Violation type <c>OrchestratorTransaction</c>; the message is
/// <c>ViolationError&lt;OrchestratorTransaction&gt; [CAUSE] message</c>.
/// </remarks>
public sealed class TransactionViolation : ArvoViolation
{
    /// <summary>Creates the violation.</summary>
    /// <param name="cause">Which step failed.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="initiatingEvent">The event whose execution failed, if known.</param>
    /// <param name="innerException">The underlying memory error, if any.</param>
    public TransactionViolation(TransactionViolationCause cause, string message, ArvoEvent? initiatingEvent = null, Exception? innerException = null)
        : base("OrchestratorTransaction", $"[{ToWireName(cause)}] {message}", CreateMetadata(initiatingEvent), innerException)
    {
        Cause = cause;
        InitiatingEvent = initiatingEvent;
    }

    /// <summary>Which step failed.</summary>
    public TransactionViolationCause Cause { get; }

    /// <summary>The reference's name of <see cref="Cause"/>, e.g. <c>LOCK_UNACQUIRED</c>.</summary>
    public string CauseName => ToWireName(Cause);

    /// <summary>The event whose execution failed, if known.</summary>
    public ArvoEvent? InitiatingEvent { get; }

    /// <summary>True when <paramref name="value"/> is a transaction violation, optionally of the given cause.</summary>
    public static bool IsTransactionViolation(object? value, TransactionViolationCause? cause = null) =>
        value is TransactionViolation violation && (cause is null || violation.Cause == cause);

    /// <summary>The reference's upper-snake-case name of a cause.</summary>
    public static string ToWireName(TransactionViolationCause cause) => cause switch
    {
        TransactionViolationCause.ReadMachineMemoryFailure => "READ_MACHINE_MEMORY_FAILURE",
        TransactionViolationCause.LockMachineMemoryFailure => "LOCK_MACHINE_MEMORY_FAILURE",
        TransactionViolationCause.WriteMachineMemoryFailure => "WRITE_MACHINE_MEMORY_FAILURE",
        TransactionViolationCause.LockUnacquired => "LOCK_UNACQUIRED",
        TransactionViolationCause.ExecutionTimeout => "EXECUTION_TIMEOUT",
        TransactionViolationCause.InvalidSubject => "INVALID_SUBJECT",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "Unknown transaction violation cause."),
    };

    private static Dictionary<string, object?>? CreateMetadata(ArvoEvent? initiatingEvent) =>
        initiatingEvent is null ? null : new Dictionary<string, object?> { ["initiatingEvent"] = initiatingEvent };
}
