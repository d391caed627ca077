using Arvo.Contracts;
using Arvo.Handlers;

namespace Arvo.Drills.Worker;

/// <summary>
/// A service handler that appends each execution to the command log once it has its answer and before it returns it
/// to the host: <c>subject \t type \t consumed id \t emitted ids (comma separated)</c>. An execution whose line a
/// kill lost never returned its answer, so it had no effect outside this process.
/// </summary>
internal sealed class LoggedHandler(IArvoEventHandler inner, AppendOnlyLog log) : IArvoEventHandler
{
    public string Source => inner.Source;

    public ArvoContractSystemError SystemErrorSchema => inner.SystemErrorSchema;

    public async ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await inner.ExecuteAsync(arvoEvent, options, cancellationToken);
        log.Append($"{arvoEvent.Subject}\t{arvoEvent.Type}\t{arvoEvent.Id}\t{string.Join(',', result.All.Select(e => e.Id))}");
        return result;
    }
}
