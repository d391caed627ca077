using System.Text.Json.Nodes;
using Arvo.Broker;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// Who may answer a workflow. By default (the reference) any event for the workflow is applied whatever its source and
/// <c>to</c>; in strict mode only a service of the machine, addressed to the orchestration, and only a child init whose
/// <c>parentSubject$$</c> names the orchestrator that sent it. A malformed <c>parentSubject$$</c> is always rejected.
/// Every rejection is a <see cref="ContractViolation"/> that leaves memory untouched.
/// </summary>
public sealed class StrictAnswerValidationTests
{
    private const string Orchestrator = "arvo.orc.test";

    private readonly SimpleMachineMemory<MachineMemoryRecord> _memory = new();

    private ArvoOrchestrator Counter(bool strict) => ArvoOrchestrator.CreateBuilder()
        .Memory(_memory)
        .Machines(CounterMachine.CreateTestMachine())
        .StrictAnswerValidation(strict)
        .Build();

    private static ArvoEvent IncrementSuccess(string subject, string source = "com.number.increment", string? to = Orchestrator) =>
        new ArvoEventFactory(CounterContracts.Increment.Version("0.0.1"))
            .Emits(new ArvoEventEnvelope { Source = source, Subject = subject, To = to }, "evt.number.increment.success", new { newValue = 10 });

    private static ArvoEvent InitWithParent(string source, string? parentSubject) =>
        new ArvoOrchestratorEventFactory(CounterContracts.Machine.Version("0.0.1"))
            .Init(new ArvoEventEnvelope { Source = source }, new JsonObject { ["parentSubject$$"] = parentSubject, ["delta"] = 1, ["type"] = "increment" });

    private static async Task<string> Started(ArvoOrchestrator orchestrator)
    {
        var init = MachineEvents.Init();
        await orchestrator.ExecuteAsync(init);
        return init.Subject;
    }

    private async Task<long> Version(string subject) => (await _memory.ReadAsync(subject))?.Version ?? 0;

    private async Task ExpectRejected(ArvoOrchestrator orchestrator, ArvoEvent evt, string message)
    {
        var before = await Version(evt.Subject);

        var act = async () => await orchestrator.ExecuteAsync(evt);

        await act.Should().ThrowAsync<ContractViolation>().WithMessage(message);
        (await Version(evt.Subject)).Should().Be(before, "a rejected event changes nothing");
        (await _memory.ReadPendingOutboxAsync(100)).Count.Should().Be(before == 0 ? 0 : 1, "only the init's command is pending");
    }

    [Fact]
    public void StrictAnswerValidation_Default_IsOff()
    {
        ArvoOrchestrator.CreateBuilder().Memory(_memory).Machines(CounterMachine.CreateTestMachine()).Build().StrictAnswerValidation.Should().BeFalse();
        ArvoResumable.CreateBuilder<TickerState>(TickerContract).Memory(new SimpleMachineMemory<ArvoResumableState>()).Version("0.0.1", _ => null).Build()
            .StrictAnswerValidation.Should().BeFalse();
        Counter(strict: true).StrictAnswerValidation.Should().BeTrue();
    }

    // ---- Default mode: the reference behaviour ----

