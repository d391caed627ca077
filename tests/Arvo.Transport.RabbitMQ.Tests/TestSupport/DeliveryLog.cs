namespace Arvo.Transport.RabbitMQ.Tests.TestSupport;

/// <summary>What a test subscriber received: each delivery's event and delivery count, in arrival order.</summary>
internal sealed class DeliveryLog
{
    private readonly List<(ArvoEvent Event, int DeliveryCount)> _deliveries = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<(ArvoEvent Event, int DeliveryCount)> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    public IReadOnlyList<ArvoEvent> Events => [.. Deliveries.Select(delivery => delivery.Event)];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _deliveries.Count;
            }
        }
    }

    public void Add(ArvoTransportMessage message)
    {
        lock (_gate)
        {
            _deliveries.Add((message.Event, message.DeliveryCount));
        }
    }

    /// <summary>A subscription callback that records each message and acknowledges it.</summary>
    public Func<ArvoTransportMessage, CancellationToken, ValueTask> Acknowledging() => async (message, token) =>
    {
        Add(message);
        await message.AckAsync(token);
    };

    public Task WaitForCountAsync(int count) =>
        RabbitMqTestBroker.WaitUntilAsync(() => Count >= count, $"{count} deliveries (have {Count})");
}
