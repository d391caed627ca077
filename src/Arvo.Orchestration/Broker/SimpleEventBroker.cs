using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Arvo;

/// <summary>
/// An in-process, single-process event bus for tests, local composition and demos: not durable, not distributed.
/// Events are routed by <c>to</c> to the subscribers of that topic (a registered handler's topic is its
/// <see cref="IArvoEventHandler.Source"/>).
/// </summary>
/// <remarks>
/// <para><b>Processing.</b> The pending queue is FIFO. The outermost <see cref="PublishAsync"/> drives the loop until
/// the queue is empty and returns only then, so a whole cascade completes inside it; a publish made while an event is
/// being delivered (from inside a subscriber, detected through the async flow) only enqueues. There are no timers,
/// delays or threads of the broker's own: subscribers run on the caller's flow. The subscribers of one event run
/// concurrently and are awaited together before the next event is taken.</para>
/// <para><b>Errors.</b> An event nobody subscribes to and every exception a subscriber throws go to
/// <see cref="SimpleEventBrokerOptions.OnError"/> and the loop continues. The hop bound
/// (<see cref="SimpleEventBrokerOptions.MaxHopsPerPublish"/>) and the queue bound are enforced by the nested
/// <see cref="PublishAsync"/>, which throws <see cref="ArvoBrokerException"/> into the publishing subscriber; unless
/// that subscriber catches it, it therefore reaches <see cref="SimpleEventBrokerOptions.OnError"/> with the event that
/// was being delivered, the looping event is dropped, and the rest of the queue is still processed.</para>
/// <para><b>Thread safety.</b> All members are safe to call concurrently. Only one drive loop runs at a time:
/// concurrent outer <see cref="PublishAsync"/>/<see cref="ResolveAsync"/> calls are serialized (each waits for the
/// previous one to reach idle, then drives its own event to idle). A subscriber must therefore not wait for an outer
/// publish of the same broker made from a flow that does not inherit its execution context (that would deadlock).</para>
/// </remarks>
[SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "The SemaphoreSlim never allocates a wait handle (only WaitAsync is used), so it holds no unmanaged resource.")]
public sealed class SimpleEventBroker
{
    private static readonly AsyncLocal<DeliveryScope?> CurrentDelivery = new();

    private readonly object _lock = new();
    private readonly SemaphoreSlim _driveGate = new(1, 1);
    private readonly Dictionary<string, TopicSubscribers> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _handlerTopics = new(StringComparer.Ordinal);
    private readonly Queue<QueuedEvent> _queue = new();
    private readonly Queue<ArvoEvent> _record = new();
    private bool _driving;

    /// <summary>Creates a broker.</summary>
    /// <param name="options">Settings; null means <see cref="SimpleEventBrokerOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is below 1 or <see cref="SimpleEventBrokerOptions.RecordCapacity"/> is negative.</exception>
    public SimpleEventBroker(SimpleEventBrokerOptions? options = null)
    {
        Options = options ?? SimpleEventBrokerOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxQueueSize, 1, "options.MaxQueueSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxHopsPerPublish, 1, "options.MaxHopsPerPublish");
        ArgumentOutOfRangeException.ThrowIfNegative(Options.RecordCapacity, "options.RecordCapacity");
    }

    /// <summary>The broker's settings.</summary>
    public SimpleEventBrokerOptions Options { get; }

    /// <summary>The topics that currently have subscribers (a snapshot).</summary>
    public IReadOnlyCollection<string> Topics
    {
        get
        {
            lock (_lock)
            {
                return [.. _topics.Keys];
            }
        }
    }

    /// <summary>How many events are waiting to be delivered.</summary>
    public int QueueLength
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// The last <see cref="SimpleEventBrokerOptions.RecordCapacity"/> successfully published events in publish order
    /// (including events nobody handled), oldest first. Empty when recording is off (the default). A snapshot.
    /// </summary>
    public IReadOnlyList<ArvoEvent> RecordedEvents
    {
        get
        {
            lock (_lock)
            {
                return [.. _record];
            }
        }
    }

    /// <summary>Creates a broker and registers every handler on it (see <see cref="Register"/>).</summary>
    /// <param name="handlers">The handlers; their sources must be distinct.</param>
    /// <param name="options">Settings; null means <see cref="SimpleEventBrokerOptions.Default"/>.</param>
    /// <returns>The broker.</returns>
    /// <exception cref="ArvoBrokerException">Two handlers share a source (<see cref="ArvoBrokerErrorKind.NotUnique"/>).</exception>
    public static SimpleEventBroker Create(IEnumerable<IArvoEventHandler> handlers, SimpleEventBrokerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var broker = new SimpleEventBroker(options);
        foreach (var handler in handlers)
        {
            broker.Register(handler);
        }

        return broker;
    }

