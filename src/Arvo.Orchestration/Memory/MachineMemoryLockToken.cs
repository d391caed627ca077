namespace Arvo.Memory;

/// <summary>
/// Identifies the owner of a machine-memory lock: one token per execution, passed to
/// <see cref="IMachineMemory{T}.LockAsync"/> and <see cref="IMachineMemory{T}.UnlockAsync"/>. Backends store it with
/// the lock and release only a lock whose stored token matches (the "owner token" of memory-and-locking.md 2.1).
/// </summary>
public readonly record struct MachineMemoryLockToken
{
    /// <summary>Wraps an owner value chosen by the caller (e.g. an execution id).</summary>
    /// <param name="value">A non-empty, unique-per-execution value.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or empty.</exception>
    public MachineMemoryLockToken(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    /// <summary>The owner value; null only for <c>default</c>, which is not a valid token.</summary>
    public string? Value { get; }

    /// <summary>True for <c>default(MachineMemoryLockToken)</c>, which memories reject.</summary>
    public bool IsEmpty => Value is null;

    /// <summary>A new random token (32 hexadecimal digits).</summary>
    public static MachineMemoryLockToken NewToken() => new(Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
