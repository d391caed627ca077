namespace Arvo.Samples.Counter;

/// <summary>An Arvo error payload (<c>errorName</c>, <c>errorMessage</c>, <c>errorStack</c>).</summary>
/// <param name="ErrorName">The error's name, e.g. <c>OverflowException</c>.</param>
/// <param name="ErrorMessage">What went wrong.</param>
/// <param name="ErrorStack">The stack trace, or null.</param>
public sealed record CounterError(string ErrorName, string ErrorMessage, string? ErrorStack);
