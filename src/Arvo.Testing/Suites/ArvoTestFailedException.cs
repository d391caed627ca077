namespace Arvo.Testing;

/// <summary>Thrown by <see cref="ArvoTestSuite.AssertCaseAsync"/> when a case fails; any test framework reports it as a failure.</summary>
public sealed class ArvoTestFailedException : Exception
{
    /// <summary>Creates the exception; the message is <c>&lt;suite&gt; / &lt;case&gt;: &lt;error&gt;</c>.</summary>
    /// <param name="suiteName">The suite.</param>
    /// <param name="caseName">The failed case.</param>
    /// <param name="result">The failed result.</param>
    public ArvoTestFailedException(string suiteName, string caseName, ArvoTestResult result)
        : base($"{suiteName} / {caseName}: {result?.Error}")
    {
        ArgumentNullException.ThrowIfNull(result);
        SuiteName = suiteName;
        CaseName = caseName;
        Result = result;
    }

    /// <summary>The suite.</summary>
    public string SuiteName { get; }

    /// <summary>The failed case.</summary>
    public string CaseName { get; }

    /// <summary>The failed result (its <see cref="ArvoTestResult.Error"/> is the runner's message).</summary>
    public ArvoTestResult Result { get; }
}