    /// <summary>How many subscribers <paramref name="topic"/> has (0 when none).</summary>
    /// <param name="topic">The topic.</param>
    /// <returns>The subscriber count.</returns>
    public int GetSubscriberCount(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        lock (_lock)
        {
            return _topics.TryGetValue(topic, out var subscribers) ? subscribers.Listeners.Count : 0;
        }
    }

    /// <summary>Subscribes <paramref name="listener"/> to the events whose <c>to</c> equals <paramref name="topic"/>.</summary>
    /// <param name="topic">The topic (an event's <c>to</c>).</param>
    /// <param name="listener">Called with each event and the drive's cancellation token; publish follow-up events with <see cref="PublishAsync"/>.</param>
    /// <param name="unique">
    /// When true, the topic must have no subscriber yet and accepts no other subscriber while this one exists.
    /// </param>
    /// <returns>Disposing it removes the listener (idempotent) and drops the topic when it becomes empty.</returns>
    /// <exception cref="ArvoBrokerException"><see cref="ArvoBrokerErrorKind.NotUnique"/>: <c>Only one subscriber allowed per topic: &lt;topic&gt;</c>.</exception>
    public IDisposable Subscribe(string topic, Func<ArvoEvent, CancellationToken, ValueTask> listener, bool unique = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(listener);
        var entry = new Listener(listener);
        lock (_lock)
        {
            if (_topics.TryGetValue(topic, out var subscribers))
            {
                if (unique || subscribers.Unique)
                {
                    throw new ArvoBrokerException(ArvoBrokerErrorKind.NotUnique, $"Only one subscriber allowed per topic: {topic}");
                }
            }
            else
            {
                subscribers = new TopicSubscribers(unique);
                _topics.Add(topic, subscribers);
            }

            subscribers.Listeners.Add(entry);
        }

        return new Subscription(() => Remove(topic, entry));
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> uniquely under its <see cref="IArvoEventHandler.Source"/>. Each delivered
    /// event is executed with <see cref="ArvoTraceParentSource.Event"/>; then every event of
    /// <see cref="ArvoExecutionResult.All"/>, in order, is published when its <c>domain</c> is null, or handed to
    /// <see cref="SimpleEventBrokerOptions.OnDomainedEvent"/> otherwise (dropped when there is none).
    /// Exceptions (violations) reach <see cref="SimpleEventBrokerOptions.OnError"/>.
    /// </summary>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it unregisters the handler.</returns>
    /// <exception cref="ArvoBrokerException">The topic already has a subscriber (<see cref="ArvoBrokerErrorKind.NotUnique"/>).</exception>
    public IDisposable Register(IArvoEventHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var topic = handler.Source;
        var options = new ArvoExecutionOptions { InheritFrom = ArvoTraceParentSource.Event };
        var subscription = Subscribe(topic, async (evt, ct) =>
        {
            var result = await handler.ExecuteAsync(evt, options, ct).ConfigureAwait(false);
            foreach (var emitted in result.All)
            {
                if (emitted.Domain is null)
                {
                    await PublishAsync(emitted, ct).ConfigureAwait(false);
                }
                else if (Options.OnDomainedEvent is { } onDomained)
                {
                    await onDomained(new ArvoDomainedEvent(emitted.Domain, emitted, this), ct).ConfigureAwait(false);
                }
            }

            // Handed to the queue (or the domained-event callback): no longer pending in the handler's outbox.
            if (handler is IArvoOutboxHandler outboxHandler)
            {
                await outboxHandler.MarkPublishedAsync(evt, result.All, ct).ConfigureAwait(false);
            }
        }, unique: true);

        lock (_lock)
        {
            _handlerTopics[topic] = _handlerTopics.GetValueOrDefault(topic) + 1;
        }

        return new Subscription(() =>
        {
            subscription.Dispose();
            lock (_lock)
            {
                if (--_handlerTopics[topic] == 0)
                {
                    _handlerTopics.Remove(topic);
                }
            }
        });
    }

    /// <summary>
    /// Publishes an event. From outside a delivery: enqueues it and drives the loop until the queue is empty (waiting
    /// first for any other drive to finish). From inside a delivery of this broker: only enqueues it, one hop further
    /// down the causal chain of the event being delivered.
    /// </summary>
    /// <param name="arvoEvent">The event; routed by its <c>to</c>.</param>
    /// <param name="cancellationToken">Checked between deliveries and passed to subscribers; on cancellation the rest of the queue is discarded.</param>
    /// <returns>A task that completes when the event was enqueued (nested) or the broker is idle (outer).</returns>
    /// <exception cref="ArvoBrokerException">
    /// <see cref="ArvoBrokerErrorKind.MissingTo"/> (<c>Event must have a "to" property</c>),
    /// <see cref="ArvoBrokerErrorKind.QueueFull"/> or <see cref="ArvoBrokerErrorKind.HopLimitExceeded"/>.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask PublishAsync(ArvoEvent arvoEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        if (string.IsNullOrEmpty(arvoEvent.To))
        {
            throw new ArvoBrokerException(ArvoBrokerErrorKind.MissingTo, "Event must have a \"to\" property");
        }

        if (TryEnqueueNested(arvoEvent))
        {
            return;
        }

        await _driveGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Enqueue(new QueuedEvent(arvoEvent, 0, null));
            await DriveAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _driveGate.Release();
        }
    }

    /// <summary>
    /// Drives one workflow to its final answer: publishes <paramref name="initEvent"/>, runs the broker until idle and
    /// returns the last event delivered to <c>initEvent.source</c> during this call, or null. The answer is captured
    /// by a listener that exists only for this call's drive; drives are serialized, so each call sees only the events
    /// of its own cascade, however often and however concurrently it is called.
    /// </summary>
    /// <param name="initEvent">The workflow's first event; its <c>source</c> must not be a registered handler's topic.</param>
    /// <param name="cancellationToken">As for <see cref="PublishAsync"/>.</param>
    /// <returns>The final event addressed to the initiator, or null when none arrived.</returns>
    /// <exception cref="ArvoBrokerException">
    /// <see cref="ArvoBrokerErrorKind.ResolveSourceIsHandler"/>, <see cref="ArvoBrokerErrorKind.NestedResolve"/>
    /// (called from inside a delivery), or any error of <see cref="PublishAsync"/>; also
    /// <see cref="ArvoBrokerErrorKind.NotUnique"/> when the source topic holds a unique subscription.
    /// </exception>
    public async ValueTask<ArvoEvent?> ResolveAsync(ArvoEvent initEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initEvent);
        lock (_lock)
        {
            if (_handlerTopics.ContainsKey(initEvent.Source))
            {
                throw new ArvoBrokerException(
                    ArvoBrokerErrorKind.ResolveSourceIsHandler,
                    $"The event source cannot be one of the handlers in the broker. Please update the event.source, the given is '{initEvent.Source}'");
            }
        }

        if (string.IsNullOrEmpty(initEvent.To))
        {
            throw new ArvoBrokerException(ArvoBrokerErrorKind.MissingTo, "Event must have a \"to\" property");
        }

        if (CurrentDelivery.Value?.Broker == this)
        {
            throw new ArvoBrokerException(
                ArvoBrokerErrorKind.NestedResolve,
                "ResolveAsync cannot be called from inside a delivery of the same broker; publish the event instead");
        }

        await _driveGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ArvoEvent? last = null;
            using var capture = Subscribe(initEvent.Source, (evt, _) =>
            {
                Volatile.Write(ref last, evt);
                return ValueTask.CompletedTask;
            });
            Enqueue(new QueuedEvent(initEvent, 0, null));
            await DriveAsync(cancellationToken).ConfigureAwait(false);
            return Volatile.Read(ref last);
        }
        finally
        {
            _driveGate.Release();
        }
    }

    private bool TryEnqueueNested(ArvoEvent arvoEvent)
    {
        var scope = CurrentDelivery.Value;
        if (scope is null || scope.Broker != this)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_driving)
            {
                return false; // a flow that outlived its delivery: treat it as an outer publish
            }
        }

        var hop = scope.Item.Hop + 1;
        if (hop > Options.MaxHopsPerPublish)
        {
            throw HopLimitExceeded(arvoEvent, scope.Item, hop);
        }

        Enqueue(new QueuedEvent(arvoEvent, hop, scope.Item));
        return true;
    }

    private ArvoBrokerException HopLimitExceeded(ArvoEvent arvoEvent, QueuedEvent parent, int hop)
    {
        var types = new List<string> { arvoEvent.Type };
        var root = parent;
        var inspected = 0;
        for (var item = parent; item is not null; item = item.Parent)
        {
            if (inspected++ < 64 && !types.Contains(item.Event.Type, StringComparer.Ordinal))
            {
                types.Add(item.Event.Type);
            }

            root = item;
        }

        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"Hop limit exceeded: publishing '{arvoEvent.Type}' (to '{arvoEvent.To}') would be hop {hop} of the chain started by '{root.Event.Type}', above the maximum of {Options.MaxHopsPerPublish} hops per published event. Looping event types: {string.Join(", ", types)}");
        return new ArvoBrokerException(ArvoBrokerErrorKind.HopLimitExceeded, message, types);
    }

    private void Enqueue(QueuedEvent item)
    {
        lock (_lock)
        {
            if (_queue.Count >= Options.MaxQueueSize)
            {
                throw new ArvoBrokerException(
                    ArvoBrokerErrorKind.QueueFull,
                    string.Create(CultureInfo.InvariantCulture, $"Event queue is full (max size: {Options.MaxQueueSize})"));
            }

            _queue.Enqueue(item);
            if (Options.RecordCapacity > 0)
            {
                if (_record.Count == Options.RecordCapacity)
                {
                    _record.Dequeue();
                }

                _record.Enqueue(item.Event);
            }
        }
    }

    private async ValueTask DriveAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _driving = true;
        }

        try
        {
            while (TryDequeue(out var item))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var listeners = Snapshot(item.Event.To!);
                if (listeners.Length == 0)
                {
                    ReportError(
                        new ArvoBrokerException(ArvoBrokerErrorKind.NoHandlers, $"No handlers registered for event type: {item.Event.To}"),
                        item.Event);
                    continue;
                }

                var previous = CurrentDelivery.Value;
                CurrentDelivery.Value = new DeliveryScope(this, item);
                try
                {
                    if (listeners.Length == 1)
                    {
                        await DeliverAsync(listeners[0], item.Event, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var tasks = new Task[listeners.Length];
                        for (var i = 0; i < listeners.Length; i++)
                        {
                            tasks[i] = DeliverAsync(listeners[i], item.Event, cancellationToken).AsTask();
                        }

                        await Task.WhenAll(tasks).ConfigureAwait(false);
                    }
                }
                finally
                {
                    CurrentDelivery.Value = previous;
                }
            }
        }
        catch
        {
            lock (_lock)
            {
                _queue.Clear();
            }

            throw;
        }
        finally
        {
            lock (_lock)
            {
                _driving = false;
            }
        }
    }

    private async ValueTask DeliverAsync(Listener listener, ArvoEvent arvoEvent, CancellationToken cancellationToken)
    {
        try
        {
            await listener.Callback(arvoEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error)
        {
            ReportError(error, arvoEvent);
        }
    }

    private void ReportError(Exception error, ArvoEvent arvoEvent)
    {
        if (Options.OnError is { } onError)
        {
            onError(error, arvoEvent);
        }
        else
        {
            Trace.TraceError("Broker error: {0} (eventType: {1}, event id: {2})", error.Message, arvoEvent.To, arvoEvent.Id);
        }
    }

    private bool TryDequeue(out QueuedEvent item)
    {
        lock (_lock)
        {
            return _queue.TryDequeue(out item!);
        }
    }

    private Listener[] Snapshot(string topic)
    {
        lock (_lock)
        {
            return _topics.TryGetValue(topic, out var subscribers) ? [.. subscribers.Listeners] : [];
        }
    }

    private void Remove(string topic, Listener entry)
    {
        lock (_lock)
        {
            if (_topics.TryGetValue(topic, out var subscribers) && subscribers.Listeners.Remove(entry) && subscribers.Listeners.Count == 0)
            {
                _topics.Remove(topic);
            }
        }
    }

    private sealed record QueuedEvent(ArvoEvent Event, int Hop, QueuedEvent? Parent);

    private sealed record DeliveryScope(SimpleEventBroker Broker, QueuedEvent Item);

    private sealed class Listener(Func<ArvoEvent, CancellationToken, ValueTask> callback)
    {
        public Func<ArvoEvent, CancellationToken, ValueTask> Callback { get; } = callback;
    }

    private sealed class TopicSubscribers(bool unique)
    {
        public bool Unique { get; } = unique;

        public List<Listener> Listeners { get; } = [];
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
