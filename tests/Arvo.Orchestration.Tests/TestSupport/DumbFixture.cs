using System.Text.Json.Nodes;
using Arvo.Factories;
using Arvo.Memory;

namespace Arvo.Tests.TestSupport;

/// <summary>The empty context of the dumb machine.</summary>
public sealed record DumbContext
{
    public int Steps { get; init; }
}

/// <summary>
/// The "dumb" orchestrator of scenarios O-9 and N-6: <c>arvo.orc.dumb</c> v1.0.0 (uri <c>#/dumb</c>) with one service
/// <c>com.dumb.service</c>; the entry action of its first state throws.
/// </summary>
internal static class DumbFixture
{
    public static readonly ArvoOrchestratorContract Contract = ArvoContract.CreateOrchestrator("#/dumb", "dumb", c => c
        .Version("1.0.0", v => v.Init("""{"type":"object","properties":{}}""").Complete("""{"type":"object","properties":{}}""")));

    public static readonly ArvoContract Service = ArvoContract.Create("#/dumb/service", "com.dumb.service", c => c
        .Version("1.0.0", v => v.Accepts("""{"type":"object","properties":{}}""").Emits("evt.dumb.service.success", """{"type":"object","properties":{}}""")));

    /// <summary>A machine whose first state's entry throws <paramref name="error"/> (or emits the service command when null).</summary>
    public static ArvoMachine<DumbContext> Machine(Func<Exception>? error) =>
        ArvoMachine.Setup<DumbContext>(Contract.Version("1.0.0"))
            .Service("dumbService", Service.Version("1.0.0"))
            .CreateMachine("dumb", m => m
                .Context(_ => new DumbContext())
                .Initial("start")
                .State("start", s => s
                    .Entry(a =>
                    {
                        if (error is null)
                        {
                            a.Emit("com.dumb.service", _ => new { });
                        }
                        else
                        {
                            a.Run((_, _) => throw error());
                        }
                    })
                    .On("evt.dumb.service.success", "done"))
                .Final("done"));

    public static ArvoOrchestrator Orchestrator(IMachineMemory<MachineMemoryRecord> memory, Func<Exception>? error) =>
        ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(Machine(error)).Build();

    /// <summary>An init from <paramref name="source"/>, optionally as a child of <paramref name="parentSubject"/>.</summary>
    public static ArvoEvent Init(string source = "com.test.test", string? parentSubject = null) =>
        new ArvoOrchestratorEventFactory(Contract.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = source },
            new JsonObject { ["parentSubject$$"] = parentSubject });

    /// <summary>The service's success on <paramref name="subject"/>.</summary>
    public static ArvoEvent ServiceSuccess(string subject) =>
        new ArvoEventFactory(Service.Version("1.0.0")).Emits(
            new ArvoEventEnvelope { Source = "com.dumb.service", Subject = subject, To = "arvo.orc.dumb" },
            "evt.dumb.service.success",
            new { });
}
