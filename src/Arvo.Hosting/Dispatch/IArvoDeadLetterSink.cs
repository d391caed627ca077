namespace Arvo.Dispatch;

/// <summary>
/// Where events that can never succeed go (<see cref="ArvoDeadLetter"/>), with the reason and the original event, so
/// that nothing is silently dropped. The default is <see cref="InMemoryDeadLetterSink"/>; a broker transport brings a
/// dead-letter exchange.
/// </summary>
public interface IArvoDeadLetterSink
{
    /// <summary>Stores one dead letter.</summary>
    /// <param name="deadLetter">The event and why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the dead letter is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="deadLetter"/> is null.</exception>
    ValueTask WriteAsync(ArvoDeadLetter deadLetter, CancellationToken cancellationToken = default);
}