    [Fact]
    public async Task ExecuteAsync_DefaultMode_AppliesAnAnswerWhateverItsSourceAndTo()
    {
        var orchestrator = Counter(strict: false);
        var subject = await Started(orchestrator);

        await orchestrator.ExecuteAsync(IncrementSuccess(subject, source: "com.somebody.else", to: "com.not.us"));

        (await Version(subject)).Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_DefaultMode_AcceptsAChildInitUnderAnotherOrchestratorsSubject()
    {
        var orchestrator = Counter(strict: false);
        var parent = ArvoOrchestrationSubject.New("arvo.orc.victim", "1.0.0", "com.test.client");
        var init = InitWithParent("com.test.service", parent);

        await orchestrator.ExecuteAsync(init);

        (await Version(init.Subject)).Should().Be(1);
    }

    // ---- Strict mode: answers ----

    [Fact]
    public async Task ExecuteAsync_StrictServiceAnswerAddressedToUs_IsApplied()
    {
        var orchestrator = Counter(strict: true);
        var subject = await Started(orchestrator);

        var result = await orchestrator.ExecuteAsync(IncrementSuccess(subject));

        result.All.Should().NotBeEmpty();
        (await Version(subject)).Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_StrictServiceSystemError_IsApplied()
    {
        var orchestrator = Counter(strict: true);
        var subject = await Started(orchestrator);
        var error = new ArvoEventFactory(CounterContracts.Increment.Version("0.0.1"))
            .SystemError(new ArvoEventEnvelope { Source = "com.number.increment", Subject = subject, To = Orchestrator }, new InvalidOperationException("boom"));

        await orchestrator.ExecuteAsync(error);

        (await Version(subject)).Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_StrictAnswerFromANonService_IsRejectedAndMemoryUnchanged()
    {
        var orchestrator = Counter(strict: true);
        var subject = await Started(orchestrator);
        var forged = IncrementSuccess(subject, source: "com.somebody.else");

        await ExpectRejected(
            orchestrator,
            forged,
            $"*[Strict answer validation] The event (id={forged.Id}, type=evt.number.increment.success) has source 'com.somebody.else', which is not a service of 'arvo.orc.test' version 0.0.1; expected one of: com.number.decrement, com.number.increment, notif.number.update");
    }

    [Fact]
    public async Task ExecuteAsync_StrictAnswerAddressedElsewhere_IsRejectedAndMemoryUnchanged()
    {
        var orchestrator = Counter(strict: true);
        var subject = await Started(orchestrator);
        var misrouted = IncrementSuccess(subject, to: "com.not.us");

        await ExpectRejected(
            orchestrator,
            misrouted,
            $"*[Strict answer validation] The event (id={misrouted.Id}, type=evt.number.increment.success, source='com.number.increment') is addressed to 'com.not.us', expected to 'arvo.orc.test'");
    }

    // ---- parentSubject$$ ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteAsync_InitWithMalformedParentSubject_IsRejectedInEveryMode(bool strict)
    {
        var orchestrator = Counter(strict);
        var init = ArvoEvent.Create(new ArvoEventInit
        {
            Source = "com.test.service",
            Type = Orchestrator,
            Subject = ArvoOrchestrationSubject.New(Orchestrator, "0.0.1", "com.test.service"),
            DataSchema = "#/test/machine/0.0.1",
            Data = new JsonObject { ["parentSubject$$"] = "not-a-subject", ["delta"] = 1, ["type"] = "increment" },
        });

        await ExpectRejected(
            orchestrator,
            init,
            $"*Invalid parentSubject$$ of the init event (id={init.Id}, source='com.test.service'): expected null or an ArvoOrchestrationSubject, received 'not-a-subject'");
        (await _memory.ReadAsync(init.Subject)).Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_StrictInitWhoseParentIsNotItsSource_IsRejected()
    {
        var orchestrator = Counter(strict: true);
        var parent = ArvoOrchestrationSubject.New("arvo.orc.victim", "1.0.0", "com.test.client");
        var forged = InitWithParent("com.test.service", parent);

        await ExpectRejected(
            orchestrator,
            forged,
            $"*[Strict answer validation] The init event (id={forged.Id}) names parentSubject$$ of orchestrator 'arvo.orc.victim', but its source is 'com.test.service': only the parent orchestrator may start a child workflow under its subject");
        (await _memory.ReadAsync(forged.Subject)).Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_StrictInitFromItsParentOrchestrator_IsAccepted()
    {
        var orchestrator = Counter(strict: true);
        var parent = ArvoOrchestrationSubject.New("arvo.orc.parent", "1.0.0", "com.test.client");
        var init = InitWithParent("arvo.orc.parent", parent);

        await orchestrator.ExecuteAsync(init);

        (await _memory.ReadRecordAsync(init.Subject)).Should().BeOfType<MachineMemoryStateRecord>().Which.ParentSubject.Should().Be(parent);
    }

    // ---- Nested workflows in strict mode ----

    [Fact]
    public async Task ResolveAsync_StrictParentAndChild_CompleteThroughTheBroker()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var parent = ArvoOrchestrator.CreateBuilder().Memory(memory).Machines(NestedFixture.ParentMachine()).StrictAnswerValidation().Build();
        var child = ArvoOrchestrator.CreateBuilder().Memory(memory).Machines(NestedFixture.ChildMachine()).StrictAnswerValidation().Build();
        var errors = new List<Exception>();
        var broker = SimpleEventBroker.Create([parent, child], new SimpleEventBrokerOptions { OnError = (e, _) => errors.Add(e) });

        var done = await broker.ResolveAsync(NestedFixture.ParentInit(v: 3)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        errors.Should().BeEmpty();
        done!.Type.Should().Be("arvo.orc.parent.done");
        done.Data.GetProperty("r").GetDouble().Should().Be(6);
    }

    [Fact]
    public async Task ExecuteAsync_StrictChild_RejectsAForgedInitUnderAParentsSubject()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var parent = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(NestedFixture.ParentMachine()).Build();
        var child = ArvoOrchestrator.CreateBuilder().Memory(memory).Machines(NestedFixture.ChildMachine()).StrictAnswerValidation().Build();
        var parentInit = NestedFixture.ParentInit();
        var genuine = (await parent.ExecuteAsync(parentInit)).All[0];
        var forged = ArvoEvent.Create(new ArvoEventInit
        {
            Source = "com.evil.client",
            Type = genuine.Type,
            Subject = ArvoOrchestrationSubject.New("arvo.orc.child", "1.0.0", "com.evil.client", meta: [new("redirectto", "arvo.orc.parent")]),
            DataSchema = genuine.DataSchema,
            Data = new JsonObject { ["parentSubject$$"] = parentInit.Subject, ["v"] = 100 },
        });

        var act = async () => await child.ExecuteAsync(forged);

        await act.Should().ThrowAsync<ContractViolation>().WithMessage("*only the parent orchestrator may start a child workflow under its subject");
        (await memory.ReadAsync(forged.Subject)).Should().BeNull();
        (await child.ExecuteAsync(genuine)).All.Should().ContainSingle().Which.Subject.Should().Be(parentInit.Subject);
    }

    // ---- The resumable ----

    private static readonly ArvoOrchestratorContract TickerContract = ArvoContract.CreateOrchestrator("#/test/ticker", "ticker", c => c
        .Version("0.0.1", v => v.Init("""{"type":"object","properties":{}}""").Complete("""{"type":"object","properties":{}}""")));

    private static readonly ArvoContract TickContract = ArvoContract.Create("#/test/tick", "com.tick.source", c => c
        .Version("0.0.1", v => v
            .Accepts("""{"type":"object","properties":{}}""")
            .Emits("evt.tick.success", """{"type":"object","properties":{}}""")));

    private static ArvoResumable Ticker(IMachineMemory<ArvoResumableState> memory, bool strict) => ArvoResumable.CreateBuilder<TickerState>(TickerContract)
        .Memory(memory)
        .Service("tick", TickContract.Version("0.0.1"))
        .Version("0.0.1", ctx => new() { Context = new TickerState((ctx.Context?.Count ?? -1) + 1) })
        .StrictAnswerValidation(strict)
        .Build();

    private static ArvoEvent Tick(string subject, string source = "com.tick.source", string to = "arvo.orc.ticker") =>
        new ArvoEventFactory(TickContract.Version("0.0.1")).Emits(
            new ArvoEventEnvelope { Source = source, Subject = subject, To = to }, "evt.tick.success", new { });

    [Theory]
    [InlineData("com.tick.source", "arvo.orc.ticker", true)]
    [InlineData("com.somebody.else", "arvo.orc.ticker", false)]
    [InlineData("com.tick.source", "com.not.us", false)]
    public async Task ExecuteAsync_StrictResumable_AppliesOnlyServiceAnswersAddressedToIt(string source, string to, bool applied)
    {
        var memory = new SimpleMachineMemory<ArvoResumableState>();
        var resumable = Ticker(memory, strict: true);
        var init = new ArvoOrchestratorEventFactory(TickerContract.Version("0.0.1"))
            .Init(new ArvoEventEnvelope { Source = "com.test.client" }, new JsonObject { ["parentSubject$$"] = null });
        await resumable.ExecuteAsync(init);

        var act = async () => await resumable.ExecuteAsync(Tick(init.Subject, source, to));

        if (applied)
        {
            await act.Should().NotThrowAsync();
            (await memory.ReadAsync(init.Subject))!.Version.Should().Be(2);
        }
        else
        {
            await act.Should().ThrowAsync<ContractViolation>().WithMessage("*[Strict answer validation]*");
            (await memory.ReadAsync(init.Subject))!.Version.Should().Be(1);
        }
    }

    [Fact]
    public async Task ExecuteAsync_DefaultResumable_AppliesAnAnswerFromAnySource()
    {
        var memory = new SimpleMachineMemory<ArvoResumableState>();
        var resumable = Ticker(memory, strict: false);
        var init = new ArvoOrchestratorEventFactory(TickerContract.Version("0.0.1"))
            .Init(new ArvoEventEnvelope { Source = "com.test.client" }, new JsonObject { ["parentSubject$$"] = null });
        await resumable.ExecuteAsync(init);

        await resumable.ExecuteAsync(Tick(init.Subject, "com.somebody.else", "com.not.us"));

        (await memory.ReadAsync(init.Subject))!.Version.Should().Be(2);
    }

    private sealed record TickerState(int Count);
}
