namespace Arvo.Tests;

/// <summary>
/// Tests that install an <see cref="System.Diagnostics.ActivityListener"/> (or assert that no span exists)
/// run alone: listeners are process-wide and would observe, or create spans for, concurrently running tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryTestGroup
{
    /// <summary>The collection name.</summary>
    public const string Name = "Telemetry (not parallel)";
}
