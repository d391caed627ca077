namespace Arvo.Memory.Sqlite;

/// <summary>
/// How hard SQLite pushes each commit to disk (<c>PRAGMA synchronous</c>), for <see cref="SqliteMachineMemoryOptions.Synchronous"/>.
/// The store always runs in WAL mode, where both modes keep the database consistent; they differ in what a power loss may undo.
/// </summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// <c>FULL</c>: every commit syncs the write-ahead log before it returns, so a committed write survives a power loss
    /// or an operating-system crash. The safe default for a store whose outbox promises delivery.
    /// </summary>
    Full = 0,

    /// <summary>
    /// <c>NORMAL</c>: the log is synced only at checkpoints. Commits are faster and survive a crash of the process, but
    /// the last commits before a power loss or an operating-system crash may be rolled back (never half-applied).
    /// </summary>
    Normal = 1,
}
