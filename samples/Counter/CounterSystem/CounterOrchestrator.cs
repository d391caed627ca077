using Arvo.Memory;

namespace Arvo.Samples.Counter;

/// <summary>Creates the <c>arvo.orc.counter</c> orchestrator over a machine memory.</summary>
public static class CounterOrchestrator
{
    private static readonly ArvoMachine<CounterContext> Machine = CounterMachine.Create();

    /// <summary>Creates the counter orchestrator (the machine is built once and shared; it is immutable).</summary>
    /// <param name="memory">Where workflow records live (e.g. a <see cref="SimpleMachineMemory{T}"/> of <see cref="MachineMemoryRecord"/>).</param>
    /// <param name="executionUnits">The cost written on its events (the vectors use 1).</param>
    public static ArvoOrchestrator Create(IMachineMemory<MachineMemoryRecord> memory, double executionUnits = 1)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(executionUnits).Machines(Machine).Build();
    }
}
