using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using Arvo.Broker;
using Arvo.Handlers;

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
/// <see cref="PublishAsync"/>, which throws <see cref="ArvoBrokerException"/> (naming the rejected event in its message
/// and <see cref="ArvoBrokerException.RejectedEvents"/>) into the publishing subscriber; unless that subscriber catches
/// it, it therefore reaches <see cref="SimpleEventBrokerOptions.OnError"/> with the event that was being delivered, the
/// rejected event is dropped, and the rest of the queue is still processed. A handler added with <see cref="Register"/>
/// offers every event of its result, also after one was rejected, and reports all the rejected ones in one exception.
/// An exception thrown by <see cref="SimpleEventBrokerOptions.OnError"/> itself does not stop the loop either: the
/// drive continues to idle and then rethrows it from the outermost call (an <see cref="AggregateException"/> when the
/// callback threw more than once). Nothing queued is dropped except on cancellation.</para>
/// <para><b>Thread safety.</b> All members are safe to call concurrently. Only one drive loop runs at a time:
/// concurrent outer <see cref="PublishAsync"/>/<see cref="ResolveAsync"/> calls are serialized (each waits for the
/// previous one to reach idle, then drives its own event to idle). A subscriber that publishes from a flow that does not
/// inherit its execution context (<see cref="ExecutionContext.SuppressFlow"/>, an unsafe work item, a thread of its own)
/// is not recognised as nested; if it passes the cancellation token it was given, the call fails at once with
/// <see cref="ArvoBrokerErrorKind.ReentrantPublish"/> (<see cref="ArvoBrokerErrorKind.NestedResolve"/> for
/// <see cref="ResolveAsync"/>) instead of waiting for the drive that is waiting for it. Without that token such a call
/// cannot be told from an independent publisher and waits for the drive to finish, so a subscriber must not await it.</para>
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
    private DriveState? _drive;

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
            var all = result.All;
            List<ArvoEvent>? handedOver = null;
            List<(ArvoEvent Event, Exception Error)>? failures = null;
            for (var i = 0; i < all.Count; i++)
            {
                var emitted = all[i];
                try
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
#pragma warning disable CA1031 // Every rejection is collected and reported below; the events after it are still offered.
                catch (Exception error) when (!(error is OperationCanceledException && ct.IsCancellationRequested))
#pragma warning restore CA1031
                {
                    if (failures is null)
                    {
                        failures = [];
                        handedOver = [.. all.Take(i)];
                    }

                    failures.Add((emitted, error));
                    continue;
                }

                handedOver?.Add(emitted);
            }

            // Handed to the queue (or the domained-event callback): no longer pending in the handler's outbox. A
            // rejected event stays pending there, for a relay to publish again.
            if (handler is IArvoOutboxHandler outboxHandler)
            {
                await outboxHandler.MarkPublishedAsync(evt, handedOver ?? all, ct).ConfigureAwait(false);
            }

            if (failures is not null)
            {
                ThrowFanOutFailure(handler, evt, all.Count, failures);
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
    /// <see cref="ArvoBrokerErrorKind.QueueFull"/> (<c>Event queue is full (max size: &lt;n&gt;): event '&lt;type&gt;' (id &lt;id&gt;, to '&lt;to&gt;') was not enqueued</c>),
    /// <see cref="ArvoBrokerErrorKind.HopLimitExceeded"/>, or <see cref="ArvoBrokerErrorKind.ReentrantPublish"/> (called
    /// with a subscriber's token from a flow that does not carry its delivery, while the drive runs).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Exception">
    /// Outer call only: what <see cref="SimpleEventBrokerOptions.OnError"/> threw during the drive, rethrown once the
    /// queue is empty (an <see cref="AggregateException"/> when it threw more than once).
    /// </exception>
    public async ValueTask PublishAsync(ArvoEvent arvoEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        if (string.IsNullOrEmpty(arvoEvent.To))
        {
            throw new ArvoBrokerException(
                ArvoBrokerErrorKind.MissingTo, "Event must have a \"to\" property", eventTypes: null, rejectedEvents: [arvoEvent], innerException: null);
        }

        if (TryEnqueueNested(arvoEvent))
        {
            return;
        }

        if (IsDeliveryToken(cancellationToken))
        {
            throw new ArvoBrokerException(
                ArvoBrokerErrorKind.ReentrantPublish,
                $"PublishAsync was called with the cancellation token of a delivery in progress on this broker, from a flow that does not carry that delivery's execution context (ExecutionContext.SuppressFlow, an unsafe work item or a thread of its own), for event '{arvoEvent.Type}' (id {arvoEvent.Id}). Waiting for the broker to become idle would wait for the delivery itself, a deadlock. Publish from the subscriber's own async flow (there a publish only enqueues the event), or after the subscriber returned.",
                eventTypes: null,
                rejectedEvents: [arvoEvent],
                innerException: null);
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
    /// (called from inside a delivery, or with a subscriber's token from a flow that does not carry its delivery), or any
    /// error of <see cref="PublishAsync"/>; also
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

        if (CurrentDelivery.Value?.Broker == this || IsDeliveryToken(cancellationToken))
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

    /// <summary>True while a drive runs whose subscribers were given <paramref name="cancellationToken"/>.</summary>
    private bool IsDeliveryToken(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return false;
        }

        lock (_lock)
        {
            return _drive is { } drive && drive.Token == cancellationToken;
        }
    }

    /// <summary>
    /// Reports what a registered handler's fan-out could not hand over: one failure as it is; several rejections of one
    /// kind as one <see cref="ArvoBrokerException"/> naming every rejected event; anything else as an <see cref="AggregateException"/>.
    /// </summary>
    [DoesNotReturn]
    private void ThrowFanOutFailure(IArvoEventHandler handler, ArvoEvent consumed, int emittedCount, List<(ArvoEvent Event, Exception Error)> failures)
    {
        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Capture(failures[0].Error).Throw();
        }

        var list = new StringBuilder();
        foreach (var (evt, _) in failures)
        {
            list.Append(list.Length == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"'{evt.Type}' (id {evt.Id}, to '{evt.To}')");
        }

        var first = failures[0].Error as ArvoBrokerException;
        if (first is not null && failures.TrueForAll(f => f.Error is ArvoBrokerException broker && broker.Kind == first.Kind))
        {
            var headline = first.Kind switch
            {
                ArvoBrokerErrorKind.QueueFull => string.Create(CultureInfo.InvariantCulture, $"Event queue is full (max size: {Options.MaxQueueSize})"),
                ArvoBrokerErrorKind.HopLimitExceeded => string.Create(CultureInfo.InvariantCulture, $"Hop limit exceeded (maximum {Options.MaxHopsPerPublish} hops per published event)"),
                ArvoBrokerErrorKind.MissingTo => "Event must have a \"to\" property",
                _ => first.Kind.ToString(),
            };
            var pending = handler is IArvoOutboxHandler ? "; they stay pending in its outbox" : string.Empty;
            throw new ArvoBrokerException(
                first.Kind,
                string.Create(CultureInfo.InvariantCulture, $"{headline}: {failures.Count} of the {emittedCount} events '{handler.Source}' emitted for event {consumed.Id} were not enqueued: {list}{pending}"),
                first.EventTypes,
                [.. failures.Select(f => f.Event)],
                first);
        }

        throw new AggregateException(
            string.Create(CultureInfo.InvariantCulture, $"{failures.Count} of the {emittedCount} events '{handler.Source}' emitted for event {consumed.Id} were not published: {list}"),
            failures.Select(f => f.Error));
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
        return new ArvoBrokerException(ArvoBrokerErrorKind.HopLimitExceeded, message, types, [arvoEvent], innerException: null);
    }

    private void Enqueue(QueuedEvent item)
    {
        lock (_lock)
        {
            if (_queue.Count >= Options.MaxQueueSize)
            {
                throw new ArvoBrokerException(
                    ArvoBrokerErrorKind.QueueFull,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"Event queue is full (max size: {Options.MaxQueueSize}): event '{item.Event.Type}' (id {item.Event.Id}, to '{item.Event.To}') was not enqueued"),
                    eventTypes: null,
                    rejectedEvents: [item.Event],
                    innerException: null);
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
        // The subscribers get this drive's own token: a publish carrying it from outside the delivery's flow is re-entrant.
        using var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var drive = new DriveState(source.Token);
        var deliveryToken = drive.Token;
        lock (_lock)
        {
            _driving = true;
            _drive = drive;
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
                        item.Event,
                        drive);
                    continue;
                }

                var previous = CurrentDelivery.Value;
                CurrentDelivery.Value = new DeliveryScope(this, item);
                try
                {
                    if (listeners.Length == 1)
                    {
                        await DeliverAsync(listeners[0], item.Event, drive, deliveryToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var tasks = new Task[listeners.Length];
                        for (var i = 0; i < listeners.Length; i++)
                        {
                            tasks[i] = DeliverAsync(listeners[i], item.Event, drive, deliveryToken).AsTask();
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
                _drive = null;
            }
        }

        drive.ThrowCallbackFailures();
    }

    private async ValueTask DeliverAsync(Listener listener, ArvoEvent arvoEvent, DriveState drive, CancellationToken cancellationToken)
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
            ReportError(error, arvoEvent, drive);
        }
    }

    private void ReportError(Exception error, ArvoEvent arvoEvent, DriveState drive)
    {
        if (Options.OnError is { } onError)
        {
            try
            {
                onError(error, arvoEvent);
            }
#pragma warning disable CA1031 // Kept and rethrown once the drive is idle, so the events behind this one are still delivered.
            catch (Exception callbackError)
#pragma warning restore CA1031
            {
                drive.AddCallbackFailure(callbackError);
            }
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

    /// <summary>One drive loop: the token its subscribers get and what the error callback threw meanwhile.</summary>
    private sealed class DriveState(CancellationToken token)
    {
        private List<Exception>? _callbackFailures;

        public CancellationToken Token { get; } = token;

        public void AddCallbackFailure(Exception error)
        {
            lock (this)
            {
                (_callbackFailures ??= []).Add(error);
            }
        }

        public void ThrowCallbackFailures()
        {
            var failures = _callbackFailures;
            if (failures is null)
            {
                return;
            }

            if (failures.Count == 1)
            {
                ExceptionDispatchInfo.Capture(failures[0]).Throw();
            }

            throw new AggregateException(
                string.Create(CultureInfo.InvariantCulture, $"SimpleEventBrokerOptions.OnError threw {failures.Count} times during one drive; every queued event was still delivered"),
                failures);
        }
    }

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
