using Arvo.Contracts;
using Arvo.Handlers;

namespace Arvo;

/// <summary>
/// Anything that consumes Arvo events: contract-bound handlers, orchestrators and resumables. A broker
/// delivers to a handler every event whose <c>to</c> equals its <see cref="Source"/>.
/// </summary>
/// <remarks>
/// Handlers never call each other; they return events. Violations (<see cref="ArvoViolation"/>) are thrown;
/// every other failure is returned as <c>sys.&lt;source&gt;.error</c> events.
/// </remarks>
public interface IArvoEventHandler
{
    /// <summary>
    /// The event type this handler consumes and the <c>source</c> it stamps on what it emits
    /// (a handler's contract type; an orchestrator's <c>arvo.orc.&lt;name&gt;</c>).
    /// </summary>
    string Source { get; }

    /// <summary>The handler's system error event: type <c>sys.&lt;source&gt;.error</c> and its schema.</summary>
    ArvoContractSystemError SystemErrorSchema { get; }

    /// <summary>Processes one event and returns the events it produces, bucketed by domain.</summary>
    /// <param name="arvoEvent">The consumed event.</param>
    /// <param name="options">Execution options (trace parent selection); null means <see cref="ArvoExecutionOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels I/O (memory, locks); pure computation is not interrupted.</param>
    /// <returns>The produced events.</returns>
    /// <exception cref="ArvoViolation">A contract, configuration, execution or transaction violation.</exception>
    ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default);
}
