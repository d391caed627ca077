namespace Arvo.Events;

/// <summary>
/// Limits applied when an <see cref="ArvoEvent"/> is read from untrusted input
/// (<see cref="ArvoEventJson.Parse(string, ArvoEventParseOptions?)"/> and its overloads,
/// <see cref="ArvoEventJson.Read(ref System.Text.Json.Utf8JsonReader, ArvoEventParseOptions?)"/> and
/// <see cref="ArvoEvent.FromCloudEvent(CloudNative.CloudEvents.CloudEvent, ArvoEventParseOptions?)"/>).
/// Immutable and thread-safe; <see cref="Default"/> is used when none is given.
/// </summary>
/// <remarks>
/// The reference (arvo-core 3.0.25) has no limits (wire-format.md section 6). These bound the cost of reading
/// one event: reading stops at the first extension attribute over <see cref="MaxExtensionAttributes"/> and at
/// the first value nested deeper than <see cref="MaxDepth"/>, with an <see cref="ArvoEventValidationException"/>.
/// Reading is linear in the size of the input. Events built in code (the <see cref="ArvoEvent"/> constructor,
/// <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/>) are not limited.
/// </remarks>
public sealed record ArvoEventParseOptions
{
    /// <summary>The default <see cref="MaxExtensionAttributes"/>: 256.</summary>
    public const int DefaultMaxExtensionAttributes = 256;

    /// <summary>The default <see cref="MaxDepth"/>: 64, System.Text.Json's default.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>
    /// The largest accepted <see cref="MaxDepth"/>: 1000, the depth <see cref="System.Text.Json.Utf8JsonWriter"/>
    /// writes by default, so that every event read can be written back.
    /// </summary>
    public const int MaxDepthLimit = 1000;

    private readonly int _maxExtensionAttributes = DefaultMaxExtensionAttributes;
    private readonly int _maxDepth = DefaultMaxDepth;

    /// <summary>The options used when none are given: <see cref="DefaultMaxExtensionAttributes"/> and <see cref="DefaultMaxDepth"/>.</summary>
    public static ArvoEventParseOptions Default { get; } = new();

    /// <summary>
    /// The most custom extension attributes an event may carry. The eight Arvo/OpenTelemetry attributes and the
    /// CloudEvents-adapter attributes are not counted.
    /// </summary>
    /// <value>Default <see cref="DefaultMaxExtensionAttributes"/> (256); 0 or more.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxExtensionAttributes
    {
        get => _maxExtensionAttributes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxExtensionAttributes));
            _maxExtensionAttributes = value;
        }
    }

    /// <summary>
    /// The deepest JSON nesting accepted, counting the event object as depth 1: <c>data</c> is depth 2, so
    /// objects and arrays inside it may reach depth <c>MaxDepth</c>. Applies to every overload of <c>Parse</c> and to
    /// <c>FromCloudEvent</c> (whose <c>data</c> is checked whatever limit its document was read with).
    /// </summary>
    /// <value>Default <see cref="DefaultMaxDepth"/> (64); between 2 and <see cref="MaxDepthLimit"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 2 and <see cref="MaxDepthLimit"/>.</exception>
    public int MaxDepth
    {
        get => _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 2, nameof(MaxDepth));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxDepthLimit, nameof(MaxDepth));
            _maxDepth = value;
        }
    }
}
