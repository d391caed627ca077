namespace Arvo.Transport.RabbitMQ;

/// <summary>
/// One delivery from a partition queue. Ack and nack without requeue go to the broker (a rejected message goes to the
/// dead-letter exchange); a nack with requeue is redelivered by the partition itself, before the partition's next
/// message, so the workflow's order holds.
/// </summary>
internal sealed class RabbitMqTransportMessage(ArvoEvent arvoEvent, int deliveryCount, PartitionConsumer partition, ulong deliveryTag)
    : ArvoTransportMessage(arvoEvent, deliveryCount)
{
    public bool Requeue { get; private set; }

    protected override ValueTask OnAckAsync(CancellationToken cancellationToken) => partition.AckAsync(deliveryTag, cancellationToken);

    protected override ValueTask OnNackAsync(bool requeue, CancellationToken cancellationToken)
    {
        if (requeue)
        {
            Requeue = true;
            return ValueTask.CompletedTask;
        }

        return partition.RejectAsync(deliveryTag, cancellationToken);
    }
}
