using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Arvo.Broker;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Memory;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// The "Reference orchestration fixture" of scenarios.md: the value.read/value.write/increment/decrement handlers over one
/// in-memory value store, and the <c>arvo.orc.inc</c>, <c>arvo.orc.dec</c> and <c>arvo.orc.number.modifier</c>
/// orchestrators over one <see cref="SimpleMachineMemory{T}"/>. One instance per test (no shared state).
/// </summary>
internal sealed class ReferenceFixture
{
    public const string Client = "com.test.test";

    public ReferenceFixture()
    {
        ValueRead = ArvoEventHandler.CreateBuilder(ReferenceContracts.ValueRead)
            .Version("0.0.1", ctx =>
            {
                var key = ctx.Data.GetProperty("key").GetString()!;
                return ValueStore.TryGetValue(key, out var value)
                    ? ArvoHandlerOutput.Emit("evt.value.read.success", new { key, value })
                    : throw new InvalidOperationException($"No value to find at key={key}");
            })
            .Build();
        ValueWrite = ArvoEventHandler.CreateBuilder(ReferenceContracts.ValueWrite)
            .Version("0.0.1", ctx =>
            {
                var key = ctx.Data.GetProperty("key").GetString()!;
                var value = ctx.Data.GetProperty("value").GetDouble();
                if (value == -200)
                {
                    throw new InvalidOperationException($"Cannot write {value} at key={key}");
                }

                ValueStore[key] = value;
                return ArvoHandlerOutput.Emit("evt.value.write.success", new { key, success = value != -100 });
            })
            .Build();
        Increment = ArvoEventHandler.CreateBuilder(ReferenceContracts.Increment)
            .ExecutionUnits(0.1)
            .Version("0.0.1", ctx => ArvoHandlerOutput.Emit(
                "evt.increment.number.success",
                new { result = ctx.Data.GetProperty("init").GetDouble() + ctx.Data.GetProperty("increment").GetDouble() }))
            .Version("0.0.2", ctx =>
            {
                var result = ctx.Data.GetProperty("init").GetDouble() * ctx.Data.GetProperty("multiplier").GetDouble();
                return new[]
                {
                    ArvoHandlerOutput.Emit("evt.increment.number.success", new { result }),
                    ArvoHandlerOutput.Emit("evt.multiplier.number.success", new { result }),
                };
            })
            .Build();
        Decrement = ArvoEventHandler.CreateBuilder(ReferenceContracts.Decrement)
            .ExecutionUnits(0.1)
            .Version("0.0.1", ctx => ArvoHandlerOutput.Emit(
                "evt.decrement.number.success",
                new { result = ctx.Data.GetProperty("init").GetDouble() - ctx.Data.GetProperty("decrement").GetDouble() }))
            .Version("0.0.2", ctx => ArvoHandlerOutput.Emit(
                "evt.decrement.number.success",
                new { result = ctx.Data.GetProperty("init").GetDouble() / ctx.Data.GetProperty("divider").GetDouble() }))
            .Build();

        IncOrchestrator = ArvoOrchestrator.CreateBuilder().Memory(Memory).ExecutionUnits(0.1).Machines(ReferenceMachines.Inc("0.0.1"), ReferenceMachines.Inc("0.0.2")).Build();
        DecOrchestrator = ArvoOrchestrator.CreateBuilder().Memory(Memory).ExecutionUnits(0.1).Machines(ReferenceMachines.Dec("0.0.1"), ReferenceMachines.Dec("0.0.2")).Build();
        NumberModifierOrchestrator = ArvoOrchestrator.CreateBuilder().Memory(Memory).ExecutionUnits(0.1).Machines(ReferenceMachines.NumberModifier("0.0.1"), ReferenceMachines.NumberModifier("0.0.2")).Build();
    }

    public ConcurrentDictionary<string, double> ValueStore { get; } = new(StringComparer.Ordinal);

    public SimpleMachineMemory<MachineMemoryRecord> Memory { get; } = new();

    public ArvoEventHandler ValueRead { get; }

    public ArvoEventHandler ValueWrite { get; }

    public ArvoEventHandler Increment { get; }

    public ArvoEventHandler Decrement { get; }

    public ArvoOrchestrator IncOrchestrator { get; }

    public ArvoOrchestrator DecOrchestrator { get; }

    public ArvoOrchestrator NumberModifierOrchestrator { get; }

    public IEnumerable<IArvoEventHandler> All =>
        [ValueRead, ValueWrite, Increment, Decrement, IncOrchestrator, DecOrchestrator, NumberModifierOrchestrator];

    /// <summary>The handler whose source is the event's <c>to</c>.</summary>
    public IArvoEventHandler HandlerFor(ArvoEvent evt) => All.Single(h => h.Source == evt.To);

    /// <summary>A FIFO broker over every handler and orchestrator that records every published event and collects errors.</summary>
    public SimpleEventBroker Broker(List<(Exception Error, ArvoEvent Event)> errors) =>
        SimpleEventBroker.Create(All, new SimpleEventBrokerOptions
        {
            RecordCapacity = 1000,
            OnError = (error, evt) =>
            {
                lock (errors)
                {
                    errors.Add((error, evt));
                }
            },
        });

    /// <summary>An init of <c>arvo.orc.inc</c>/<c>arvo.orc.dec</c> from <see cref="Client"/>.</summary>
    public static ArvoEvent ModifierInit(
        ArvoOrchestratorContract contract, string version, string key, double modifier, string? parentSubject = null, string? domain = null, string? redirectTo = null, string? id = null) =>
        new ArvoOrchestratorEventFactory(contract.Version(version)).Init(
            new ArvoEventEnvelope { Source = Client, Domain = domain, RedirectTo = redirectTo, Id = id is null ? null : ArvoEventId.DeveloperManaged(id) },
            new JsonObject
            {
                ["parentSubject$$"] = parentSubject,
                ["key"] = key,
                ["modifier"] = modifier,
                ["trend"] = version == "0.0.1" ? "linear" : "exponential",
            });

    /// <summary>An init of <c>arvo.orc.number.modifier</c> from <see cref="Client"/>.</summary>
    public static ArvoEvent NumberModifierInit(string version, double init, double modifier, string operation, string? domain = null, string? redirectTo = null) =>
        new ArvoOrchestratorEventFactory(ReferenceContracts.NumberModifier.Version(version)).Init(
            new ArvoEventEnvelope { Source = Client, Domain = domain, RedirectTo = redirectTo },
            new JsonObject
            {
                ["parentSubject$$"] = null,
                ["init"] = init,
                ["modifier"] = modifier,
                ["operation"] = operation,
                ["trend"] = version == "0.0.1" ? "linear" : "exponential",
            });
}
