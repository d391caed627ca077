using System.Globalization;
using Arvo.Events;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// A deterministic <see cref="IArvoIdGenerator"/>: the given ids in order, or, when none are given,
/// UUID-shaped ids 00000000-0000-4000-8000-000000000001, …002, ….
/// </summary>
public sealed class SequenceIdGenerator(params string[] ids) : IArvoIdGenerator
{
    private int _next;

    /// <inheritdoc />
    public string NewId()
    {
        var index = Interlocked.Increment(ref _next);
        return ids.Length > 0
            ? ids[index - 1]
            : "00000000-0000-4000-8000-" + index.ToString("D12", CultureInfo.InvariantCulture);
    }
}
