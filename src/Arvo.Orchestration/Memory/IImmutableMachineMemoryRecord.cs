namespace Arvo.Memory;

/// <summary>
/// Marks a record type whose instances are deeply immutable once constructed (no settable state, no mutable members
/// reachable from it). Memories may then keep and hand out the written instance instead of a copy:
/// <see cref="SimpleMachineMemory{T}"/> does so when its <c>T</c> implements this interface.
/// </summary>
/// <remarks>Every <see cref="MachineMemoryRecord"/> implements it. Do not implement it on a type a caller can mutate
/// (e.g. one holding a <c>JsonObject</c> or a mutable list): the store would change with the caller's object.</remarks>
public interface IImmutableMachineMemoryRecord
{
}
