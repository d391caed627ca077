namespace Arvo.Machines;

/// <summary>The status stored in an <see cref="ArvoMachineSnapshot"/> (orchestrator.md 3).</summary>
/// <remarks>
/// The engine only ever returns <see cref="Active"/> or <see cref="Done"/>: an error aborts the execution (the
/// caller persists a failure record instead of a snapshot). <see cref="Error"/> and <see cref="Stopped"/> exist so
/// that snapshots written by other engines can be read; a machine in any status other than <see cref="Active"/>
/// ignores every event.
/// </remarks>
public enum ArvoMachineStatus
{
    /// <summary>The machine waits for events (<c>active</c>).</summary>
    Active,

    /// <summary>The machine reached a top-level final state (<c>done</c>); its output is set.</summary>
    Done,

    /// <summary>The machine failed (<c>error</c>); never produced by this engine.</summary>
    Error,

    /// <summary>The machine was stopped (<c>stopped</c>); never produced by this engine.</summary>
    Stopped,
}
