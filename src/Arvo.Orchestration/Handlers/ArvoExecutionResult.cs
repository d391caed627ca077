namespace Arvo.Handlers;

/// <summary>
/// What one execution produced: every event in order, and the same events bucketed by their
/// <c>domain</c> (null domain = the <c>default</c> bucket).
/// </summary>
/// <remarks>
/// Shape of the product documents (spec README D1): <see cref="Events"/> is the <c>default</c> bucket,
/// <see cref="AllEventDomains"/> lists bucket keys in first-appearance order, and <see cref="DomainedEvents"/>
/// maps each key to its events and always has <c>all</c> = the complete ordered list. Because <c>all</c>
/// and <c>default</c> are also legal wire domains, read a specific domain with <see cref="ForDomain"/>,
/// which never confuses the two.
/// </remarks>
public sealed class ArvoExecutionResult
{
    /// <summary>The bucket key of events whose domain is null.</summary>
    public const string DefaultDomain = "default";

    /// <summary>The <see cref="DomainedEvents"/> key of the complete ordered list.</summary>
    public const string AllKey = "all";

    private readonly Dictionary<string, ArvoEvent[]> _byDomain;
    private readonly ArvoEvent[] _nullDomain;
    private IReadOnlyDictionary<string, IReadOnlyList<ArvoEvent>>? _domained;

    private static readonly Dictionary<string, ArvoEvent[]> NoLiteralDomains = new(StringComparer.Ordinal);
    private static readonly string[] DefaultDomainOnly = [DefaultDomain];

    private static readonly ArvoExecutionResult[] EmptyByOutcome =
        [.. Enum.GetValues<ArvoExecutionOutcome>().Select(outcome => new ArvoExecutionResult([], outcome))];

    private ArvoExecutionResult(ArvoEvent[] all, ArvoExecutionOutcome outcome)
    {
        All = all;
        Outcome = outcome;
        if (all.Length > 0 && Array.TrueForAll(all, evt => evt.Domain is null))
        {
            // The common case (every event in the null domain): one bucket that is the complete list.
            _byDomain = NoLiteralDomains;
            _nullDomain = all;
            // DomainedEvents is built on first read: most callers only look at All or Events.
            AllEventDomains = DefaultDomainOnly;
            return;
        }

        _byDomain = new Dictionary<string, ArvoEvent[]>(StringComparer.Ordinal);
        var keys = new List<string>();
        var buckets = new Dictionary<string, List<ArvoEvent>>(StringComparer.Ordinal);
        var nullDomain = new List<ArvoEvent>();
        var literal = new Dictionary<string, List<ArvoEvent>>(StringComparer.Ordinal);
        foreach (var evt in all)
        {
            if (evt.Domain is null)
            {
                nullDomain.Add(evt);
            }
            else
            {
                if (!literal.TryGetValue(evt.Domain, out var exact))
                {
                    exact = [];
                    literal.Add(evt.Domain, exact);
                }

                exact.Add(evt);
            }

            var key = evt.Domain ?? DefaultDomain;
            if (!buckets.TryGetValue(key, out var bucket))
            {
                bucket = [];
                buckets.Add(key, bucket);
                keys.Add(key);
            }

            bucket.Add(evt);
        }

        _nullDomain = [.. nullDomain];
        foreach (var (domain, exact) in literal)
        {
            _byDomain[domain] = [.. exact];
        }

        AllEventDomains = keys;
        var domained = new Dictionary<string, IReadOnlyList<ArvoEvent>>(buckets.Count + 1, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            domained[key] = buckets[key].ToArray();
        }

        domained[AllKey] = all;
        _domained = domained;
    }

    /// <summary>An execution that produced nothing.</summary>
    public static ArvoExecutionResult Empty => EmptyByOutcome[(int)ArvoExecutionOutcome.Executed];

    /// <summary>
    /// What the execution decided: ran the event, answered it from the inbox, ignored it (and why) or failed the
    /// workflow. Hosts log and count these; the events are the same whatever a caller does with it.
    /// </summary>
    public ArvoExecutionOutcome Outcome { get; }

    /// <summary>Every produced event, in order, without duplicates (the reference's <c>events</c>).</summary>
    public IReadOnlyList<ArvoEvent> All { get; }

    /// <summary>The events whose domain is null (the <c>default</c> bucket).</summary>
    public IReadOnlyList<ArvoEvent> Events => _nullDomain;

    /// <summary>Bucket keys in first-appearance order; <c>default</c> stands for the null domain.</summary>
    public IReadOnlyList<string> AllEventDomains { get; }

    /// <summary>Bucket key → events, plus <c>all</c> → <see cref="All"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ArvoEvent>> DomainedEvents =>
        _domained ?? Interlocked.CompareExchange(ref _domained, NullDomainOnly(), null) ?? _domained;

    /// <summary>Builds a result from the complete ordered list of produced events.</summary>
    /// <param name="events">Every produced event, in order.</param>
    /// <param name="outcome">What the execution decided.</param>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcome"/> is not a defined value.</exception>
    public static ArvoExecutionResult From(IEnumerable<ArvoEvent> events, ArvoExecutionOutcome outcome = ArvoExecutionOutcome.Executed)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (!Enum.IsDefined(outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Expected a defined ArvoExecutionOutcome.");
        }

        var all = events as ArvoEvent[] ?? [.. events];
        return all.Length == 0 ? EmptyByOutcome[(int)outcome] : new ArvoExecutionResult(all, outcome);
    }

    /// <summary>The map of a result whose events all have the null domain (the result is empty, or one bucket is the complete list).</summary>
    private Dictionary<string, IReadOnlyList<ArvoEvent>> NullDomainOnly() =>
        _nullDomain.Length == 0
            ? new Dictionary<string, IReadOnlyList<ArvoEvent>>(1, StringComparer.Ordinal) { [AllKey] = _nullDomain }
            : new Dictionary<string, IReadOnlyList<ArvoEvent>>(2, StringComparer.Ordinal) { [DefaultDomain] = _nullDomain, [AllKey] = _nullDomain };

    /// <summary>The events of exactly one domain (null = the null domain); empty when there are none.</summary>
    public IReadOnlyList<ArvoEvent> ForDomain(string? domain) =>
        domain is null ? _nullDomain : _byDomain.TryGetValue(domain, out var exact) ? exact : [];
}
