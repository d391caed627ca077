using System.Globalization;

namespace Arvo.Samples.Distributed.Bench;

/// <summary>The raw baseline's rate.</summary>
/// <param name="Settings">What was sent.</param>
/// <param name="Elapsed">From the first publish to the last acknowledgement.</param>
public sealed record RawRabbitMqResult(RawRabbitMqSettings Settings, TimeSpan Elapsed)
{
    /// <summary>Messages published, confirmed, consumed and acknowledged per second.</summary>
    public double MessagesPerSecond => Settings.Messages / Elapsed.TotalSeconds;

    /// <summary>The result as one line.</summary>
    /// <returns><c>raw rabbitmq: messages=25000 size=1012B publishers=16 queues=16 prefetch=32 elapsed=6.1s messages/s=4098.4</c>.</returns>
    public string ToLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"raw rabbitmq: messages={Settings.Messages} size={Settings.MessageSize}B publishers={Settings.Publishers} queues={Settings.Queues} " +
        $"prefetch={Settings.Prefetch} elapsed={Elapsed.TotalSeconds:0.0}s messages/s={MessagesPerSecond:0.0}");
}
