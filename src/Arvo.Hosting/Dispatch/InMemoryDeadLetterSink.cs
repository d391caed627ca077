namespace Arvo.Dispatch;

/// <summary>
/// Keeps the most recent dead letters in memory (every one is also logged by the dispatcher). The default sink: fine for
/// tests, samples and one host; register a durable <see cref="IArvoDeadLetterSink"/> to keep them across restarts.
/// </summary>
public sealed class InMemoryDeadLetterSink : IArvoDeadLetterSink
{
    /// <summary>The default capacity: 10,000 dead letters.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Queue<ArvoDeadLetter> _letters = new();
    private readonly Lock _gate = new();
    private long _total;

    /// <summary>Creates a sink.</summary>
    /// <param name="capacity">How many dead letters to keep (the oldest is dropped first); at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public InMemoryDeadLetterSink(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>How many dead letters are kept.</summary>
    public int Capacity { get; }

    /// <summary>How many dead letters were ever written, including those no longer kept.</summary>
    public long TotalCount
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>The kept dead letters, oldest first (a snapshot).</summary>
    public IReadOnlyList<ArvoDeadLetter> Letters
    {
        get
        {
            lock (_gate)
            {
                return [.. _letters];
            }
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ArvoDeadLetter deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        lock (_gate)
        {
            if (_letters.Count == Capacity)
            {
                _letters.Dequeue();
            }

            _letters.Enqueue(deadLetter);
            _total++;
        }

        return ValueTask.CompletedTask;
    }
}
