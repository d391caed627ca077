namespace Arvo.Transport;

/// <summary>One delivery of an event by a transport, settled once with <see cref="AckAsync"/> or <see cref="NackAsync"/>.</summary>
public abstract class ArvoTransportMessage
{
    /// <summary>Creates a delivery.</summary>
    /// <param name="arvoEvent">The delivered event.</param>
    /// <param name="deliveryCount">How many times this event has been delivered, this one included; at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="arvoEvent"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deliveryCount"/> is below 1.</exception>
    protected ArvoTransportMessage(ArvoEvent arvoEvent, int deliveryCount)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        ArgumentOutOfRangeException.ThrowIfLessThan(deliveryCount, 1);
        Event = arvoEvent;
        DeliveryCount = deliveryCount;
    }

    /// <summary>The delivered event.</summary>
    public ArvoEvent Event { get; }

    /// <summary>How many times the event has been delivered, this delivery included (1 = first delivery).</summary>
    public int DeliveryCount { get; }

    /// <summary>Whether the message was acknowledged or nacked already.</summary>
    public bool IsSettled => Volatile.Read(ref _settled) != 0;

    private int _settled;

    /// <summary>Acknowledges the message: it was processed (or dead-lettered) and must not be delivered again.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the transport recorded the acknowledgement.</returns>
    /// <exception cref="InvalidOperationException">The message was settled already.</exception>
    public ValueTask AckAsync(CancellationToken cancellationToken = default)
    {
        Settle();
        return OnAckAsync(cancellationToken);
    }

    /// <summary>Rejects the message.</summary>
    /// <param name="requeue">True: deliver it again later; false: drop it (a broker routes it to its dead-letter exchange).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the transport recorded the rejection.</returns>
    /// <exception cref="InvalidOperationException">The message was settled already.</exception>
    public ValueTask NackAsync(bool requeue, CancellationToken cancellationToken = default)
    {
        Settle();
        return OnNackAsync(requeue, cancellationToken);
    }

    /// <summary>Records the acknowledgement with the transport.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the transport recorded it.</returns>
    protected abstract ValueTask OnAckAsync(CancellationToken cancellationToken);

    /// <summary>Records the rejection with the transport.</summary>
    /// <param name="requeue">Whether to deliver the message again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the transport recorded it.</returns>
    protected abstract ValueTask OnNackAsync(bool requeue, CancellationToken cancellationToken);

    private void Settle()
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            throw new InvalidOperationException($"The delivery of event '{Event.Id}' was settled already; acknowledge or reject a message once.");
        }
    }
}
