using Arvo.Contracts;
using Arvo.Handlers;
using Arvo.Samples.Counter;

namespace Arvo.AspNetCore.Tests.TestSupport;

/// <summary>A handler for <paramref name="source"/> whose every execution throws what <paramref name="error"/> makes.</summary>
public sealed class ThrowingHandler(string source, Func<Exception> error) : IArvoEventHandler
{
    public string Source => source;

    public ArvoContractSystemError SystemErrorSchema => CounterContracts.Increment.SystemError;

    public ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<ArvoExecutionResult>(error());

    /// <summary>An event addressed to <paramref name="source"/>.</summary>
    public static ArvoEvent EventTo(string source) =>
        ArvoEvent.Create(new Arvo.Events.ArvoEventInit { Source = Counter.Initiator, Type = source, Subject = "order-42", Data = new { } });
}
