using Arvo.Handlers;

namespace Arvo.Samples.Counter;

/// <summary>
/// A minimal in-process router over a set of handlers, keyed by their <see cref="IArvoEventHandler.Source"/>: it
/// hands an event to the handler its <c>to</c> names and, when asked, keeps routing what comes out (FIFO) until
/// every event has left the set. Unlike <see cref="SimpleEventBroker"/> it does not serialize callers, so several
/// workflows can be driven through it at once (the handlers and the orchestrator are thread-safe).
/// </summary>
public sealed class CounterRouter
{
    private readonly Dictionary<string, IArvoEventHandler> _handlers;

    /// <summary>Creates a router.</summary>
    /// <param name="handlers">The handlers; their sources must be distinct.</param>
    /// <exception cref="ArgumentException">Two handlers share a source.</exception>
    public CounterRouter(IEnumerable<IArvoEventHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _handlers = new Dictionary<string, IArvoEventHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Source, handler))
            {
                throw new ArgumentException($"Two handlers share the source '{handler.Source}'.", nameof(handlers));
            }
        }
    }

    /// <summary>The sources (topics) this router serves.</summary>
    public IReadOnlyCollection<string> Topics => _handlers.Keys;

    /// <summary>Whether an event addressed to <paramref name="to"/> has a handler here.</summary>
    /// <param name="to">An event's <c>to</c>.</param>
    public bool Serves(string? to) => to is not null && _handlers.ContainsKey(to);

    /// <summary>
    /// Executes the one handler <paramref name="arvoEvent"/>'s <c>to</c> names and returns what it emitted, or null
    /// when no handler here serves it.
    /// </summary>
    /// <param name="arvoEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the execution.</param>
    /// <exception cref="ArvoViolation">The handler threw a violation.</exception>
    public ValueTask<ArvoExecutionResult?> ExecuteAsync(ArvoEvent arvoEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        return arvoEvent.To is { } to && _handlers.TryGetValue(to, out var handler)
            ? AwaitAsync(handler.ExecuteAsync(arvoEvent, ArvoExecutionOptions.Default, cancellationToken))
            : ValueTask.FromResult<ArvoExecutionResult?>(null);

        static async ValueTask<ArvoExecutionResult?> AwaitAsync(ValueTask<ArvoExecutionResult> pending) => await pending.ConfigureAwait(false);
    }

    /// <summary>
    /// Routes <paramref name="arvoEvent"/> and everything it causes until no event is left for a handler here.
    /// Every emitted event (all domains) is passed to <paramref name="onEmitted"/> in emission order; only events
    /// with a null <c>domain</c> are routed further (like the broker). Returns the number of handler executions.
    /// </summary>
    /// <param name="arvoEvent">The first event.</param>
    /// <param name="onEmitted">Sees every emitted event; may be null.</param>
    /// <param name="cancellationToken">Cancels between executions.</param>
    /// <exception cref="ArvoViolation">A handler threw a violation; the events emitted before it were passed on.</exception>
    public async ValueTask<int> RunAsync(ArvoEvent arvoEvent, Action<ArvoEvent>? onEmitted = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        var executions = 0;
        // Sized for a workflow's usual fan-out, so the queue does not grow while it runs.
        var pending = new Queue<ArvoEvent>(8);
        pending.Enqueue(arvoEvent);
        while (pending.TryDequeue(out var next))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (next.To is not { } to || !_handlers.TryGetValue(to, out var handler))
            {
                continue;
            }

            var result = await handler.ExecuteAsync(next, ArvoExecutionOptions.Default, cancellationToken).ConfigureAwait(false);
            executions++;
            // Indexed: enumerating the read-only list through its interface allocates an enumerator per execution.
            var all = result.All;
            for (var i = 0; i < all.Count; i++)
            {
                var emitted = all[i];
                onEmitted?.Invoke(emitted);
                if (emitted.Domain is null)
                {
                    pending.Enqueue(emitted);
                }
            }

            // Handed on: no longer pending in the orchestrator's outbox (what a real publisher does after a confirm).
            if (handler is IArvoOutboxHandler outboxHandler)
            {
                await outboxHandler.MarkPublishedAsync(next, result.All, cancellationToken).ConfigureAwait(false);
            }
        }

        return executions;
    }
}
