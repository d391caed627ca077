using System.Text.Json;
using Arvo.Orchestration;

namespace Arvo.Memory;

/// <summary>Options of <see cref="SimpleMachineMemory{T}"/>. Immutable; checked by the memory's constructor.</summary>
public sealed record SimpleMachineMemoryOptions
{
    /// <summary>
    /// The default lock time-to-live: 5 seconds, so a crashed holder stalls its workflow for seconds, not half a minute.
    /// Orchestrators and resumables abandon a leased execution after 4 s (<see cref="ArvoOrchestratorBuilder.DefaultExecutionTimeout"/>),
    /// before its lease can expire; raise both together for longer executions.
    /// </summary>
    public static readonly TimeSpan DefaultLockTimeToLive = TimeSpan.FromSeconds(5);

    /// <summary>How long an acquired lock lives before anyone may take it over.</summary>
    /// <value>Default <see cref="DefaultLockTimeToLive"/> (5 s); must be positive.</value>
    public TimeSpan LockTimeToLive { get; init; } = DefaultLockTimeToLive;

    /// <summary>The clock used for lock expiry.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>; must not be null.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// How records are serialised for storage (records are stored as UTF-8 JSON, which gives copy-on-write and
    /// copy-on-read isolation).
    /// </summary>
    /// <value>Default null, meaning <see cref="JsonSerializerOptions.Default"/>.</value>
    public JsonSerializerOptions? SerializerOptions { get; init; }
}
