using System.Globalization;

namespace Arvo.Tests.TestSupport;

/// <summary>A deterministic <see cref="IArvoIdGenerator"/>: UUID-shaped ids 00000000-0000-4000-8000-000000000001, …002, ….</summary>
public sealed class SequenceIdGenerator : IArvoIdGenerator
{
    private int _next;

    /// <inheritdoc />
    public string NewId() =>
        "00000000-0000-4000-8000-" + Interlocked.Increment(ref _next).ToString("D12", CultureInfo.InvariantCulture);
}
