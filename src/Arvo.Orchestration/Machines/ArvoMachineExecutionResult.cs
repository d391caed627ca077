using System.Text.Json;

namespace Arvo.Machines;

/// <summary>The outcome of <see cref="IMachineExecutionEngine.Execute"/> (reference <c>{ state, events, finalOutput }</c>).</summary>
public sealed record ArvoMachineExecutionResult
{
    /// <summary>The new snapshot to persist (never contains the internal event queue).</summary>
    public required ArvoMachineSnapshot Snapshot { get; init; }

    /// <summary>
    /// The raw events: every <c>Emit</c> event in the order the actions ran, then every <c>EnqueueArvoEvent</c> event, as
    /// the actions returned them (data not yet serialized or validated: the orchestrator does that when it builds them).
    /// </summary>
    public required IReadOnlyList<ArvoMachineEmit> Events { get; init; }

    /// <summary>
    /// The completion payload on the execution in which the machine finished, else null. Port decision (scenario E-4):
    /// reported exactly once, also when the output is <c>{}</c> or the machine has no output function (payload <c>{}</c>);
    /// the reference never reports an empty output.
    /// </summary>
    public JsonElement? FinalOutput { get; init; }
}
