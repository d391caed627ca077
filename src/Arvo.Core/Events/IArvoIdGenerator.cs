namespace Arvo.Events;

/// <summary>
/// Source of fresh identifiers (event ids, execution ids). Injected so that tests and replays are
/// deterministic; pure code never calls <see cref="Guid.NewGuid"/> directly.
/// </summary>
public interface IArvoIdGenerator
{
    /// <summary>Returns a new unique identifier (by default a lower-case, hyphenated UUID v4).</summary>
    string NewId();
}

/// <summary>The default <see cref="IArvoIdGenerator"/>: random UUID v4, lower-case, hyphenated.</summary>
public sealed class GuidArvoIdGenerator : IArvoIdGenerator
{
    private GuidArvoIdGenerator()
    {
    }

    /// <summary>The shared, stateless instance.</summary>
    public static GuidArvoIdGenerator Instance { get; } = new();

    /// <inheritdoc />
    public string NewId() => Guid.NewGuid().ToString("D");
}
