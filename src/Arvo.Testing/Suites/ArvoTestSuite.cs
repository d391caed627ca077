using System.Diagnostics;
using System.Globalization;
using System.Text;
using Arvo.Handlers;
using Arvo.Internal;
using Arvo.Telemetry;

namespace Arvo.Testing;

/// <summary>
/// A data-driven test suite for one handler (the reference's <c>runArvoTestSuites</c>): named cases of steps, each
/// step an input event and an expectation. Framework-agnostic; with xunit, expose <see cref="CaseNames"/> as
/// <c>MemberData</c> and call <see cref="AssertCaseAsync"/> from one <c>[Theory]</c>.
/// </summary>
/// <remarks>
/// <para>Step messages (n is 1-based): <c>Step n: Expected error but function succeeded</c>,
/// <c>Step n: Error didn't match custom validator: &lt;message&gt;</c>, <c>Step n: Unexpected exception: &lt;message&gt;</c>,
/// <c>Step n: Custom validator returned false</c> and <c>Step n: Custom validator threw error: &lt;message&gt;</c> (both
/// followed by a line <c>Actual events: [&lt;json&gt;, …]</c>), <c>Step n: Input threw error: &lt;message&gt;</c>.
/// A repeated case below its threshold fails with <c>Success rate x.xx% is below threshold t%</c> followed by up to
/// ten lines <c>Iteration i: &lt;message&gt;</c>.</para>
/// <para>Tracing: one span <c>Case&lt;name&gt;[&lt;iteration&gt;]</c> per run (iteration 0 for a single run, 1…times
/// when repeated) with one child span <c>Step&lt;n&gt;</c> per step, on <see cref="ArvoTelemetry.ActivitySourceName"/>.</para>
/// <para>Thread safety: immutable after construction; runs may overlap (repetitions run concurrently on the thread pool),
/// so the handler must tolerate concurrent executions.</para>
/// </remarks>
public sealed class ArvoTestSuite
{
    private const int MaxSampleFailures = 10;

    private readonly Func<ArvoEvent, CancellationToken, ValueTask<ArvoExecutionResult>> _execute;
    private readonly Dictionary<string, ArvoTestCase> _byName = new(StringComparer.Ordinal);

    /// <summary>A suite that executes <paramref name="handler"/>; named <paramref name="name"/> or <c>Test&lt;source&gt;</c>.</summary>
    /// <param name="handler">The handler under test.</param>
    /// <param name="cases">The cases.</param>
    /// <param name="name">Optional suite name.</param>
    /// <exception cref="ArgumentException">A case has no steps, a step has both expectations, names repeat, or a repeat is out of range.</exception>
    public ArvoTestSuite(IArvoEventHandler handler, IEnumerable<ArvoTestCase> cases, string? name = null)
        : this(
            (handler ?? throw new ArgumentNullException(nameof(handler))).ExecuteAsync,
            cases,
            name ?? "Test" + handler.Source)
    {
    }

    /// <summary>A suite that executes a function; named <paramref name="name"/>, else <c>Test&lt;method name&gt;</c> (<c>Testunknown</c> for lambdas).</summary>
    /// <param name="execute">The function under test.</param>
    /// <param name="cases">The cases.</param>
    /// <param name="name">Optional suite name.</param>
    /// <exception cref="ArgumentException">A case has no steps, a step has both expectations, names repeat, or a repeat is out of range.</exception>
    public ArvoTestSuite(Func<ArvoEvent, CancellationToken, ValueTask<ArvoExecutionResult>> execute, IEnumerable<ArvoTestCase> cases, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(execute);
        ArgumentNullException.ThrowIfNull(cases);
        _execute = execute;
        Name = name ?? "Test" + (execute.Method.Name.Contains('<', StringComparison.Ordinal) ? "unknown" : execute.Method.Name);
        Cases = [.. cases];
        foreach (var testCase in Cases)
        {
            Validate(testCase);
            if (!_byName.TryAdd(testCase.Name, testCase))
            {
                throw new ArgumentException($"Duplicate test case name '{testCase.Name}' in suite '{Name}'", nameof(cases));
            }
        }
    }

