namespace Arvo.Broker;

/// <summary>What went wrong in a <see cref="SimpleEventBroker"/> (see <see cref="ArvoBrokerException.Kind"/>).</summary>
public enum ArvoBrokerErrorKind
{
    /// <summary>A published event had a null or empty <c>to</c>.</summary>
    MissingTo,

    /// <summary>The pending queue already held <see cref="SimpleEventBrokerOptions.MaxQueueSize"/> events.</summary>
    QueueFull,

    /// <summary>A causal chain of events exceeded <see cref="SimpleEventBrokerOptions.MaxHopsPerPublish"/> (a cycle).</summary>
    HopLimitExceeded,

    /// <summary>An event was routed to a topic without subscribers.</summary>
    NoHandlers,

    /// <summary>A unique subscription conflicted with an existing subscriber of the topic.</summary>
    NotUnique,

    /// <summary><see cref="SimpleEventBroker.ResolveAsync"/> was given an event whose <c>source</c> is a registered handler.</summary>
    ResolveSourceIsHandler,

    /// <summary><see cref="SimpleEventBroker.ResolveAsync"/> was called from inside a delivery of the same broker.</summary>
    NestedResolve,

    /// <summary>
    /// <see cref="SimpleEventBroker.PublishAsync"/> was called, with the cancellation token a subscriber received, from a
    /// flow that does not carry that delivery's execution context while the delivery is still in progress: waiting for
    /// the broker to become idle would wait for the delivery itself (a deadlock), so the call fails instead.
    /// </summary>
    ReentrantPublish,
}
