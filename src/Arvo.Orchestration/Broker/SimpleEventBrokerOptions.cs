namespace Arvo.Broker;

/// <summary>Settings of a <see cref="SimpleEventBroker"/>. Immutable; checked when the broker is created.</summary>
public sealed record SimpleEventBrokerOptions
{
    /// <summary>The defaults.</summary>
    public static SimpleEventBrokerOptions Default { get; } = new();

    /// <summary>
    /// The most events the pending queue may hold; a publish beyond it throws
    /// <see cref="ArvoBrokerErrorKind.QueueFull"/> <c>Event queue is full (max size: &lt;n&gt;)</c>.
    /// </summary>
    /// <value>Default 1,000; at least 1.</value>
    public int MaxQueueSize { get; init; } = 1000;

    /// <summary>
    /// The longest causal chain one published event may start: an event published from outside is hop 0, an event
    /// published while hop <c>n</c> is delivered is hop <c>n + 1</c>. Publishing hop <c>MaxHopsPerPublish + 1</c> throws
    /// <see cref="ArvoBrokerErrorKind.HopLimitExceeded"/> naming the looping event types.
    /// </summary>
    /// <value>Default 1,000; at least 1.</value>
    public int MaxHopsPerPublish { get; init; } = 1000;

    /// <summary>
    /// Called with (error, event) for an event nobody subscribes to (<c>No handlers registered for event type: &lt;to&gt;</c>)
    /// and for every exception a subscriber throws (violations and broker errors of nested publishes included).
    /// The loop continues afterwards. An exception thrown by the callback itself does not stop the loop: every queued event is still delivered, and once
    /// the queue is empty the exception propagates from the outermost <see cref="SimpleEventBroker.PublishAsync"/> or
    /// <see cref="SimpleEventBroker.ResolveAsync"/> (an <see cref="AggregateException"/> of all of them when it threw
    /// more than once).
    /// </summary>
    /// <value>Default null: the error is written to <see cref="System.Diagnostics.Trace"/>.</value>
    public Action<Exception, ArvoEvent>? OnError { get; init; }

    /// <summary>
    /// Receives the events with a non-null <c>domain</c> emitted by handlers added with
    /// <see cref="SimpleEventBroker.Register"/>.
    /// </summary>
    /// <value>Default null: such events are dropped.</value>
    public Func<ArvoDomainedEvent, CancellationToken, ValueTask>? OnDomainedEvent { get; init; }

    /// <summary>
    /// How many of the most recently published events <see cref="SimpleEventBroker.RecordedEvents"/> keeps (oldest
    /// dropped first). Use it in tests for assertions; keep it small elsewhere.
    /// </summary>
    /// <value>Default 0: nothing is recorded; not negative.</value>
    public int RecordCapacity { get; init; }
}