    private ArvoTestSuite(
        Func<ArvoEvent, ArvoExecutionOptions?, CancellationToken, ValueTask<ArvoExecutionResult>> execute,
        IEnumerable<ArvoTestCase> cases,
        string name)
        : this((e, ct) => execute(e, null, ct), cases, name)
    {
    }

    /// <summary>The suite name (the reference's <c>describe</c> name).</summary>
    public string Name { get; }

    /// <summary>The cases, in declaration order.</summary>
    public IReadOnlyList<ArvoTestCase> Cases { get; }

    /// <summary>
    /// One row <c>[caseName]</c> per case: the shape xunit's <c>MemberData</c> expects, so one
    /// <c>[Theory]</c> taking a <see cref="string"/> runs the whole suite.
    /// </summary>
    public IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.Name });

    /// <summary>Runs one case (all its repetitions) and reports the outcome without throwing.</summary>
    /// <param name="caseName">The case name.</param>
    /// <param name="cancellationToken">Passed to the executions; cancellation propagates as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="KeyNotFoundException">No case has that name.</exception>
    public async ValueTask<ArvoTestResult> RunAsync(string caseName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caseName);
        if (!_byName.TryGetValue(caseName, out var testCase))
        {
            throw new KeyNotFoundException($"Suite '{Name}' has no test case named '{caseName}'");
        }

        if (testCase.Repeat is not { } repeat)
        {
            return await RunOnceAsync(testCase, 0, null, cancellationToken).ConfigureAwait(false);
        }

        var runs = new Task<ArvoTestResult>[repeat.Times];
        for (var i = 0; i < repeat.Times; i++)
        {
            var iteration = i + 1;
            runs[i] = Task.Run(() => RunOnceAsync(testCase, iteration, iteration, cancellationToken).AsTask(), cancellationToken);
        }

        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        var successes = results.Count(r => r.Success);
        var rate = successes * 100.0 / repeat.Times;
        if (rate >= repeat.SuccessThreshold)
        {
            return ArvoTestResult.Passed;
        }

        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Success rate {rate:F2}% is below threshold {repeat.SuccessThreshold}%");
        foreach (var failure in results.Where(r => !r.Success).Take(MaxSampleFailures))
        {
            message.Append(CultureInfo.InvariantCulture, $"\nIteration {failure.Iteration}: {failure.Error}");
        }

        return new ArvoTestResult(false, message.ToString());
    }

    /// <summary>Runs one case and throws when it fails: the one-line body of an xunit theory.</summary>
    /// <param name="caseName">The case name.</param>
    /// <param name="cancellationToken">As for <see cref="RunAsync"/>.</param>
    /// <returns>A task that completes when the case passed.</returns>
    /// <exception cref="ArvoTestFailedException">The case failed; the message carries the runner's text.</exception>
    /// <exception cref="KeyNotFoundException">No case has that name.</exception>
    public async Task AssertCaseAsync(string caseName, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(caseName, cancellationToken).ConfigureAwait(false);
        if (!result.Success)
        {
            throw new ArvoTestFailedException(Name, caseName, result);
        }
    }

    private static void Validate(ArvoTestCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        if (testCase.Steps is not { Count: > 0 })
        {
            throw new ArgumentException($"Test case '{testCase.Name}' must have at least one step", nameof(testCase));
        }

        for (var i = 0; i < testCase.Steps.Count; i++)
        {
            if (testCase.Steps[i] is { ExpectedEvents: not null, ExpectedError: not null })
            {
                throw new ArgumentException(
                    $"Test case '{testCase.Name}' step {i + 1} sets both ExpectedEvents and ExpectedError; set at most one",
                    nameof(testCase));
            }
        }

        if (testCase.Repeat is { } repeat && (repeat.Times < 1 || repeat.SuccessThreshold is < 0 or > 100 || double.IsNaN(repeat.SuccessThreshold)))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Test case '{testCase.Name}' repeat must have Times >= 1 and SuccessThreshold in 0..100; actual Times={repeat.Times}, SuccessThreshold={repeat.SuccessThreshold}"),
                nameof(testCase));
        }
    }

    private static string WithActualEvents(string message, IReadOnlyList<ArvoEvent> events) =>
        message + "\nActual events: [" + string.Join(", ", events.Select(e => e.ToJson())) + "]";

    private static bool IsFailure(Exception error, CancellationToken cancellationToken) =>
        !(error is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private async ValueTask<ArvoTestResult> RunOnceAsync(ArvoTestCase testCase, int spanIteration, int? iteration, CancellationToken cancellationToken)
    {
        using var activity = ArvoActivities.StartInternal(string.Create(CultureInfo.InvariantCulture, $"Case{testCase.Name}[{spanIteration}]"));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("test.function.name", Name);
            activity.SetTag("test.iteration", spanIteration);
            activity.SetTag("test.total.steps", testCase.Steps.Count);
        }

        var result = await RunStepsAsync(testCase, iteration, activity, cancellationToken).ConfigureAwait(false);
        if (!result.Success && activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.Error);
            if (activity.IsAllDataRequested)
            {
                activity.SetTag("test.error", result.Error);
            }
        }

        return result;
    }

    private async ValueTask<ArvoTestResult> RunStepsAsync(ArvoTestCase testCase, int? iteration, Activity? caseActivity, CancellationToken cancellationToken)
    {
        IReadOnlyList<ArvoEvent>? previous = null;
        for (var index = 0; index < testCase.Steps.Count; index++)
        {
            var n = index + 1;
            var step = testCase.Steps[index];
            ArvoTestResult Fail(string message) => new(false, $"Step {n}: {message}", iteration, n);

            using var stepActivity = ArvoActivities.StartInternal(string.Create(CultureInfo.InvariantCulture, $"Step{n}"));
            if (stepActivity is { IsAllDataRequested: true })
            {
                stepActivity.SetTag("test.step", n);
                stepActivity.SetTag("test.previous.events.count", previous?.Count ?? 0);
            }

            ArvoEvent input;
            try
            {
                input = await step.Input(previous).ConfigureAwait(false);
            }
            catch (Exception error) when (IsFailure(error, cancellationToken))
            {
                return Fail($"Input threw error: {error.Message}");
            }

            stepActivity?.SetTag("test.input.type", input.Type);

            if (step.ExpectedError is { } expectedError)
            {
                try
                {
                    await _execute(input, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (IsFailure(error, cancellationToken))
                {
                    bool matched;
                    try
                    {
                        matched = expectedError(error);
                    }
                    catch (Exception validatorError)
                    {
                        return Fail($"Error validator threw error: {validatorError.Message}");
                    }

                    if (!matched)
                    {
                        return Fail($"Error didn't match custom validator: {error.Message}");
                    }

                    previous = [];
                    caseActivity?.SetTag("test.steps.completed", n);
                    continue;
                }

                return Fail("Expected error but function succeeded");
            }

            ArvoExecutionResult result;
            try
            {
                result = await _execute(input, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (IsFailure(error, cancellationToken))
            {
                return Fail($"Unexpected exception: {error.Message}");
            }

            if (step.ExpectedEvents is { } expectedEvents)
            {
                bool valid;
                try
                {
                    valid = expectedEvents(result.All);
                }
                catch (Exception validatorError)
                {
                    return Fail(WithActualEvents($"Custom validator threw error: {validatorError.Message}", result.All));
                }

                if (!valid)
                {
                    return Fail(WithActualEvents("Custom validator returned false", result.All));
                }
            }

            previous = result.All;
            caseActivity?.SetTag("test.steps.completed", n);
        }

        return ArvoTestResult.Passed;
    }
}
