namespace Arvo.Memory;

/// <summary>Outcome of <see cref="SyncEventResource{T}.AcquireLockAsync"/>.</summary>
public enum AcquiredLockStatus
{
    /// <summary><c>NOOP</c>: locking is not required; the memory was not called.</summary>
    Noop,

    /// <summary><c>ACQUIRED</c>: the lock is held and must be released.</summary>
    Acquired,

    /// <summary><c>NOT_ACQUIRED</c>: another execution holds the lock.</summary>
    NotAcquired,
}
