using System.Text.Json;

namespace Arvo.Machines;

/// <summary>The outcome of one machine run before the engine wraps it.</summary>
internal readonly record struct MachineRunResult(ArvoMachineSnapshot Snapshot, IReadOnlyList<ArvoMachineEmit> Events, JsonElement? FinalOutput);
