using System.Diagnostics;
using Arvo.Handlers;
using Arvo.Internal;
using Arvo.Telemetry;

namespace Arvo.Machines;

/// <summary>
/// The default <see cref="IMachineExecutionEngine"/> (reference <c>MachineExecutionEngine</c>): runs the machine in an
/// <c>Execute Machine</c> span. Stateless and thread-safe; use <see cref="Instance"/>.
/// </summary>
public sealed class MachineExecutionEngine : IMachineExecutionEngine
{
    /// <summary>The shared instance.</summary>
    public static MachineExecutionEngine Instance { get; } = new();

    /// <inheritdoc />
    public ArvoMachineExecutionResult Execute(ArvoMachine machine, ArvoMachineSnapshot? snapshot, ArvoEvent arvoEvent, ArvoExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(arvoEvent);
        using var activity = StartSpan(machine, arvoEvent, options ?? ArvoExecutionOptions.Default);
        try
        {
            if (snapshot is null && arvoEvent.Type != machine.Source)
            {
                throw new InvalidOperationException(
                    $"Invalid initialization event: Machine requires source event '{machine.Source}' to start, but received event '{arvoEvent.Type}' instead. This likely indicates a mismatch between the expected workflow trigger and the actual event sent.");
            }

            var (next, events, finalOutput) = machine.Run(snapshot, arvoEvent);
            return new ArvoMachineExecutionResult { Snapshot = next, Events = events, FinalOutput = finalOutput };
        }
        catch (Exception exception)
        {
            ArvoActivities.RecordFailure(activity, exception);
            throw;
        }
    }

    private static Activity? StartSpan(ArvoMachine machine, ArvoEvent arvoEvent, ArvoExecutionOptions options)
    {
        var activity = ExecutionTelemetry.StartInternalSpan("Execute Machine", arvoEvent, options);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("arvo.machine.type", machine.Source);
            activity.SetTag("arvo.machine.version", machine.Version);
        }

        return activity;
    }
}
