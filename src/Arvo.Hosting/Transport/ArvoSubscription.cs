namespace Arvo.Transport;

/// <summary>A request to consume: the destinations (<c>to</c> values) and the callback that receives each message.</summary>
/// <remarks>
/// The callback must settle each message (<see cref="ArvoTransportMessage.AckAsync"/> or
/// <see cref="ArvoTransportMessage.NackAsync"/>); a callback that throws without settling gets its message nacked
/// with requeue.
/// </remarks>
public sealed record ArvoSubscription
{
    /// <summary>Creates a subscription.</summary>
    /// <param name="destinations">The <c>to</c> values to consume; at least one, none empty.</param>
    /// <param name="onMessage">Receives each message; called for one workflow at a time.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destinations"/> is empty or holds an empty value.</exception>
    public ArvoSubscription(IReadOnlyCollection<string> destinations, Func<ArvoTransportMessage, CancellationToken, ValueTask> onMessage)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        ArgumentNullException.ThrowIfNull(onMessage);
        if (destinations.Count == 0)
        {
            throw new ArgumentException("Expected at least one destination ('to' value) to consume.", nameof(destinations));
        }

        foreach (var destination in destinations)
        {
            if (string.IsNullOrEmpty(destination))
            {
                throw new ArgumentException("A destination ('to' value) must not be null or empty.", nameof(destinations));
            }
        }

        Destinations = destinations;
        OnMessage = onMessage;
    }

    /// <summary>The <c>to</c> values consumed.</summary>
    public IReadOnlyCollection<string> Destinations { get; }

    /// <summary>Receives each message.</summary>
    public Func<ArvoTransportMessage, CancellationToken, ValueTask> OnMessage { get; }

    /// <summary>
    /// How many messages (of different workflows) may be handed to <see cref="OnMessage"/> at the same time.
    /// </summary>
    /// <value>Default <see cref="Environment.ProcessorCount"/>; at least 1.</value>
    public int MaxConcurrency
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = Environment.ProcessorCount;
}
