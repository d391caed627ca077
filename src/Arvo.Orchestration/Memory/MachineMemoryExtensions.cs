namespace Arvo.Memory;

/// <summary>Conveniences over <see cref="IMachineMemory{T}"/>.</summary>
public static class MachineMemoryExtensions
{
    /// <summary>Reads only the record of <paramref name="id"/> (no version, no inbox), e.g. to inspect a workflow's state.</summary>
    /// <typeparam name="T">The stored record.</typeparam>
    /// <param name="memory">The memory.</param>
    /// <param name="id">The workflow id (the orchestration subject).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null when the workflow does not exist.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="memory"/> is null.</exception>
    public static async ValueTask<T?> ReadRecordAsync<T>(this IMachineMemory<T> memory, string id, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(memory);
        var entry = await memory.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        return entry?.Record;
    }
}
