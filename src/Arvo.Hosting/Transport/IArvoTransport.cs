namespace Arvo.Transport;

/// <summary>
/// Carries Arvo events between hosts: publish, and consume with acknowledgement. The embedded default is
/// <see cref="ChannelArvoTransport"/> (in process); a broker transport (RabbitMQ) implements the same contract.
/// </summary>
/// <remarks>
/// <para>Delivery is at least once: a message that is not acknowledged (the process died, or it was nacked with
/// requeue) is delivered again, so consumers must tolerate duplicates (orchestrators and resumables answer a
/// redelivered event from their inbox).</para>
/// <para>Ordering: messages with the same partition key (<see cref="ArvoPartitionKey"/>, one per workflow) are handed
/// to the subscriber one at a time, in publish order, never concurrently; messages of different workflows may run in
/// parallel.</para>
/// </remarks>
public interface IArvoTransport
{
    /// <summary>
    /// What a completed <see cref="PublishAsync"/> promises. <see cref="ArvoPublishGuarantee.Durable"/>: the broker holds
    /// the event (a publish confirm), so the host marks it published in the outbox at once.
    /// <see cref="ArvoPublishGuarantee.InProcess"/>: the event lives in this process's memory until a subscriber settles
    /// it, so the host marks it published only when it was consumed (or could not be routed), and a crash leaves it
    /// pending for the outbox relay.
    /// </summary>
    ArvoPublishGuarantee PublishGuarantee { get; }

    /// <summary>Publishes one event to whoever subscribes to its <c>to</c>.</summary>
    /// <param name="arvoEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the publish (the event may or may not have been sent).</param>
    /// <returns>A task that completes with the guarantee of <see cref="PublishGuarantee"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="arvoEvent"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The transport was disposed.</exception>
    ValueTask PublishAsync(ArvoEvent arvoEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts delivering the events addressed to <see cref="ArvoSubscription.Destinations"/> to
    /// <see cref="ArvoSubscription.OnMessage"/> until the returned handle is disposed (which waits for the messages in
    /// flight).
    /// </summary>
    /// <param name="subscription">What to consume and the consumer.</param>
    /// <param name="cancellationToken">Cancels setting the subscription up.</param>
    /// <returns>The subscription; dispose it to stop consuming.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subscription"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A destination already has a subscriber on an in-process transport.</exception>
    ValueTask<IAsyncDisposable> SubscribeAsync(ArvoSubscription subscription, CancellationToken cancellationToken = default);
}
