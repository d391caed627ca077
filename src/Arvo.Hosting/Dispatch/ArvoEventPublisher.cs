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
                foreach (var arvoEvent in emitted)
                {
                    settlements.TrackStored(arvoEvent, outboxHandler.Outbox, consumed.Subject);
                }
            }
            else
            {
                settlements.TrackDerived(consumed, emitted);
            }

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
