namespace Arvo.Tests.TestSupport;

/// <summary>The counter machine's context: the init data plus the collected errors.</summary>
public sealed record CounterContext
{
    public double Delta { get; init; }

    public string Type { get; init; } = string.Empty;

    public IReadOnlyList<CounterError> Errors { get; init; } = [];
}

/// <summary>An Arvo error payload (<c>errorName</c>, <c>errorMessage</c>, <c>errorStack</c>).</summary>
public sealed record CounterError(string ErrorName, string ErrorMessage, string? ErrorStack);
