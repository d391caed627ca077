using Arvo.Handlers;
using Arvo.Memory;
using Arvo.Transport;

namespace Arvo.Dispatch;

/// <summary>
/// Publishes what executions emitted and what the relay found pending, and marks outbox events published as the
/// transport's guarantee allows: at once for a durable broker, on settlement for an in-process transport.
/// </summary>
internal sealed class ArvoEventPublisher(IArvoTransport transport, InProcessSettlements settlements)
{
    public IArvoTransport Transport { get; } = transport;

    public async ValueTask PublishEmittedAsync(IArvoEventHandler handler, ArvoEvent consumed, IReadOnlyList<ArvoEvent> emitted, CancellationToken cancellationToken)
    {
        if (emitted.Count == 0)
        {
            return;
        }

        var outboxHandler = handler as IArvoOutboxHandler;
        if (Transport.PublishGuarantee == ArvoPublishGuarantee.InProcess)
        {
            // Tracked before publishing: an in-process consumer may finish with an event before PublishAsync returns.
            if (outboxHandler is not null)
            {
                var tracked = new bool[emitted.Count];
                for (var i = 0; i < emitted.Count; i++)
                {
                    tracked[i] = settlements.TrackStored(emitted[i], outboxHandler.Outbox, consumed.Subject);
                }

                // A replayed execution returns its first events; one still in flight (queued or being consumed here,
                // for example published by the relay) is not queued a second time: it settles, or stays pending for the relay.
                var next = 0;
                try
                {
                    for (; next < emitted.Count; next++)
                    {
                        if (tracked[next])
                        {
                            await Transport.PublishAsync(emitted[next], cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
                catch
                {
                    // Not published: no longer in flight, so the redelivery of the consumed event publishes them again.
                    for (; next < emitted.Count; next++)
                    {
                        if (tracked[next])
                        {
                            settlements.Untrack(emitted[next].Id);
                        }
                    }

                    throw;
                }

                return;
            }

            settlements.TrackDerived(consumed, emitted);
            foreach (var arvoEvent in emitted)
            {
                await Transport.PublishAsync(arvoEvent, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        foreach (var arvoEvent in emitted)
        {
            await Transport.PublishAsync(arvoEvent, cancellationToken).ConfigureAwait(false);
        }

        if (outboxHandler is not null)
        {
            await outboxHandler.MarkPublishedAsync(consumed, emitted, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask PublishPendingAsync(MachineMemoryOutboxEntry entry, IMachineMemoryOutbox outbox, CancellationToken cancellationToken)
    {
        if (Transport.PublishGuarantee == ArvoPublishGuarantee.InProcess)
        {
            settlements.TrackStored(entry.Event, outbox, entry.WorkflowId);
            await Transport.PublishAsync(entry.Event, cancellationToken).ConfigureAwait(false);
            return;
        }

        await Transport.PublishAsync(entry.Event, cancellationToken).ConfigureAwait(false);
        await outbox.MarkPublishedAsync(entry.WorkflowId, [entry.Event.Id], cancellationToken).ConfigureAwait(false);
    }
}
