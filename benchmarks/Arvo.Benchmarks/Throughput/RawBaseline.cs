namespace Arvo.Benchmarks.Throughput;

/// <summary>
/// The backend's own SQL, without Arvo: it replays a <see cref="StorageTrace"/> (the storage calls of one real
/// workflow, with the JSON they wrote) with plain ADO.NET commands against tables of the same shape as the store's.
/// </summary>
public interface IRawBaseline : IAsyncDisposable
{
    /// <summary>Which statements one replayed call runs (for the report and the README).</summary>
    string Statements { get; }

    /// <summary>Opens one worker's session (its own connection, its commands built once).</summary>
    /// <param name="trace">What every workflow replays.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IRawSession> OpenSessionAsync(StorageTrace trace, CancellationToken cancellationToken);
}

/// <summary>One worker of the raw loop; not thread-safe.</summary>
public interface IRawSession : IAsyncDisposable
{
    /// <summary>Replays the trace once for a fresh workflow id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask RunWorkflowAsync(CancellationToken cancellationToken);
}
