namespace Arvo.Transport.RabbitMQ;

/// <summary>
/// Settings of a <see cref="RabbitMqArvoTransport"/>. Bind them from the <c>Arvo:RabbitMQ</c> configuration section
/// (<c>arvo.UseRabbitMqTransport(configuration.GetSection("Arvo:RabbitMQ"))</c>) or set them in code; they are
/// validated when the host starts (and by the transport's constructor), each failure naming the setting.
/// </summary>
/// <example>
/// <code>
/// "Arvo": { "RabbitMQ": { "Uri": "amqp://app:secret@rabbit:5672/", "Prefix": "orders", "Partitions": 32, "Prefetch": 64 } }
/// </code>
/// </example>
public sealed class RabbitMqTransportOptions
{
    /// <summary>The configuration section the settings are usually bound from: <c>Arvo:RabbitMQ</c>.</summary>
    public const string SectionName = "Arvo:RabbitMQ";

    /// <summary>The largest partition count: 1,024.</summary>
    public const int MaxPartitions = 1024;

    /// <summary>The broker, user, password and virtual host, as an AMQP URI (<c>amqp://</c> or <c>amqps://</c>).</summary>
    /// <value>Default <c>amqp://guest:guest@localhost:5672/</c>.</value>
    public Uri Uri { get; set; } = new("amqp://guest:guest@localhost:5672/");

    /// <summary>
    /// The prefix of every exchange and queue name (<see cref="RabbitMqTopology"/>). Hosts that share a prefix share
    /// the work; use one prefix per system (and per test).
    /// </summary>
    /// <value>Default <c>arvo</c>; 1 to 64 characters of <c>A-Z a-z 0-9 . _ - :</c>.</value>
    public string Prefix { get; set; } = "arvo";

    /// <summary>
    /// The number of partition queues per destination (<c>to</c>): the most hosts that can consume one destination at
    /// the same time, and (with one message at a time per partition) the most events of one destination a host executes
    /// at once. Every host and publisher of a prefix must use the same value; see the package README for changing it.
    /// </summary>
    /// <value>Default 16; 1 to 1,024.</value>
    public int Partitions { get; set; } = 16;

    /// <summary>
    /// How many unacknowledged messages the broker sends to one partition consumer before it waits for an
    /// acknowledgement (<c>basic.qos</c> per partition channel): the back-pressure of a busy host.
    /// </summary>
    /// <value>Default 16; 1 to 65,535.</value>
    public int Prefetch { get; set; } = 16;

    /// <summary>
    /// How often a host compares the partitions it consumes with its fair share (ceil(partitions / live hosts)), claims
    /// unowned partitions and releases extra ones; also the delay between two reconnection attempts.
    /// </summary>
    /// <value>Default 2 s; 10 ms to 10 minutes.</value>
    public TimeSpan RebalanceInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a message nacked with requeue waits before it is delivered again (its workflow's later messages wait too).</summary>
    /// <value>Default 50 ms; 0 to 1 minute.</value>
    public TimeSpan RedeliveryDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The connection name shown by the broker (<c>rabbitmqctl list_connections client_properties</c>, the management UI).</summary>
    /// <value>Default <c>arvo@{machine name}</c>; 1 to 200 characters. The transport adds <c> (publish)</c> and <c> (consume)</c>.</value>
    public string ConnectionName { get; set; } = $"arvo@{Environment.MachineName}";

    /// <summary>A copy of these settings.</summary>
    /// <returns>The copy.</returns>
    internal RabbitMqTransportOptions Clone() => (RabbitMqTransportOptions)MemberwiseClone();
}
