using System.Text.Json;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>
/// <see cref="ArvoMachine.Definition"/>: the machine's JSON definition, written once when it is built and stored as a
/// record's <c>machineDefinition</c> (issue 16 item 5).
/// </summary>
public sealed class MachineDefinitionJsonTests
{
    [Fact]
    public void Definition_CounterMachine_IsItsDeclarationAsJson()
    {
        var machine = CounterMachine.Create();

        machine.Definition.Should().Be(
            """{"id":"counter","version":"0.0.1","initial":"route","states":{"route":"""
            + """{"always":[{"target":"increment","guard":"isIncrement"},{"target":"decrement","guard":"isDecrement"},{"target":"error","actions":[{"type":"assign"}]}]},"increment":"""
            + """{"entry":[{"type":"emit","event":"com.number.increment"}],"on":{"evt.number.increment.success":[{"target":"notification"}],"sys.com.number.increment.error":[{"target":"error","actions":[{"type":"assignEventError"}]}]}},"decrement":"""
            + """{"entry":[{"type":"emit","event":"com.number.decrement"}],"on":{"evt.number.decrement.success":[{"target":"notification"}],"sys.com.number.decrement.error":[{"target":"error","actions":[{"type":"assignEventError"}]}]}},"notification":"""
            + """{"entry":[{"type":"enqueueArvoEvent","event":"notif.number.update"}],"always":[{"target":"done"}]},"done":"""
            + """{"type":"final"},"error":{"type":"final"}}}""");
    }

    [Fact]
    public void Definition_ParallelRegionsGuardsAndInternalTransitions_AreWrittenInDeclarationOrder()
    {
        var machine = ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .Action("log", a => a.Run((_, _) => { }))
            .Guard("positive", ctx => ctx.Delta > 0)
            .CreateMachine("shape", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("work")
                .Parallel("work", p => p
                    .Region("up", r => r
                        .Initial("asking")
                        .State("asking", s => s
                            .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }))
                            .On("evt.number.increment.success", "answered", t => t.Guard("positive"))
                            .On("*", t => t.Action("log"))
                            .On("evt.number.increment.success", "asking"))
                        .Final("answered"))
                    .Region("down", r => r
                        .Initial("waiting")
                        .State("waiting", s => s
                            .Exit(a => a.Run((_, _) => { }))
                            .On("evt.number.decrement.success", "settled", t => t.Guard((_, _) => true, "always ok")))
                        .Final("settled"))
                    .OnDone("done", t => t.Emit(_ => ArvoMachineEmit.Create("com.audit.note", new { }))))
                .Final("done"));

        machine.Definition.Should().Be(
            """{"id":"shape","version":"0.0.1","initial":"work","states":{"work":{"type":"parallel","onDone":[{"target":"done","actions":[{"type":"emit"}]}],"states":{"up":"""
            + """{"initial":"asking","states":{"asking":{"entry":[{"type":"emit","event":"com.number.increment"}],"on":{"evt.number.increment.success":[{"target":"answered","guard":"positive"},{"target":"asking"}],"*":[{"actions":[{"type":"log"}]}]}},"answered":{"type":"final"}}},"down":"""
            + """{"initial":"waiting","states":{"waiting":{"exit":[{"type":"run"}],"on":{"evt.number.decrement.success":[{"target":"settled","guard":"always ok"}]}},"settled":{"type":"final"}}}}},"done":"""
            + """{"type":"final"}}}""");
    }

    [Fact]
    public void Definition_CompoundStatesAndReenter_NestTheirInitialAndChildren()
    {
        var machine = ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .CreateMachine("nested", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("processing")
                .State("processing", s => s
                    .Initial("charge")
                    .State("charge", c => c
                        .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }))
                        .On("sys.com.number.increment.error", "charge", t => t.Reenter())
                        .On("evt.number.increment.success", "settled"))
                    .Final("settled")
                    .OnDone("done"))
                .Final("done"));

        machine.Definition.Should().Be(
            """{"id":"nested","version":"0.0.1","initial":"processing","states":{"processing":{"onDone":[{"target":"done"}],"initial":"charge","states":{"charge":"""
            + """{"entry":[{"type":"emit","event":"com.number.increment"}],"on":{"sys.com.number.increment.error":[{"target":"charge","reenter":true}],"evt.number.increment.success":[{"target":"settled"}]}},"settled":"""
            + """{"type":"final"}}},"done":{"type":"final"}}}""");
    }

    [Fact]
    public void Definition_SameDeclarationBuiltTwice_IsTheSameText()
    {
        CounterMachine.Create().Definition.Should().Be(CounterMachine.Create().Definition);
    }

    [Fact]
    public async Task ExecuteAsync_EveryRecord_StoresTheDefinitionWrittenOnceWhenTheMachineWasBuilt()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var machine = CounterMachine.CreateTestMachine();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(0.1).Machines(machine).Build();
        var init = MachineEvents.Init();

        var command = (await orchestrator.ExecuteAsync(init)).All.Should().ContainSingle().Subject;
        var first = (MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!;
        await orchestrator.ExecuteAsync(MachineEvents.IncrementSuccess(command.Subject));
        var second = (MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!;

        first.MachineDefinition.Should().BeSameAs(machine.Definition);
        second.MachineDefinition.Should().BeSameAs(machine.Definition);
        second.Status.Should().Be("done");
        JsonDocument.Parse(second.MachineDefinition!).RootElement.GetProperty("id").GetString().Should().Be("counter");
    }

    [Fact]
    public async Task ExecuteAsync_StoredRecordWithoutDefinition_ResumesAndStoresTheDefinition()
    {
        // A record written before machineDefinition was filled (null, as the reference allows) still resumes.
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var machine = CounterMachine.CreateTestMachine();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(0.1).Machines(machine).Build();
        var init = MachineEvents.Init();
        var command = (await orchestrator.ExecuteAsync(init)).All.Should().ContainSingle().Subject;
        var entry = (await memory.ReadAsync(init.Subject))!;
        var old = (MachineMemoryStateRecord)entry.Record;
        var json = JsonSerializer.Serialize<MachineMemoryRecord>(old with { MachineDefinition = null });
        await memory.WriteAsync(
            init.Subject,
            new MachineMemoryWrite<MachineMemoryRecord> { Record = JsonSerializer.Deserialize<MachineMemoryRecord>(json)!, ExpectedVersion = entry.Version, Inbox = entry.Inbox, Outbox = [] });

        var result = await orchestrator.ExecuteAsync(MachineEvents.IncrementSuccess(command.Subject));

        result.All.Select(e => e.Type).Should().Equal("notif.number.update", "notif.number.update", "arvo.orc.test.done");
        ((MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!).MachineDefinition.Should().BeSameAs(machine.Definition);
    }
}
