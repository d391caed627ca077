namespace Arvo.Samples.Distributed.Bench;

/// <summary>What the raw RabbitMQ baseline sends.</summary>
/// <param name="Messages">How many messages.</param>
/// <param name="MessageSize">The body size in bytes (the average serialized event of a counter workflow).</param>
/// <param name="Publishers">Concurrent publishers, each awaiting its confirm before its next publish.</param>
/// <param name="Queues">Queues (and consumers), like a destination's partitions.</param>
/// <param name="Prefetch">Unacknowledged messages per consumer.</param>
public sealed record RawRabbitMqSettings(int Messages, int MessageSize, int Publishers, int Queues, ushort Prefetch);
