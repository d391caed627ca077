namespace Arvo.Dispatch;

/// <summary>
/// Routes an event by its <c>to</c> to the registered handler, orchestrator or resumable, runs it (retrying lock
/// contention and transient store errors with backoff), publishes what it emitted through the host's transport and
/// sends what can never succeed to the dead-letter sink. The hosted worker and the HTTP endpoint both dispatch through
/// it. Thread-safe.
/// </summary>
public interface IArvoDispatcher
{
    /// <summary>The handlers dispatched to.</summary>
    ArvoHandlerRegistry Registry { get; }

    /// <summary>Dispatches one event.</summary>
    /// <param name="arvoEvent">The event.</param>
    /// <param name="options">Settings; null means <see cref="ArvoDispatchOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the dispatch (between retries, and the handler's I/O).</param>
    /// <returns>The execution's result, or the failure (dead-lettered unless <paramref name="options"/> said otherwise).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="arvoEvent"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Exception">Publishing the emitted events failed: the execution is stored (its inbox answers a redelivery), so deliver the event again.</exception>
    ValueTask<ArvoDispatchResult> DispatchAsync(ArvoEvent arvoEvent, ArvoDispatchOptions? options = null, CancellationToken cancellationToken = default);
}
