using Arvo.Memory;

namespace Arvo.Handlers;

/// <summary>
/// A handler whose emitted events are written to an outbox with its state and stay pending until published:
/// <see cref="ArvoOrchestrator"/> and <see cref="ArvoResumable"/>. Whoever publishes an execution's events marks them
/// published with <see cref="ArvoOutboxHandlerExtensions.MarkPublishedAsync"/>; what stays pending after a crash is
/// republished by an <see cref="ArvoOutboxRelay"/> over <see cref="Outbox"/>.
/// </summary>
public interface IArvoOutboxHandler : IArvoEventHandler
{
    /// <summary>The outbox the handler's executions write to (its machine memory).</summary>
    IMachineMemoryOutbox Outbox { get; }
}

/// <summary>Helpers for <see cref="IArvoOutboxHandler"/>.</summary>
public static class ArvoOutboxHandlerExtensions
{
    /// <summary>Marks the events of one execution published, once the caller has published them.</summary>
    /// <param name="handler">The handler that executed <paramref name="consumed"/>.</param>
    /// <param name="consumed">The consumed event (its subject is the workflow id the events were written under).</param>
    /// <param name="published">The published events (from <see cref="ArvoExecutionResult.All"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many pending entries changed to published.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ValueTask<int> MarkPublishedAsync(this IArvoOutboxHandler handler, ArvoEvent consumed, IReadOnlyList<ArvoEvent> published, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(consumed);
        ArgumentNullException.ThrowIfNull(published);
        if (published.Count == 0)
        {
            return new ValueTask<int>(0);
        }

        var ids = new string[published.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = published[i].Id;
        }

        return handler.Outbox.MarkPublishedAsync(consumed.Subject, ids, cancellationToken);
    }
}
