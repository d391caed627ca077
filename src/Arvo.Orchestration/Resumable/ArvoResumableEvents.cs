using System.Text.Json.Serialization;

namespace Arvo.Resumable;

/// <summary>The <c>events</c> block of an <see cref="ArvoResumableState"/> (resumable.md 2).</summary>
public sealed record ArvoResumableEvents
{
    /// <summary>The last consumed event.</summary>
    [JsonPropertyName("consumed")]
    public ArvoEvent? Consumed { get; init; }

    /// <summary>The events emitted by the last execution (replaced each time; empty when none).</summary>
    [JsonPropertyName("produced")]
    public IReadOnlyList<ArvoEvent> Produced { get; init; } = [];

    /// <summary>
    /// Emitted event id → the responses collected for it (matched by <c>parentid</c>), in emission order; null until the
    /// first emission.
    /// </summary>
    [JsonPropertyName("expected")]
    public IReadOnlyDictionary<string, IReadOnlyList<ArvoEvent>>? Expected { get; init; }
}
