using System.Globalization;

namespace Arvo.Samples.Distributed;

/// <summary>
/// The names one run owns, derived from its id so that concurrent runs never share a table or a queue: the
/// PostgreSQL table prefix (<c>dist_&lt;id&gt;_</c>) and the RabbitMQ prefix (<c>dist-&lt;id&gt;</c>).
/// </summary>
/// <param name="Id">Eight lower-case hex digits.</param>
public sealed record DistributedRun(string Id)
{
    /// <summary>The <c>source</c> of the init events, to whom the workflows' completions are addressed.</summary>
    public const string Initiator = "com.distributed.driver";

    /// <summary>The prefix of every table of the run (the store's tables, then the service's command log).</summary>
    public string TablePrefix => $"dist_{Id}_";

    /// <summary>The prefix of every exchange and queue of the run.</summary>
    public string RabbitMqPrefix => $"dist-{Id}";

    /// <summary>A run with a fresh id.</summary>
    /// <returns>The run.</returns>
    public static DistributedRun New() =>
        new(Random.Shared.NextInt64(0x1000_0000, 0xFFFF_FFFF).ToString("x8", CultureInfo.InvariantCulture));
}
