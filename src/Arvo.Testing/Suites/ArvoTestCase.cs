namespace Arvo.Testing;

/// <summary>A named sequence of steps run against an <see cref="ArvoTestSuite"/>'s handler.</summary>
public sealed class ArvoTestCase
{
    /// <summary>The case name, unique within its suite (the xunit theory row).</summary>
    public required string Name { get; init; }

    /// <summary>The steps, run in order (at least one); the first failing step stops the case.</summary>
    public required IReadOnlyList<ArvoTestStep> Steps { get; init; }

    /// <summary>Optional repetition; null runs the case once.</summary>
    public ArvoTestRepeat? Repeat { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
