using Arvo.Contracts;
using Arvo.Events;
using Arvo.Handlers;

namespace Arvo.Hosting.Tests.TestSupport;

/// <summary>A handler whose executions follow a script: throw the next exception, or succeed with no events.</summary>
internal sealed class ScriptedHandler(string source, params Func<ArvoEvent, CancellationToken, ValueTask<ArvoExecutionResult>>[] script) : IArvoEventHandler
{
    private int _calls;

    public string Source { get; } = source;

    public ArvoContractSystemError SystemErrorSchema => throw new NotSupportedException();

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask<ArvoExecutionResult> ExecuteAsync(ArvoEvent arvoEvent, ArvoExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls) - 1;
        var step = script[Math.Min(call, script.Length - 1)];
        return step(arvoEvent, cancellationToken);
    }

    public static Func<ArvoEvent, CancellationToken, ValueTask<ArvoExecutionResult>> Throw(Exception error) => (_, _) => throw error;

    public static Func<ArvoEvent, CancellationToken, ValueTask<ArvoExecutionResult>> Succeed() => (_, _) => ValueTask.FromResult(ArvoExecutionResult.Empty);

    public static TransactionViolation LockDenied(ArvoEvent? evt = null) =>
        new(TransactionViolationCause.LockUnacquired, "Lock acquisition denied - Unable to obtain exclusive access to event processing", evt);
}

internal static class TestEvents
{
    public static ArvoEvent To(string to, string type = "com.test.command", object? data = null) => ArvoEvent.Create(new ArvoEventInit
    {
        Source = "com.test.sender",
        Type = type,
        Subject = "test-subject",
        To = to,
        Data = data ?? new Dictionary<string, object?> { ["value"] = 1 },
    });
}
