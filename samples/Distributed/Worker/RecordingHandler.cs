using Arvo.Contracts;
using Arvo.Handlers;

namespace Arvo.Samples.Distributed.Worker;

/// <summary>
/// A service handler that writes every command it is handed to the <see cref="ServiceCommandLog"/> before it runs
/// the real handler. Stateless like the handler it wraps: a redelivered command is executed (and recorded) again, and
/// answered under the same event ids (<see cref="Arvo.Events.ArvoDerivedEventId"/>), so the orchestrator's inbox
/// drops the repeated answer.
/// </summary>
/// <param name="inner">The counter service.</param>
/// <param name="log">Where executions are recorded.</param>
/// <param name="worker">This worker's name, written with each row.</param>
public sealed class RecordingHandler(IArvoEventHandler inner, ServiceCommandLog log, string worker) : IArvoEventHandler
{
    /// <inheritdoc />
    public string Source => inner.Source;

    /// <inheritdoc />
    public ArvoContractSystemError SystemErrorSchema => inner.SystemErrorSchema;

    /// <inheritdoc />
    public async ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        await log.RecordAsync(arvoEvent, worker, cancellationToken).ConfigureAwait(false);
        return await inner.ExecuteAsync(arvoEvent, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"recording {inner}";
}
