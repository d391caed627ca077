namespace Arvo.Samples.Counter;

/// <summary>
/// The counter machine's context: the init data (<c>delta</c>, <c>type</c>), the service's answer once it came
/// (<c>newValue</c>) and the collected error payloads. Stored in machine memory as JSON.
/// </summary>
public sealed record CounterContext
{
    /// <summary>The amount to add (increment) or subtract (decrement).</summary>
    public double Delta { get; init; }

    /// <summary><c>increment</c> or <c>decrement</c>.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>The service's <c>newValue</c>, or null until a success event arrived.</summary>
    public double? NewValue { get; init; }

    /// <summary>The error payloads of the <c>sys.*.error</c> events (and of an invalid type).</summary>
    public IReadOnlyList<CounterError> Errors { get; init; } = [];
}
