using System.Globalization;
using Arvo.Dispatch;
using Arvo.Events;

namespace Arvo.Transport.RabbitMQ;

/// <summary>
/// Stores dead letters in the broker: publishes the original event (structured CloudEvents JSON, unchanged) to
/// <see cref="RabbitMqTopology.DeadLetterExchange"/> with the reason, error type, detail and attempts as headers
/// (<see cref="RabbitMqDeadLetterHeaders"/>), and returns once the broker confirmed it. <c>UseRabbitMqTransport</c>
/// registers it.
/// </summary>
public sealed class RabbitMqDeadLetterSink : IArvoDeadLetterSink
{
    private readonly RabbitMqArvoTransport _transport;

    /// <summary>Creates a sink that publishes through <paramref name="transport"/>'s connection.</summary>
    /// <param name="transport">The transport.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is null.</exception>
    public RabbitMqDeadLetterSink(RabbitMqArvoTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The transport was disposed.</exception>
    public ValueTask WriteAsync(ArvoDeadLetter deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [RabbitMqDeadLetterHeaders.Reason] = deadLetter.Reason.ToString(),
            [RabbitMqDeadLetterHeaders.ErrorType] = deadLetter.ErrorType,
            [RabbitMqDeadLetterHeaders.Detail] = deadLetter.Detail,
            [RabbitMqDeadLetterHeaders.Attempts] = deadLetter.Attempts,
            [RabbitMqDeadLetterHeaders.DeadLetteredAt] = deadLetter.DeadLetteredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            [RabbitMqDeadLetterHeaders.Destination] = deadLetter.Event.To ?? "",
        };
        return _transport.PublishDeadLetterAsync(
            ArvoEventJson.SerializeToUtf8Bytes(deadLetter.Event),
            RabbitMqArvoTransport.CloudEventsContentType,
            deadLetter.Event.Id,
            deadLetter.Event.Type,
            headers,
            cancellationToken);
    }
}
