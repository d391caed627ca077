using Arvo.Handlers;

namespace Arvo.Testing;

/// <summary>
/// One step of an <see cref="ArvoTestCase"/>: build the input event, execute it, check the outcome with at most one
/// of <see cref="ExpectedEvents"/> or <see cref="ExpectedError"/> (with neither, the step only has to run without throwing).
/// </summary>
public sealed class ArvoTestStep
{
    /// <summary>
    /// Builds the step's input event from the previous step's emitted events (<see cref="ArvoExecutionResult.All"/>;
    /// null for step 1; empty after an <see cref="ExpectedError"/> step).
    /// </summary>
    public required Func<IReadOnlyList<ArvoEvent>?, ValueTask<ArvoEvent>> Input { get; init; }

    /// <summary>Checks the emitted events (<see cref="ArvoExecutionResult.All"/>); throwing (e.g. a failed assertion) fails the step too.</summary>
    public Func<IReadOnlyList<ArvoEvent>, bool>? ExpectedEvents { get; init; }

    /// <summary>Requires the execution to throw and checks the exception.</summary>
    public Func<Exception, bool>? ExpectedError { get; init; }

    /// <summary>A step whose input does not depend on earlier steps.</summary>
    /// <param name="input">The input event.</param>
    /// <param name="expectedEvents">Optional check of the emitted events.</param>
    /// <returns>The step.</returns>
    public static ArvoTestStep Send(ArvoEvent input, Func<IReadOnlyList<ArvoEvent>, bool>? expectedEvents = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ArvoTestStep { Input = _ => ValueTask.FromResult(input), ExpectedEvents = expectedEvents };
    }
}
