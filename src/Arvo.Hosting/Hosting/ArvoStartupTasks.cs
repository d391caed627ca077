namespace Arvo.Hosting;

/// <summary>The start-up tasks registered with <see cref="ArvoBuilder.AddStartupTask"/>, run in order by the worker.</summary>
internal sealed class ArvoStartupTasks
{
    public List<Func<IServiceProvider, CancellationToken, ValueTask>> Tasks { get; } = [];
}
