using System.Diagnostics;
using System.Globalization;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Arvo.Samples.Distributed.Bench;

/// <summary>
/// The broker alone, with RabbitMQ.Client and no Arvo types: persistent messages of the events' size published with
/// publisher confirms (mandatory, awaited one by one by each of several concurrent publishers sharing one confirm
/// channel, as the transport publishes) to a direct exchange bound to classic durable queues (one per partition), and
/// consumed by one consumer per queue with the transport's prefetch, each message acknowledged by itself. The rate is
/// messages per second from the first publish to the last acknowledgement.
/// </summary>
public static class RawRabbitMqBaseline
{
    /// <summary>Runs the baseline on queues of its own (deleted afterwards).</summary>
    /// <param name="uri">The broker.</param>
    /// <param name="prefix">The prefix of the exchange and queues.</param>
    /// <param name="settings">Message count and size, publishers, queues and prefetch.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The measured rate.</returns>
    /// <exception cref="TimeoutException">Not every message came back within 5 minutes.</exception>
    public static async Task<RawRabbitMqResult> RunAsync(Uri uri, string prefix, RawRabbitMqSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var factory = new ConnectionFactory { Uri = uri, ClientProvidedName = $"{prefix} raw baseline" };
        await using var publishConnection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var consumeConnection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        var exchange = $"{prefix}.raw";
        var queues = Enumerable.Range(0, settings.Queues).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}.raw.{i}")).ToArray();
        await using (var setup = await publishConnection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await setup.ExchangeDeclareAsync(exchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var queue in queues)
            {
                await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                await setup.QueueBindAsync(queue, exchange, queue, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        var consumers = new List<IChannel>();
        try
        {
            var received = 0;
            var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var queue in queues)
            {
                var channel = await consumeConnection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                consumers.Add(channel);
                await channel.BasicQosAsync(0, settings.Prefetch, global: false, cancellationToken).ConfigureAwait(false);
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += async (_, delivery) =>
                {
                    await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
                    if (Interlocked.Increment(ref received) == settings.Messages)
                    {
                        allReceived.TrySetResult();
                    }
                };
                await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
            }

            var body = new byte[settings.MessageSize];
            Array.Fill(body, (byte)'x');
            await using var publisher = await publishConnection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken).ConfigureAwait(false);
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, settings.Publishers).Select(_ => Task.Run(
                async () =>
                {
                    int index;
                    while ((index = Interlocked.Increment(ref next)) < settings.Messages)
                    {
                        var properties = new BasicProperties
                        {
                            ContentType = "application/cloudevents+json",
                            DeliveryMode = DeliveryModes.Persistent,
                            MessageId = Guid.NewGuid().ToString(),
                            Type = "com.number.increment",
                        };
                        await publisher.BasicPublishAsync(exchange, queues[index % queues.Length], mandatory: true, properties, body, cancellationToken).ConfigureAwait(false);
                    }
                },
                cancellationToken))).ConfigureAwait(false);
            await allReceived.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            return new RawRabbitMqResult(settings, clock.Elapsed);
        }
        finally
        {
            foreach (var channel in consumers)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }

            await using var cleanup = await publishConnection.CreateChannelAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            foreach (var queue in queues)
            {
                await cleanup.QueueDeleteAsync(queue, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }

            await cleanup.ExchangeDeleteAsync(exchange, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }
}
