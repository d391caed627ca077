using Arvo.Contracts;
using Arvo.Handlers;

namespace Arvo.Tests.TestSupport;

/// <summary>A test double: an <see cref="IArvoEventHandler"/> whose execution is a delegate.</summary>
internal sealed class DelegateEventHandler(
    string source,
    Func<ArvoEvent, ValueTask<IReadOnlyList<ArvoEvent>>> execute) : IArvoEventHandler
{
    public string Source { get; } = source;

    public ArvoContractSystemError SystemErrorSchema { get; } =
        new($"sys.{source}.error", ArvoSchema.SystemError, $"#/test/{source}/~0.0.0~");

    public List<ArvoExecutionOptions?> ReceivedOptions { get; } = [];

    public static DelegateEventHandler Sync(string source, Func<ArvoEvent, IReadOnlyList<ArvoEvent>> execute) =>
        new(source, e => ValueTask.FromResult(execute(e)));

    public async ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (ReceivedOptions)
        {
            ReceivedOptions.Add(options);
        }

        return ArvoExecutionResult.From(await execute(arvoEvent));
    }
}
