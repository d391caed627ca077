using System.Globalization;
using Arvo.Dispatch;
using Arvo.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arvo.Hosting;

/// <summary>
/// One pass of the outbox relay over every orchestrator's and resumable's outbox: publishes the pending events old
/// enough (<see cref="ArvoHostingOptions.OutboxRelayMinimumAge"/>) that no live execution is still publishing them.
/// </summary>
internal sealed class ArvoOutboxRelayRunner(
    ArvoHandlerRegistry registry,
    ArvoEventPublisher publisher,
    InProcessSettlements settlements,
    IOptions<ArvoHostingOptions> options,
    TimeProvider timeProvider,
    ArvoMetrics metrics,
    ILogger<ArvoOutboxRelayRunner> logger)
{
    public async ValueTask<int> RelayAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var total = 0;
        foreach (var outbox in registry.Outboxes)
        {
            while (true)
            {
                // Taken before the read: an event in flight then may be settled (marked published) by its consumer
                // while the batch is read, and the batch still lists it as pending; publishing it again would deliver it twice.
                var inFlightBeforeRead = settlements.SnapshotInFlight();
                var batch = await outbox.ReadPendingOutboxAsync(settings.OutboxRelayBatchSize, cancellationToken).ConfigureAwait(false);
                var published = 0;
                var reachedYoung = false;
                foreach (var entry in batch)
                {
                    if (inFlightBeforeRead.Contains(entry.Event.Id) || settlements.IsInFlight(entry.Event.Id))
                    {
                        continue;
                    }

                    var age = timeProvider.GetUtcNow() - CreatedAt(entry.Event);
                    if (age < settings.OutboxRelayMinimumAge)
                    {
                        // Oldest first: everything after this one is younger too.
                        reachedYoung = true;
                        break;
                    }

                    await publisher.PublishPendingAsync(entry, outbox, cancellationToken).ConfigureAwait(false);
                    metrics.RecordOutboxLag(age);
                    published++;
                }

                total += published;
                if (reachedYoung || published == 0 || batch.Count < settings.OutboxRelayBatchSize)
                {
                    break;
                }
            }
        }

        if (total > 0)
        {
            ArvoHostingLog.Relayed(logger, total);
        }

        return total;
    }

    private static DateTimeOffset CreatedAt(ArvoEvent arvoEvent) =>
        DateTimeOffset.TryParse(arvoEvent.Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : DateTimeOffset.MinValue;
}
