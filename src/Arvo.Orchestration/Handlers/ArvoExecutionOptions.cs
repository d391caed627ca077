namespace Arvo.Handlers;

/// <summary>Options of one <see cref="IArvoEventHandler.ExecuteAsync"/> call. Immutable.</summary>
public sealed record ArvoExecutionOptions
{
    /// <summary>Parent from the event (the reference default).</summary>
    public static ArvoExecutionOptions Default { get; } = new();

    /// <summary>Where the execution span's parent comes from.</summary>
    /// <value>Default <see cref="ArvoTraceParentSource.Event"/>.</value>
    public ArvoTraceParentSource InheritFrom { get; init; } = ArvoTraceParentSource.Event;
}
