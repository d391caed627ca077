using System.Diagnostics;
using Arvo.Handlers;
using Arvo.Subjects;
using Arvo.Telemetry;

namespace Arvo.Machines;

/// <summary>The default <see cref="IMachineRegistry"/> (reference <c>MachineRegistry</c>). Immutable and thread-safe.</summary>
public sealed class MachineRegistry : IMachineRegistry
{
    private readonly Dictionary<(string Source, string Version), ArvoMachine> _index = [];

    /// <summary>Creates the registry.</summary>
    /// <param name="machines">The machines, in order; duplicates of (source, version) resolve to the first.</param>
    /// <exception cref="InvalidOperationException">
    /// No machine is given: <c>Machine registry initialization failed: No machines provided. At least one machine must be registered.</c>
    /// </exception>
    public MachineRegistry(params IEnumerable<ArvoMachine> machines)
    {
        ArgumentNullException.ThrowIfNull(machines);
        ArvoMachine[] list = [.. machines];
        if (list.Length == 0)
        {
            throw new InvalidOperationException(
                "Machine registry initialization failed: No machines provided. At least one machine must be registered.");
        }

        foreach (var machine in list)
        {
            ArgumentNullException.ThrowIfNull(machine, nameof(machines));
            _index.TryAdd((machine.Source, machine.Version), machine);
        }

        Machines = list;
    }

    /// <inheritdoc />
    public IReadOnlyList<ArvoMachine> Machines { get; }

    /// <inheritdoc />
    public ArvoMachine? Resolve(ArvoEvent arvoEvent, ArvoOrchestrationSubjectContent subject, ArvoExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        ArgumentNullException.ThrowIfNull(subject);
        using var activity = StartSpan(arvoEvent, options ?? ArvoExecutionOptions.Default);
        var orchestrator = subject.Orchestrator;
        var found = _index.TryGetValue((orchestrator.Name, orchestrator.Version), out var machine) ? machine : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("arvo.parsed.subject.orchestrator.name", orchestrator.Name);
            activity.SetTag("arvo.parsed.subject.orchestrator.version", orchestrator.Version);
            Log(
                activity,
                found is null ? "WARNING" : "INFO",
                found is null
                    ? $"No machine found for {orchestrator.Name}@{orchestrator.Version}"
                    : $"Resolved machine for type {orchestrator.Name}@{orchestrator.Version}");
        }

        return found;
    }

    private static Activity? StartSpan(ArvoEvent arvoEvent, ArvoExecutionOptions options) =>
        ExecutionTelemetry.StartInternalSpan("Resolve Machine", arvoEvent, options);

    private static void Log(Activity activity, string level, string message) => ExecutionTelemetry.Log(activity, level, message);
}
