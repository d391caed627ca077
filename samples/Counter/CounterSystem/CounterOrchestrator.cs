namespace Arvo.Samples.Counter;

/// <summary>
/// Creates the <c>arvo.orc.counter</c> orchestrator over a machine memory. This is the only place that names
/// <c>ArvoOrchestrator</c>; everything else sees an <see cref="IArvoEventHandler"/>.
/// </summary>
public static class CounterOrchestrator
{
    /// <summary>Whether this build contains the orchestrator (false until <c>ArvoOrchestrator</c> is merged).</summary>
    public static bool IsAvailable => false;

    /// <summary>Creates the counter orchestrator.</summary>
    /// <param name="memory">Where workflow records live (e.g. a <see cref="SimpleMachineMemory{T}"/> of <see cref="MachineMemoryRecord"/>).</param>
    /// <param name="executionUnits">The cost written on its events (the vectors use 1).</param>
    /// <exception cref="NotSupportedException">This build does not contain <c>ArvoOrchestrator</c> yet.</exception>
    public static IArvoEventHandler Create(IMachineMemory<MachineMemoryRecord> memory, double executionUnits = 1)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _ = executionUnits;
        throw new NotSupportedException("ArvoOrchestrator is not part of this build yet (branch feat/orchestrator is not merged).");
    }
}
