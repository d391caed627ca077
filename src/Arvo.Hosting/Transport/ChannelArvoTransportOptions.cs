namespace Arvo.Transport;

/// <summary>Settings of a <see cref="ChannelArvoTransport"/>. Immutable.</summary>
public sealed record ChannelArvoTransportOptions
{
    /// <summary>The defaults.</summary>
    public static ChannelArvoTransportOptions Default { get; } = new();

    /// <summary>How long a message nacked with requeue waits before it is delivered again (its workflow's later messages wait too).</summary>
    /// <value>Default 50 ms; not negative.</value>
    public TimeSpan RedeliveryDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Called with each published event that no subscription consumes (its <c>to</c> has no subscriber in this
    /// process, for example the completion sent back to an external initiator). Such an event is not kept.
    /// </summary>
    /// <value>Default null: the event is dropped.</value>
    public Func<ArvoEvent, CancellationToken, ValueTask>? OnUnrouted { get; init; }

    /// <summary>
    /// Called once with each delivered event when its consumer settled it for good: acknowledged, or rejected without
    /// requeue. The host marks outbox events published here (an in-process queue holds them until then).
    /// </summary>
    /// <value>Default null.</value>
    public Func<ArvoEvent, CancellationToken, ValueTask>? OnSettled { get; init; }

    /// <summary>The clock the redelivery delay is measured with.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
