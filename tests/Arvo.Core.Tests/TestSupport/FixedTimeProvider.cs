namespace Arvo.Tests.TestSupport;

/// <summary>A <see cref="TimeProvider"/> frozen at one instant, reporting an arbitrary local time zone.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now, TimeZoneInfo? localTimeZone = null) : TimeProvider
{
    /// <summary>A custom zone five hours ahead of UTC (the host of the reference's time bug).</summary>
    public static TimeZoneInfo UtcPlusFive { get; } = TimeZoneInfo.CreateCustomTimeZone("UTC+05", TimeSpan.FromHours(5), "UTC+05", "UTC+05");

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => localTimeZone ?? TimeZoneInfo.Utc;
}
