using System.Collections.Concurrent;
using System.Collections.Frozen;
using Arvo.Memory;

namespace Arvo.Dispatch;

/// <summary>
/// Marks outbox events published only once an in-process transport has delivered them all the way (an
/// <see cref="Transport.ArvoPublishGuarantee.InProcess"/> publish is not durable). An event emitted by an
/// orchestrator or resumable settles when its consumer finished with it; an event emitted by a stateless handler
/// has nothing stored, so the event that handler consumed settles only once everything it emitted has settled.
/// Whatever has not settled when the process dies is still pending in an outbox, and the relay publishes it again.
/// </summary>
internal sealed class InProcessSettlements
{
    private readonly ConcurrentDictionary<string, Node> _inFlight = new(StringComparer.Ordinal);

    public int InFlightCount => _inFlight.Count;

    public bool IsInFlight(string eventId) => _inFlight.ContainsKey(eventId);

    /// <summary>
    /// The ids in flight now. A relay takes this before it reads an outbox: an event in flight then may settle while
    /// the read runs and still be listed as pending, and is no crash's leftover.
    /// </summary>
    /// <returns>A copy of the ids in flight.</returns>
    public IReadOnlySet<string> SnapshotInFlight() =>
        _inFlight.IsEmpty ? FrozenSet<string>.Empty : new HashSet<string>(_inFlight.Keys, StringComparer.Ordinal);

    /// <summary>Tracks an event written to <paramref name="outbox"/> under <paramref name="workflowId"/>, before it is published.</summary>
    /// <returns>False when the event is in flight already (published in this process and not settled yet).</returns>
    public bool TrackStored(ArvoEvent arvoEvent, IMachineMemoryOutbox outbox, string workflowId) =>
        _inFlight.TryAdd(arvoEvent.Id, new Node(arvoEvent.Id, outbox, workflowId, parent: null));

    /// <summary>Stops tracking a stored event that <see cref="TrackStored"/> tracked and that could not be published: it stays pending, for a redelivery or the relay.</summary>
    public void Untrack(string eventId) => _inFlight.TryRemove(eventId, out _);

    /// <summary>Tracks the events a stateless handler emitted while consuming <paramref name="consumed"/>, before they are published.</summary>
    /// <returns>True when <paramref name="consumed"/> is in flight (its settlement now waits for the emitted events).</returns>
    public bool TrackDerived(ArvoEvent consumed, IReadOnlyList<ArvoEvent> emitted)
    {
        if (emitted.Count == 0 || !_inFlight.TryGetValue(consumed.Id, out var parent))
        {
            return false;
        }

        foreach (var child in emitted)
        {
            if (_inFlight.TryAdd(child.Id, new Node(child.Id, outbox: null, workflowId: null, parent)))
            {
                Interlocked.Increment(ref parent.Pending);
            }
        }

        return true;
    }

    /// <summary>Records that <paramref name="eventId"/> was consumed (or could not be routed, or was dead-lettered).</summary>
    public ValueTask SettleAsync(string eventId, CancellationToken cancellationToken)
    {
        if (!_inFlight.TryGetValue(eventId, out var node) || Interlocked.Exchange(ref node.Consumed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        return CompleteIfDoneAsync(node, cancellationToken);
    }

    private async ValueTask CompleteIfDoneAsync(Node node, CancellationToken cancellationToken)
    {
        while (node is not null && Volatile.Read(ref node.Consumed) == 1 && Volatile.Read(ref node.Pending) == 0
               && Interlocked.Exchange(ref node.Completed, 1) == 0)
        {
            if (node.Outbox is not null)
            {
                // Removed only after the mark succeeded: a failed mark leaves the event pending and not in flight, for the relay.
                try
                {
                    await node.Outbox.MarkPublishedAsync(node.WorkflowId!, [node.EventId], cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _inFlight.TryRemove(node.EventId, out _);
                }
            }
            else
            {
                _inFlight.TryRemove(node.EventId, out _);
            }

            var parent = node.Parent;
            if (parent is null || Interlocked.Decrement(ref parent.Pending) != 0)
            {
                return;
            }

            node = parent;
        }
    }

    private sealed class Node(string eventId, IMachineMemoryOutbox? outbox, string? workflowId, Node? parent)
    {
        public readonly string EventId = eventId;
        public readonly IMachineMemoryOutbox? Outbox = outbox;
        public readonly string? WorkflowId = workflowId;
        public readonly Node? Parent = parent;
        public int Pending;
        public int Consumed;
        public int Completed;
    }
}
