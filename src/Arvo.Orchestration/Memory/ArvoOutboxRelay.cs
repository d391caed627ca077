namespace Arvo.Memory;

/// <summary>
/// Republishes what a crash left in an outbox: lists the pending events of an <see cref="IMachineMemoryOutbox"/>
/// oldest first, hands each to a publish delegate and marks it published once the delegate returned. Run it at start-up
/// and periodically (the hosting worker does); it is safe to run while executions continue, and an event published twice
/// keeps its id, so consumers with an inbox ignore the copy.
/// </summary>
/// <example>
/// <code>
/// var relay = new ArvoOutboxRelay(memory, (evt, ct) => broker.PublishAsync(evt, ct));
/// int republished = await relay.RelayPendingAsync(cancellationToken);
/// </code>
/// </example>
public sealed class ArvoOutboxRelay
{
    /// <summary>The default batch size: 100 events per read.</summary>
    public const int DefaultBatchSize = 100;

    private readonly IMachineMemoryOutbox _outbox;
    private readonly Func<ArvoEvent, CancellationToken, ValueTask> _publish;
    private readonly int _batchSize;

    /// <summary>Creates a relay.</summary>
    /// <param name="outbox">The outbox (every <see cref="IMachineMemory{T}"/> is one).</param>
    /// <param name="publish">Publishes one event; an exception stops the relay and leaves the event pending.</param>
    /// <param name="batchSize">How many pending events to read at a time; positive.</param>
    /// <exception cref="ArgumentNullException"><paramref name="outbox"/> or <paramref name="publish"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public ArvoOutboxRelay(IMachineMemoryOutbox outbox, Func<ArvoEvent, CancellationToken, ValueTask> publish, int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _outbox = outbox;
        _publish = publish;
        _batchSize = batchSize;
    }

    /// <summary>Publishes pending events until none is left, in write order.</summary>
    /// <param name="cancellationToken">Cancels between events.</param>
    /// <returns>How many events were published.</returns>
    /// <exception cref="Exception">Whatever the publish delegate or the outbox threw; the events not yet marked stay pending.</exception>
    public async ValueTask<int> RelayPendingAsync(CancellationToken cancellationToken = default)
    {
        var published = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await _outbox.ReadPendingOutboxAsync(_batchSize, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return published;
            }

            foreach (var entry in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await _publish(entry.Event, cancellationToken).ConfigureAwait(false);

                // Marked one by one: a crash mid-batch republishes at most the event in flight.
                await _outbox.MarkPublishedAsync(entry.WorkflowId, [entry.Event.Id], cancellationToken).ConfigureAwait(false);
                published++;
            }

            if (batch.Count < _batchSize)
            {
                return published;
            }
        }
    }
}
