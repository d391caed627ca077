namespace Arvo.Memory;

/// <summary>Outcome of <see cref="SyncEventResource{T}.ReleaseLockAsync"/>.</summary>
public enum ReleasedLockStatus
{
    /// <summary><c>NOOP</c>: no lock had been acquired; the memory was not called.</summary>
    Noop,

    /// <summary><c>RELEASED</c>: the memory's unlock completed (its boolean result is ignored).</summary>
    Released,

    /// <summary><c>ERROR</c>: unlock threw; the lock is left to expire (possible resource leak until its time-to-live).</summary>
    Error,
}
