using Arvo.Memory;

namespace Arvo.Tests.Memory;

/// <summary><see cref="SimpleMachineMemory{T}"/> against the shared memory specification (M-1 … M-5 and more).</summary>
public sealed class SimpleMachineMemoryConformanceTests : MachineMemorySpecification<SimpleMachineMemory<MachineMemoryRecord>>
{
    protected override ValueTask<SimpleMachineMemory<MachineMemoryRecord>> CreateMemoryAsync(TimeProvider timeProvider, TimeSpan lockTimeToLive) =>
        ValueTask.FromResult(new SimpleMachineMemory<MachineMemoryRecord>(new SimpleMachineMemoryOptions
        {
            TimeProvider = timeProvider,
            LockTimeToLive = lockTimeToLive,
        }));

    protected override ValueTask ClearAsync(SimpleMachineMemory<MachineMemoryRecord> memory)
    {
        memory.Clear();
        return ValueTask.CompletedTask;
    }
}
