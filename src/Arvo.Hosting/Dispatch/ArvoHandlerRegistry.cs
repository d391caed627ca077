using System.Diagnostics.CodeAnalysis;
using Arvo.Handlers;
using Arvo.Memory;

namespace Arvo.Dispatch;

/// <summary>
/// The handlers, orchestrators and resumables of one host, by the <c>to</c> they consume (their
/// <see cref="IArvoEventHandler.Source"/>). Immutable; built once when the host starts.
/// </summary>
public sealed class ArvoHandlerRegistry
{
    private readonly Dictionary<string, IArvoEventHandler> _byDestination;

    /// <summary>Creates a registry.</summary>
    /// <param name="handlers">The handlers; each source at most once (the same instance twice counts once).</param>
    /// <exception cref="ArgumentNullException"><paramref name="handlers"/> is null or holds null.</exception>
    /// <exception cref="ConfigViolation">Two different handlers consume the same source.</exception>
    public ArvoHandlerRegistry(IEnumerable<IArvoEventHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _byDestination = new Dictionary<string, IArvoEventHandler>(StringComparer.Ordinal);
        var ordered = new List<IArvoEventHandler>();
        foreach (var handler in handlers)
        {
            ArgumentNullException.ThrowIfNull(handler, nameof(handlers));
            if (_byDestination.TryGetValue(handler.Source, out var existing))
            {
                if (ReferenceEquals(existing, handler))
                {
                    continue;
                }

                throw new ConfigViolation(
                    $"Two handlers consume the source '{handler.Source}' ({existing} and {handler}); register one handler per source (for several versions, one handler or orchestrator with several versions).");
            }

            _byDestination.Add(handler.Source, handler);
            ordered.Add(handler);
        }

        Handlers = ordered;
        Destinations = [.. ordered.Select(handler => handler.Source)];
        Outboxes = [.. ordered.OfType<IArvoOutboxHandler>().Select(handler => handler.Outbox).Distinct()];
    }

    /// <summary>The handlers, in registration order.</summary>
    public IReadOnlyList<IArvoEventHandler> Handlers { get; }

    /// <summary>The <c>to</c> values consumed (every handler's source), in registration order.</summary>
    public IReadOnlyList<string> Destinations { get; }

    /// <summary>The distinct outboxes of the orchestrators and resumables (what the outbox relay reads).</summary>
    public IReadOnlyList<IMachineMemoryOutbox> Outboxes { get; }

    /// <summary>Finds the handler that consumes <paramref name="destination"/>.</summary>
    /// <param name="destination">An event's <c>to</c>.</param>
    /// <param name="handler">The handler, when there is one.</param>
    /// <returns>True when a handler consumes <paramref name="destination"/>.</returns>
    public bool TryGetHandler(string? destination, [NotNullWhen(true)] out IArvoEventHandler? handler)
    {
        if (destination is null)
        {
            handler = null;
            return false;
        }

        return _byDestination.TryGetValue(destination, out handler);
    }
}
