using Arvo.Machines;
using TraceContext = Arvo.Tests.Machines.MachineSemanticsTests.TraceContext;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// The statechart tests' harness: machines over a context that logs every traced action, run one execution at a time,
/// each resumed from the stored JSON of the previous snapshot (as an orchestrator does).
/// </summary>
internal static class TraceMachines
{
    public static readonly ArvoEvent InitEvent = MachineEvents.Init(delta: 2);

    public static ArvoMachine<TraceContext> Build(string id, Action<ArvoMachineBuilder<TraceContext>> configure) =>
        ArvoMachine.Setup<TraceContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .CreateMachine(id, m =>
            {
                m.Context(input => new TraceContext { Delta = input.Data.GetProperty("delta").GetDouble() });
                configure(m);
            });

    public static ArvoMachineExecutionResult Start(ArvoMachine machine) => MachineExecutionEngine.Instance.Execute(machine, null, InitEvent);

    public static ArvoMachineExecutionResult Send(ArvoMachine machine, ArvoMachineSnapshot snapshot, string type) =>
        MachineExecutionEngine.Instance.Execute(machine, ArvoMachineSnapshot.Parse(snapshot.ToJson()), MachineEvents.Of(type, InitEvent.Subject, new { newValue = 1 }));

    /// <summary>Starts the machine, then sends the events one execution at a time.</summary>
    public static ArvoMachineExecutionResult Run(ArvoMachine machine, params string[] types)
    {
        var result = Start(machine);
        foreach (var type in types)
        {
            result = Send(machine, result.Snapshot, type);
        }

        return result;
    }

    public static IEnumerable<string> Log(ArvoMachineSnapshot snapshot) =>
        snapshot.Context.GetProperty("log").EnumerateArray().Select(e => e.GetString()!);

    public static IEnumerable<string> Log(ArvoMachineExecutionResult result) => Log(result.Snapshot);

    public static string Value(ArvoMachineSnapshot snapshot) => snapshot.ValueToJson().ToJsonString();

    public static string Value(ArvoMachineExecutionResult result) => Value(result.Snapshot);

    public static Action<ArvoActionBuilder<TraceContext>> Trace(string entry) => a => a.Assign(ctx => ctx.Add(entry));
}
