namespace Arvo.Testing;

/// <summary>The outcome of running one <see cref="ArvoTestCase"/>.</summary>
/// <param name="Success">Whether the case passed.</param>
/// <param name="Error">The failure message (see <see cref="ArvoTestSuite"/> for the texts); null on success.</param>
/// <param name="Iteration">The 1-based iteration of a repeated run that failed; null otherwise.</param>
/// <param name="Step">The 1-based step that failed; null when the case passed or the repetition threshold failed.</param>
public sealed record ArvoTestResult(bool Success, string? Error = null, int? Iteration = null, int? Step = null)
{
    /// <summary>A passed case.</summary>
    public static ArvoTestResult Passed { get; } = new(true);
}
