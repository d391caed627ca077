using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Machines;

namespace Arvo.Tests.TestSupport;

/// <summary>TestMachine variants of orchestrator.md section 14 and scenarios O-12, O-15, O-16, O-17 (context = init data + errors).</summary>
internal static class OrchestrationTestMachines
{
    public const string Initiator = MachineEvents.Initiator;

    /// <summary>
    /// The machine of orchestrator.md section 14: services increment v0.0.1 and notification; on the increment success
    /// <c>delta = newValue</c>; <c>notification</c> enqueues <c>notif {delta, type}</c> then emits it with domain <c>audit</c>.
    /// </summary>
    public static ArvoMachine<CounterContext> WorkedExample() =>
        Variant(
            increment: a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }),
            notification: a => a
                .EnqueueArvoEvent("notif.number.update", ctx => new { delta = ctx.Delta, type = ctx.Type })
                .Emit(ctx => ArvoMachineEmit.Create("notif.number.update", new { delta = ctx.Delta, type = ctx.Type }) with { Domain = ["audit"] }),
            output: ctx => new { final = ctx.Delta });

    /// <summary>
    /// O-12: <c>increment</c> emits with id <c>{DEVELOPER_MANAGED, custom-increment-id}</c> and domains <c>[null, external]</c>;
    /// <c>notification</c> = <c>[enqueue notif, emit notif with domain external]</c>; output with <c>__id</c> (ARVO_MANAGED
    /// <c>custom-orch-1</c>) and <c>__executionunits</c> 23.
    /// </summary>
    public static ArvoMachine<CounterContext> EmissionDetails() =>
        Variant(
            increment: a => a.Emit(ctx => ArvoMachineEmit.Create("com.number.increment", new { delta = ctx.Delta }) with
            {
                Id = ArvoEventId.DeveloperManaged("custom-increment-id"),
                Domain = [null, "external"],
            }),
            notification: a => a
                .EnqueueArvoEvent("notif.number.update", ctx => new { delta = ctx.Delta, type = ctx.Type })
                .Emit(ctx => ArvoMachineEmit.Create("notif.number.update", new { delta = ctx.Delta, type = ctx.Type }) with { Domain = ["external"] }),
            output: ctx => new JsonObject
            {
                ["final"] = ctx.Delta,
                ["__id"] = new JsonObject { ["deduplication"] = "ARVO_MANAGED", ["value"] = "custom-orch-1" },
                ["__executionunits"] = 23,
            },
            assignNewValue: false);

    /// <summary>A TestMachine variant whose notification entry and output are given (no delta update on success unless <paramref name="assignNewValue"/>).</summary>
    public static ArvoMachine<CounterContext> Variant(
        Action<ArvoActionBuilder<CounterContext>> increment,
        Action<ArvoActionBuilder<CounterContext>>? notification = null,
        Func<CounterContext, object?>? output = null,
        bool assignNewValue = true,
        VersionedArvoContract? self = null) =>
        ArvoMachine.Setup<CounterContext>(self ?? CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("notification", CounterContracts.Notification.Version("0.0.1"))
            .CreateMachine("counter", m =>
            {
                m.Context(input => input.GetData<CounterContext>()! with { Errors = [] })
                    .Initial("route")
                    .State("route", s => s
                        .Always("increment", t => t.Guard(ctx => ctx.Type == "increment"))
                        .Always("error"))
                    .State("increment", s => s
                        .Entry(increment)
                        .On("evt.number.increment.success", "notification", t =>
                        {
                            if (assignNewValue)
                            {
                                t.Assign((ctx, evt) => ctx with { Delta = evt.Data.GetProperty("newValue").GetDouble() });
                            }
                        })
                        .On("sys.com.number.increment.error", "error"))
                    .State("notification", s => s
                        .Entry(notification ?? (_ => { }))
                        .Always("done"))
                    .Final("done")
                    .Final("error");
                if (output is not null)
                {
                    m.Output(output);
                }
            });

    /// <summary>An init of <c>arvo.orc.test</c> v0.0.1 from <see cref="Initiator"/> built by the orchestrator factory.</summary>
    public static ArvoEvent Init(double delta = 1, string type = "increment", string? redirectTo = null, string? domain = null, string? parentSubject = null) =>
        new ArvoOrchestratorEventFactory(CounterContracts.Machine.Version("0.0.1"))
            .Init(
                new ArvoEventEnvelope { Source = Initiator, RedirectTo = redirectTo, Domain = domain },
                new JsonObject { ["parentSubject$$"] = parentSubject, ["delta"] = delta, ["type"] = type });

    /// <summary>The increment service's answer to <paramref name="command"/>: to its <c>redirectto</c>, parentid = its id.</summary>
    public static ArvoEvent IncrementSuccess(ArvoEvent command, double newValue, string? id = null, double? executionUnits = null) =>
        new ArvoEventFactory(CounterContracts.Increment.Version("0.0.1")).Emits(
            new ArvoEventEnvelope
            {
                Source = "com.number.increment",
                Subject = command.Subject,
                Id = id is null ? null : ArvoEventId.DeveloperManaged(id),
                To = command.RedirectTo ?? command.Source,
                ParentId = command.Id,
                ExecutionUnits = executionUnits,
                Domain = null,
            },
            "evt.number.increment.success",
            new { newValue });
}
