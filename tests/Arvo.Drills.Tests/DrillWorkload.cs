using Arvo.Memory;
using Arvo.Samples.Counter;

namespace Arvo.Drills.Tests;

/// <summary>
/// N counter workflows for a drill: their init events (written to a JSONL file the worker reads) and, per workflow, the
/// ids of every event the orchestrator must emit — computed by running the same inits in memory. Ids are derived
/// from the consumed event's id, so a correct durable run emits exactly these ids, each once.
/// </summary>
public sealed class DrillWorkload
{
    private DrillWorkload(IReadOnlyList<ArvoEvent> inits, IReadOnlyDictionary<string, string[]> expected)
    {
        Inits = inits;
        ExpectedOutbox = expected;
    }

    public IReadOnlyList<ArvoEvent> Inits { get; }

    /// <summary>Per workflow subject: the ids of the orchestrator's emitted events, in emission order.</summary>
    public IReadOnlyDictionary<string, string[]> ExpectedOutbox { get; }

    public static async Task<DrillWorkload> CreateAsync(int workflows)
    {
        var inits = Enumerable.Range(0, workflows)
            .Select(i => CounterWorkflows.CreateInit(i % 2 == 0 ? "increment" : "decrement", i + 1))
            .ToList();
        var router = new CounterRouter([CounterOrchestrator.Create(new SimpleMachineMemory<MachineMemoryRecord>()), .. CounterHandlers.CreateAll()]);
        var expected = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var init in inits)
        {
            var emitted = new List<string>();
            await router.RunAsync(init, e =>
            {
                if (e.Source == CounterContracts.OrchestratorType)
                {
                    emitted.Add(e.Id);
                }
            });
            expected[init.Subject] = [.. emitted];
        }

        return new DrillWorkload(inits, expected);
    }

    public string WriteInits(string directory)
    {
        var path = Path.Combine(directory, "inits.jsonl");
        File.WriteAllLines(path, Inits.Select(e => e.ToJson()));
        return path;
    }
}

/// <summary>One outbox row as the store keeps it.</summary>
public sealed record OutboxRow(string WorkflowId, string EventId, string Type, string Status);
