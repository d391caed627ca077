namespace Arvo.Testing;

/// <summary>Runs a case <see cref="Times"/> times concurrently and requires a minimum success rate.</summary>
/// <param name="Times">How many runs (at least 1).</param>
/// <param name="SuccessThreshold">The minimum success percentage, 0–100.</param>
public sealed record ArvoTestRepeat(int Times, double SuccessThreshold);
