namespace Arvo.Memory;

/// <summary>The <c>events</c> of a <see cref="MachineMemoryStateRecord"/>: what the last execution consumed and produced.</summary>
public sealed record MachineMemoryEvents
{
    private readonly IReadOnlyList<ArvoEvent> _produced = [];

    /// <summary>No consumed event and no produced events.</summary>
    public static MachineMemoryEvents Empty { get; } = new();

    /// <summary>The event consumed in the last execution (<c>consumed</c>), or null.</summary>
    public ArvoEvent? Consumed { get; init; }

    /// <summary>The events emitted in the last execution (<c>produced</c>); replaced, not appended, at every step. Copied on assignment.</summary>
    public IReadOnlyList<ArvoEvent> Produced
    {
        get => _produced;
        init => _produced = value is null ? throw new ArgumentNullException(nameof(value)) : [.. value];
    }

    /// <inheritdoc />
    public bool Equals(MachineMemoryEvents? other) =>
        other is not null &&
        (ReferenceEquals(this, other) || (Equals(Consumed, other.Consumed) && Produced.SequenceEqual(other.Produced)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Consumed, Produced.Count);
}
