namespace Arvo.Subjects;

/// <summary>
/// Limits and compatibility settings for <see cref="ArvoOrchestrationSubject"/>. Immutable and
/// thread-safe; build one at start-up and reuse it. <see cref="Default"/> is used when none is given.
/// </summary>
/// <remarks>
/// Subjects arrive in untrusted events, so parsing is bounded: a subject longer than
/// <see cref="MaxSubjectLength"/> is rejected before it is decoded, and inflation stops as soon as
/// the content exceeds <see cref="MaxContentBytes"/>. <see cref="ArvoOrchestrationSubject.Create"/>
/// enforces the same two limits, so every subject it returns parses with the same options.
/// </remarks>
public sealed record ArvoSubjectOptions
{
    /// <summary>The default <see cref="MaxSubjectLength"/>: 65 536 characters.</summary>
    public const int DefaultMaxSubjectLength = 64 * 1024;

    /// <summary>The default <see cref="MaxContentBytes"/>: 65 536 bytes (64 KiB) of UTF-8 JSON.</summary>
    public const int DefaultMaxContentBytes = 64 * 1024;

    /// <summary>The largest value accepted for either limit: 64 MiB.</summary>
    public const int MaxLimit = 64 * 1024 * 1024;

    /// <summary>
    /// The deepest JSON nesting accepted (the content object itself is depth 1; extra keys may nest up
    /// to this depth). Deeper content is rejected with <see cref="ArvoSubjectErrorKind.InvalidJson"/>.
    /// </summary>
    public const int MaxJsonDepth = 64;

    private readonly int _maxSubjectLength = DefaultMaxSubjectLength;
    private readonly int _maxContentBytes = DefaultMaxContentBytes;
    private readonly ArvoSubjectCompatibility _compatibility = ArvoSubjectCompatibility.Lenient;

    /// <summary>The options used when none are given: default limits, <see cref="ArvoSubjectCompatibility.Lenient"/>.</summary>
    public static ArvoSubjectOptions Default { get; } = new();

    /// <summary>
    /// The longest subject string accepted, in characters. Longer subjects fail with
    /// <see cref="ArvoSubjectErrorKind.TooLong"/> without being decoded.
    /// </summary>
    /// <value>Default <see cref="DefaultMaxSubjectLength"/> (65 536); between 1 and <see cref="MaxLimit"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 1 and <see cref="MaxLimit"/>.</exception>
    public int MaxSubjectLength
    {
        get => _maxSubjectLength;
        init => _maxSubjectLength = RequireLimit(value, nameof(MaxSubjectLength));
    }

    /// <summary>
    /// The largest content accepted, in bytes of UTF-8 JSON after inflation. Larger content fails with
    /// <see cref="ArvoSubjectErrorKind.TooLarge"/>; at most this many bytes (plus one buffer) are inflated.
    /// </summary>
    /// <value>Default <see cref="DefaultMaxContentBytes"/> (65 536); between 1 and <see cref="MaxLimit"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 1 and <see cref="MaxLimit"/>.</exception>
    public int MaxContentBytes
    {
        get => _maxContentBytes;
        init => _maxContentBytes = RequireLimit(value, nameof(MaxContentBytes));
    }

    /// <summary>
    /// Whether arvo-core 2.x subjects (no <c>execution.domain</c> key) are accepted:
    /// <see cref="ArvoSubjectCompatibility.Lenient"/> accepts them with domain null, as the specification
    /// recommends; <see cref="ArvoSubjectCompatibility.Strict"/> rejects them like arvo-core 3.0.25.
    /// </summary>
    /// <value>Default <see cref="ArvoSubjectCompatibility.Lenient"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined member.</exception>
    public ArvoSubjectCompatibility Compatibility
    {
        get => _compatibility;
        init => _compatibility = value is ArvoSubjectCompatibility.Lenient or ArvoSubjectCompatibility.Strict
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Compatibility), value, "Expected Lenient or Strict.");
    }

    private static int RequireLimit(int value, string property)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, property);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxLimit, property);
        return value;
    }
}
