namespace Arvo.Hosting;

/// <summary>
/// Settings of the Arvo host: retries, concurrency and the outbox relay. Bind them from configuration
/// (<c>services.AddArvo(configuration.GetSection("Arvo"), ...)</c>); they are validated when the host starts.
/// </summary>
/// <example>
/// <code>
/// "Arvo": { "MaxRetryAttempts": 8, "RetryBaseDelay": "00:00:00.200", "MaxConcurrency": 4 }
/// </code>
/// </example>
public sealed class ArvoHostingOptions
{
    /// <summary>How many times an execution that failed with lock contention or a transient store error is retried before its event is dead-lettered.</summary>
    /// <value>Default 5; 0 to 100.</value>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The delay before the first retry; later retries back off exponentially (with jitter).</summary>
    /// <value>Default 50 ms; 0 to 1 minute.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest delay between two retries.</summary>
    /// <value>Default 5 s; 0 to 10 minutes.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many events (of different workflows) the worker executes at the same time.</summary>
    /// <value>Default <see cref="Environment.ProcessorCount"/>; 1 to 1,024.</value>
    public int MaxConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>How often the outbox relay looks for events that were persisted and never published (after a crash).</summary>
    /// <value>Default 10 s; 10 ms to 1 hour.</value>
    public TimeSpan OutboxRelayInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How old a pending outbox event must be (by its <c>time</c>) before the relay publishes it: younger events are
    /// probably still being published by the execution that wrote them, here or on another host.
    /// </summary>
    /// <value>Default 5 s; 0 to 1 hour.</value>
    public TimeSpan OutboxRelayMinimumAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many pending outbox events the relay reads at a time.</summary>
    /// <value>Default 100; 1 to 10,000.</value>
    public int OutboxRelayBatchSize { get; set; } = 100;

    /// <summary>Whether the hosted worker consumes the transport. Turn it off for a host that only serves HTTP and publishes.</summary>
    /// <value>Default true.</value>
    public bool RunWorker { get; set; } = true;
}
