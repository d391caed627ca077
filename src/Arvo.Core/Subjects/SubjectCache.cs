using System.Diagnostics.CodeAnalysis;
using Arvo.Subjects;

namespace Arvo.Internal;

/// <summary>
/// A small, bounded, lock-free cache of parsed subjects, keyed by the subject string and the options it was read
/// with. Every event of a workflow instance carries the same subject, and one execution reads it several times
/// (pipeline, memory, domain resolution), so after the first read the base64 + zlib + JSON decode is skipped.
/// </summary>
/// <remarks>
/// Direct-mapped: each slot holds one immutable entry, replaced whole with a volatile write, so readers on any
/// thread see either the old or the new entry and never take a lock; two threads filling one slot simply race, the
/// last write wins. Only successful reads of small subjects are kept (see <see cref="MaxSubjectLength"/> and
/// <see cref="MaxContentBytes"/>), so the memory held is bounded by the slot count whatever the input. Sharing the
/// content is safe because <see cref="ArvoOrchestrationSubjectContent"/> and its parts are immutable.
/// </remarks>
internal sealed class SubjectCache
{
    /// <summary>The longest subject kept, in characters; longer subjects are parsed every time.</summary>
    public const int MaxSubjectLength = 1024;

    /// <summary>The largest inflated content kept, in bytes; larger content is parsed every time.</summary>
    public const int MaxContentBytes = 4096;

    /// <summary>The slot count of <see cref="Shared"/>.</summary>
    public const int SharedCapacity = 512;

    private const int HashedTailLength = 16;

    private readonly Entry?[] _slots;
    private readonly int _mask;

    /// <summary>Creates a cache of <paramref name="capacity"/> slots (rounded up to a power of two).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not between 1 and 65 536.</exception>
    public SubjectCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 16);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new Entry?[size];
        _mask = size - 1;
    }

    /// <summary>The cache every subject read goes through.</summary>
    public static SubjectCache Shared { get; } = new(SharedCapacity);

    /// <summary>The number of slots: the most entries the cache ever holds.</summary>
    public int Capacity => _slots.Length;

    /// <summary>The number of filled slots (a snapshot; for tests).</summary>
    public int Count
    {
        get
        {
            var count = 0;
            for (var i = 0; i < _slots.Length; i++)
            {
                if (Volatile.Read(ref _slots[i]) is not null)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>The content cached for <paramref name="subject"/> read with options equal to <paramref name="options"/>.</summary>
    public bool TryGet(string subject, ArvoSubjectOptions options, [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content)
    {
        if (subject.Length <= MaxSubjectLength
            && Volatile.Read(ref _slots[Slot(subject)]) is { } entry
            && (ReferenceEquals(entry.Subject, subject) || string.Equals(entry.Subject, subject, StringComparison.Ordinal))
            && (ReferenceEquals(entry.Options, options) || entry.Options.Equals(options)))
        {
            content = entry.Content;
            return true;
        }

        content = null;
        return false;
    }

    /// <summary>Keeps <paramref name="content"/>, read from <paramref name="subject"/> with <paramref name="options"/>, when both are small enough.</summary>
    public void Add(string subject, ArvoSubjectOptions options, ArvoOrchestrationSubjectContent content, int contentBytes)
    {
        if (subject.Length <= MaxSubjectLength && contentBytes <= MaxContentBytes)
        {
            Volatile.Write(ref _slots[Slot(subject)], new Entry(subject, options, content));
        }
    }

    // The tail is enough to spread subjects: it encodes the zlib Adler-32 trailer of the content, which differs for
    // every execution id, and hashing 16 characters instead of the whole subject keeps a hit cheap. Colliding
    // subjects only evict each other; a hit always compares the whole string.
    private int Slot(string subject) =>
        string.GetHashCode(subject.AsSpan(Math.Max(0, subject.Length - HashedTailLength))) & _mask;

    private sealed record Entry(string Subject, ArvoSubjectOptions Options, ArvoOrchestrationSubjectContent Content);
}
