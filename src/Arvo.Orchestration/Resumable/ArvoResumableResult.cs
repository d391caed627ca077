using Arvo.Machines;

namespace Arvo.Resumable;

/// <summary>What an <see cref="ArvoResumableHandler{TContext}"/> returns (resumable.md 3).</summary>
/// <typeparam name="TContext">The handler-owned context.</typeparam>
/// <example>
/// <code>
/// return new ArvoResumableResult&lt;SumContext&gt;
/// {
///     Context = new SumContext(keys.Length),
///     Services = [.. keys.Select(k => ArvoMachineEmit.Create("com.value.read", new { key = k }))],
/// };
/// </code>
/// </example>
public sealed record ArvoResumableResult<TContext>
    where TContext : class
{
    /// <summary>The new context (<c>state$$</c>); null keeps the stored one.</summary>
    public TContext? Context { get; init; }

    /// <summary>
    /// The raw events to emit, in order (same shape as a machine's raw events, orchestrator.md 2.4). Events naming a
    /// service contract are validated against it; those without <see cref="ArvoMachineEmit.Domain"/> get the default
    /// service domains.
    /// </summary>
    public IReadOnlyList<ArvoMachineEmit>? Services { get; init; }

    /// <summary>
    /// The completion payload: <b>any</b> non-null value (even an empty object) completes the workflow. As for a machine
    /// output, the reserved keys <c>__id</c>, <c>__executionunits</c> and <c>__domain</c> set the completion event's id,
    /// execution units and domains and are removed from its data.
    /// </summary>
    public object? Output { get; init; }
}
