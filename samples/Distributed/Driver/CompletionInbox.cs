using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Arvo.Samples.Counter;
using Arvo.Transport;

namespace Arvo.Samples.Distributed.Driver;

/// <summary>
/// The driver's consumer of the events addressed to it (<see cref="DistributedRun.Initiator"/>): every workflow's
/// completion (<c>arvo.orc.counter.done</c>), kept by subject with its data's JSON text. A completion delivered again
/// (the orchestrator answers a redelivered event from its inbox, publishing the same completion) is counted once.
/// </summary>
public sealed class CompletionInbox
{
    private readonly ConcurrentDictionary<string, string> _bySubject = new(StringComparer.Ordinal);
    private int _deliveries;

    /// <summary>How many workflows' completions arrived.</summary>
    public int Count => _bySubject.Count;

    /// <summary>How many completion deliveries arrived, repeats included.</summary>
    public int Deliveries => Volatile.Read(ref _deliveries);

    /// <summary>The data of <paramref name="subject"/>'s first completion, as JSON text.</summary>
    /// <param name="subject">The workflow's subject.</param>
    /// <param name="data">The completion's data.</param>
    /// <returns>Whether the workflow's completion arrived.</returns>
    public bool TryGet(string subject, [MaybeNullWhen(false)] out string data) => _bySubject.TryGetValue(subject, out data);

    /// <summary>The subscription's callback: keeps a completion and acknowledges every delivery.</summary>
    /// <param name="message">The delivery.</param>
    /// <param name="cancellationToken">Cancels the acknowledgement.</param>
    /// <returns>A task.</returns>
    public async ValueTask OnMessageAsync(ArvoTransportMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Event.Type == CounterContracts.CompleteType)
        {
            Interlocked.Increment(ref _deliveries);
            _bySubject.TryAdd(message.Event.Subject, message.Event.Data.GetRawText());
        }

        await message.AckAsync(cancellationToken).ConfigureAwait(false);
    }
}
