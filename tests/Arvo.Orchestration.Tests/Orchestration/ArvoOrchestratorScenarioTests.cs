// O-9 throws a plain Error in the reference; its C# counterpart is System.Exception.
#pragma warning disable CA2201

using System.Text.Json;
using Arvo.Events;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>Scenarios O-1 … O-11, O-13 … O-15 and O-19 (scenarios.md, group O) on the reference orchestration fixture.</summary>
public sealed class ArvoOrchestratorScenarioTests
{
    private readonly ReferenceFixture _fixture = new();

    // ---- O-1 Factory validation ----

    [Fact]
    public void Build_MachinesOfDifferentOrchestrators_ThrowsConfigViolation()
    {
        var act = () => ArvoOrchestrator.CreateBuilder().Memory(_fixture.Memory).ExecutionUnits(0.1).Machines(ReferenceMachines.Inc("0.0.1"), ReferenceMachines.Dec("0.0.1")).Build();

        act.Should().Throw<ConfigViolation>().WithMessage("ViolationError<Config> All the machines in the orchestrator must have type 'arvo.orc.inc'");
    }

    [Fact]
    public void Build_DuplicateVersions_ThrowsConfigViolation()
    {
        var act = () => ArvoOrchestrator.CreateBuilder().Memory(_fixture.Memory).ExecutionUnits(0.1).Machines(ReferenceMachines.Inc("0.0.1"), ReferenceMachines.Inc("0.0.2"), ReferenceMachines.Inc("0.0.1"), ReferenceMachines.Inc("0.0.2")).Build();

        act.Should().Throw<ConfigViolation>()
            .WithMessage("ViolationError<Config> An orchestrator must have unique machine versions. Machine ID:machineV001 has duplicate version 0.0.1.");
    }

    [Fact]
    public void SystemErrorSchema_DecrementOrchestrator_IsItsSystemErrorType()
    {
        _fixture.DecOrchestrator.SystemErrorSchema.Type.Should().Be("sys.arvo.orc.dec.error");
        _fixture.DecOrchestrator.Source.Should().Be("arvo.orc.dec");
    }

    [Fact]
    public void RequiresResourceLocking_ReferenceOrchestrators_FollowTheirMachines()
    {
        // MS-6: inc v0.0.1 has a parallel state, inc v0.0.2 a service with two emit types.
        _fixture.IncOrchestrator.RequiresResourceLocking.Should().BeTrue();
        _fixture.DecOrchestrator.RequiresResourceLocking.Should().BeFalse();
        _fixture.NumberModifierOrchestrator.RequiresResourceLocking.Should().BeFalse();
    }

    // ---- O-2 Full increment flow ----

    [Fact]
    public async Task ExecuteAsync_FullIncrementFlow_CompletesWithTheIncrementedValue()
    {
        _fixture.ValueStore["test.key"] = 2;
        var init = ReferenceFixture.ModifierInit(ReferenceContracts.Inc, "0.0.1", "test.key", 2);

        var step1 = (await _fixture.IncOrchestrator.ExecuteAsync(init)).All;
        var read = step1.Should().ContainSingle().Subject;
        read.Type.Should().Be("com.value.read");
        read.To.Should().Be("com.value.read");
        read.Source.Should().Be("arvo.orc.inc");
        read.ParentId.Should().Be(init.Id);

        var readAnswer = (await _fixture.ValueRead.ExecuteAsync(read)).All.Single();
        var step2 = (await _fixture.IncOrchestrator.ExecuteAsync(readAnswer)).All;
        var command = step2.Should().ContainSingle().Subject;
        command.Type.Should().Be("com.increment.number");
        command.To.Should().Be("com.increment.number");
        command.Source.Should().Be("arvo.orc.inc");
        command.Data.GetRawText().Should().Be("""{"init":2,"increment":2}""");
        command.ParentId.Should().Be(readAnswer.Id);

        var answer = (await _fixture.Increment.ExecuteAsync(command)).All.Single();
        var step3 = (await _fixture.IncOrchestrator.ExecuteAsync(answer)).All;
        var done = step3.Should().ContainSingle().Subject;
        done.Type.Should().Be("arvo.orc.inc.done");
        done.To.Should().Be("com.test.test");
        done.Source.Should().Be("arvo.orc.inc");
        done.Data.GetRawText().Should().Be("""{"success":true,"error":[],"final":4}""");
        done.ParentId.Should().Be(init.Id);
    }

    // ---- O-4 Own command fed back ----

    [Fact]
    public async Task ExecuteAsync_OwnCommandFedBack_ThrowsConfigViolation()
    {
        var init = ReferenceFixture.ModifierInit(ReferenceContracts.Inc, "0.0.1", "test.key.contract", 2);
        var read = (await _fixture.IncOrchestrator.ExecuteAsync(init)).All.Should().ContainSingle().Subject;

        var act = async () => await _fixture.IncOrchestrator.ExecuteAsync(read);

        await act.Should().ThrowAsync<ConfigViolation>()
            .WithMessage("ViolationError<Config> Contract validation failed - Event does not match any registered contract schemas in the machine");
    }

    // ---- O-5 Contract violations on input ----

    [Fact]
    public async Task ExecuteAsync_InvalidServiceAnswerData_ThrowsContractViolation()
    {
        var init = ReferenceFixture.ModifierInit(ReferenceContracts.Inc, "0.0.1", "test.key", 2);
        await _fixture.IncOrchestrator.ExecuteAsync(init);
        var answer = ArvoEvent.Create(new ArvoEventInit
        {
            Source = "com.value.read",
            Type = "evt.value.read.success",
            Subject = init.Subject,
            DataSchema = "#/test/handler/value/read/0.0.1",
            Data = new { value = "saad" },
            To = "arvo.orc.inc",
        });

        var act = async () => await _fixture.IncOrchestrator.ExecuteAsync(answer);

        await act.Should().ThrowAsync<ContractViolation>()
            .WithMessage("ViolationError<Contract> Input validation failed - Event data does not meet contract requirements*");
    }

    [Fact]
    public async Task ExecuteAsync_InitWithoutParentSubject_ThrowsContractViolation()
    {
        var init = ArvoEvent.Create(new ArvoEventInit
        {
            Source = ReferenceFixture.Client,
            Type = "arvo.orc.inc",
            Subject = ArvoOrchestrationSubject.New("arvo.orc.inc", "0.0.1", ReferenceFixture.Client),
            DataSchema = "#/test/orchestrator/increment/0.0.1",
            Data = new { key = "test.key", modifier = 2, trend = "linear" },
        });

        var act = async () => await _fixture.IncOrchestrator.ExecuteAsync(init);

        await act.Should().ThrowAsync<ContractViolation>()
            .WithMessage("ViolationError<Contract> Input validation failed - Event data does not meet contract requirements*");
    }

    // ---- O-7 Ignored events ----

    [Fact]
    public async Task ExecuteAsync_NonInitEventWithoutRecord_IsIgnoredAndNothingIsStored()
    {
        var evt = ArvoEvent.Create(new ArvoEventInit
        {
            Source = "com.increment.number",
            Type = "evt.increment.number.success",
            Subject = ArvoOrchestrationSubject.New("arvo.orc.inc", "0.0.1", ReferenceFixture.Client),
            DataSchema = "#/test/handler/increment/0.0.1",
            Data = new { result = 12 },
            To = "arvo.orc.inc",
        });

        var result = await _fixture.IncOrchestrator.ExecuteAsync(evt);

        result.All.Should().BeEmpty();
        (await _fixture.Memory.ReadRecordAsync(evt.Subject)).Should().BeNull();
        (await _fixture.Memory.LockAsync(evt.Subject, MachineMemoryLockToken.NewToken())).Should().BeTrue("the lock was released");
    }

    [Fact]
    public async Task ExecuteAsync_SubjectNamingAnotherOrchestrator_IsIgnoredWithoutLockOrRead()
    {
        var memory = new SpyMachineMemory();
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(memory)
            .Machines(CounterMachine.CreateTestMachine())
            .RequiresResourceLocking(true)
            .Build();
        var init = MachineEvents.Init().WithSubject(ArvoOrchestrationSubject.New("arvo.orc.other", "0.0.1", MachineEvents.Initiator));

        var result = await orchestrator.ExecuteAsync(init);

        result.All.Should().BeEmpty();
        memory.Calls.Should().BeEmpty();
    }

    // ---- O-8 Unknown machine version ----

    [Theory]
    [InlineData("1.0.0", "1.0.0")]
    [InlineData(null, "0.0.0")]
    public async Task ExecuteAsync_SubjectVersionWithoutMachine_ThrowsConfigViolation(string? version, string expected)
    {
        var init = ReferenceFixture.ModifierInit(ReferenceContracts.Inc, "0.0.1", "test.key", 2)
            .WithSubject(ArvoOrchestrationSubject.New("arvo.orc.inc", version, ReferenceFixture.Client));

        var act = async () => await _fixture.IncOrchestrator.ExecuteAsync(init);

        await act.Should().ThrowAsync<ConfigViolation>().WithMessage(
            $"ViolationError<Config> Machine resolution failed: No machine found matching orchestrator name='arvo.orc.inc' and version='{expected}'.");
        (await _fixture.Memory.ReadRecordAsync(init.Subject)).Should().BeNull();
    }

    // ---- O-9 Non-violation error inside the machine ----

    [Fact]
    public async Task ExecuteAsync_MachineThrowsError_ReturnsSystemErrorAndFailsTheWorkflow()
    {
        var orchestrator = DumbFixture.Orchestrator(_fixture.Memory, () => new Exception("Normal error"));
        var init = DumbFixture.Init();

        var result = await orchestrator.ExecuteAsync(init);

        var error = result.All.Should().ContainSingle().Subject;
        error.Type.Should().Be("sys.arvo.orc.dumb.error");
        error.Data.GetProperty("errorMessage").GetString().Should().Be("Normal error");
        error.To.Should().Be("com.test.test");
        error.Subject.Should().Be(init.Subject);
        error.ParentId.Should().Be(init.Id);
        error.ExecutionUnits.Should().Be(1);
        error.DataSchema.Should().Be("#/dumb/0.0.0");
        error.RedirectTo.Should().BeNull();
        error.Domain.Should().BeNull();
        var record = (await _fixture.Memory.ReadRecordAsync(init.Subject)).Should().BeOfType<MachineMemoryFailureRecord>().Subject;
        record.Subject.Should().Be(init.Subject);
        record.Error.Name.Should().Be("Exception");
        record.Error.Message.Should().Be("Normal error");
        record.Error.Stack.Should().Contain("Normal error");

        var later = await orchestrator.ExecuteAsync(DumbFixture.ServiceSuccess(init.Subject));

        later.All.Should().BeEmpty();
        (await orchestrator.ExecuteAsync(init.WithId("another-init"))).All.Should().BeEmpty("a failed workflow ignores even an init event");
        (await orchestrator.ExecuteAsync(init)).All.Should().Equal([error], "the redelivered init is answered from the inbox with the first system error, same id");
    }

    [Fact]
    public async Task ExecuteAsync_MachineThrowsExecutionViolation_RethrowsAndStoresNothing()
    {
        var orchestrator = DumbFixture.Orchestrator(_fixture.Memory, () => new ExecutionViolation("Violation error"));
        var init = DumbFixture.Init();

        var act = async () => await orchestrator.ExecuteAsync(init);

        await act.Should().ThrowAsync<ExecutionViolation>().WithMessage("ViolationError<Execution> Violation error");
        (await _fixture.Memory.ReadRecordAsync(init.Subject)).Should().BeNull();
    }

    // ---- O-10 Invalid subject ----

    [Fact]
    public async Task ExecuteAsync_InvalidSubject_ThrowsExecutionViolation()
    {
        var evt = ArvoEvent.Create(new ArvoEventInit { Source = "com.test.test", Subject = "test", Data = new { }, Type = "arvo.orc.number.modifier" });

        var act = async () => await _fixture.NumberModifierOrchestrator.ExecuteAsync(evt);

        await act.Should().ThrowAsync<ExecutionViolation>().WithMessage(
            $"ViolationError<Execution> Invalid event (id={evt.Id}) subject format. Expected an ArvoOrchestrationSubject but received 'test'. The subject must follow the format specified by ArvoOrchestrationSubject schema");
    }

    // ---- O-11 Wildcard dataschema on init ----

    [Fact]
    public async Task ExecuteAsync_InitWithWildcardDataschema_IsAccepted()
    {
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(new SimpleMachineMemory<MachineMemoryRecord>()).ExecutionUnits(0.1).Machines(CounterMachine.CreateTestMachine()).Build();
        var init = MachineEvents.Init().WithDataSchema("#/test/machine/0.0.0");

        var result = await orchestrator.ExecuteAsync(init);

        result.All.Should().ContainSingle().Which.Type.Should().Be("com.number.increment");
    }

    // ---- O-13 Stored record ----

    [Fact]
    public async Task ExecuteAsync_Init_StoresTheNormalRecord()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(0.1).Machines(CounterMachine.CreateTestMachine()).Build();
        var init = MachineEvents.Init();

        var result = await orchestrator.ExecuteAsync(init);

        var json = JsonSerializer.SerializeToElement(await memory.ReadRecordAsync(init.Subject));
        json.EnumerateObject().Select(p => p.Name).Should().Equal(
            "executionStatus", "initEventId", "subject", "parentSubject", "status", "value", "state", "events", "machineDefinition");
        var record = (MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!;
        record.ExecutionStatus.Should().Be(MachineExecutionStatus.Normal);
        record.InitEventId.Should().Be(init.Id);
        record.Subject.Should().Be(init.Subject);
        record.ParentSubject.Should().BeNull();
        record.Status.Should().Be("active");
        record.Value!.Value.GetString().Should().Be("increment");
        record.Events.Consumed!.Id.Should().Be(init.Id);
        record.Events.Produced.Should().Equal(result.All);
        ArvoMachineSnapshot.Parse(record.State).Context.GetProperty("delta").GetDouble().Should().Be(1);
    }

    // ---- O-14 Re-delivered events ----

    [Fact]
    public async Task ExecuteAsync_ReinitAndLateAnswerUnderNewIds_EmitNothing()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(0.1).Machines(CounterMachine.CreateTestMachine()).Build();
        var init = MachineEvents.Init();
        await orchestrator.ExecuteAsync(init);

        (await orchestrator.ExecuteAsync(init.WithId("second-init"))).All.Should().BeEmpty();
        ((MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!).Events.Produced.Should().BeEmpty();

        var answer = MachineEvents.IncrementSuccess(init.Subject);
        (await orchestrator.ExecuteAsync(answer)).All.Should().HaveCount(3);
        (await orchestrator.ExecuteAsync(answer.WithId("second-answer"))).All.Should().BeEmpty();
        ((MachineMemoryStateRecord)(await memory.ReadRecordAsync(init.Subject))!).Status.Should().Be("done");
    }

    [Fact]
    public async Task ExecuteAsync_RedeliveredInitAndAnswer_ReturnTheFirstEventsAndApplyNothingTwice()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(0.1).Machines(CounterMachine.CreateTestMachine()).Build();
        var init = MachineEvents.Init();
        var first = (await orchestrator.ExecuteAsync(init)).All;
        var afterInit = (await memory.ReadAsync(init.Subject))!;

        (await orchestrator.ExecuteAsync(init)).All.Should().Equal(first);
        (await memory.ReadAsync(init.Subject))!.Version.Should().Be(afterInit.Version, "a redelivery writes nothing");

        var answer = MachineEvents.IncrementSuccess(init.Subject);
        var completion = (await orchestrator.ExecuteAsync(answer)).All;
        completion.Should().HaveCount(3);
        var done = (await memory.ReadAsync(init.Subject))!;

        var again = (await orchestrator.ExecuteAsync(answer)).All;

        again.Select(e => e.Id).Should().Equal(completion.Select(e => e.Id));
        again.Should().Equal(completion);
        (await memory.ReadAsync(init.Subject))!.Version.Should().Be(done.Version);
        done.Inbox.Entries.Select(e => e.EventId).Should().Equal(init.Id, answer.Id);
    }

    // ---- O-15 Redirected completion ----

    [Fact]
    public async Task ExecuteAsync_InitWithRedirectTo_CompletionGoesToTheRedirectTarget()
    {
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(new SimpleMachineMemory<MachineMemoryRecord>()).ExecutionUnits(0.1).Machines(OrchestrationTestMachines.WorkedExample()).Build();
        var init = OrchestrationTestMachines.Init(redirectTo: "com.final.dest");
        ArvoOrchestrationSubject.Parse(init.Subject).Meta["redirectto"].Should().Be("com.final.dest");

        var command = (await orchestrator.ExecuteAsync(init)).All.Single();
        command.RedirectTo.Should().Be("arvo.orc.test");
        var answer = OrchestrationTestMachines.IncrementSuccess(command, 5);
        answer.To.Should().Be("arvo.orc.test");

        var done = (await orchestrator.ExecuteAsync(answer)).All.Single(e => e.Type == "arvo.orc.test.done");

        done.To.Should().Be("com.final.dest");
        done.ParentId.Should().Be(init.Id);
    }

    // ---- O-19 Undeclared raw event ----

    [Fact]
    public async Task ExecuteAsync_UndeclaredRawEvent_IsEmittedUnvalidated()
    {
        _fixture.ValueStore.Clear();
        var init = ReferenceFixture.NumberModifierInit("0.0.1", 1, 4, "decrement");
        var write = (await _fixture.NumberModifierOrchestrator.ExecuteAsync(init)).All.Single();
        var written = (await _fixture.ValueWrite.ExecuteAsync(write)).All.Single();

        var result = (await _fixture.NumberModifierOrchestrator.ExecuteAsync(written)).All;

        result.Select(e => e.Type).Should().Equal("arvo.orc.dec", "com.notif.test");
        var notif = result[1];
        notif.To.Should().Be("com.notif.test");
        notif.Data.GetRawText().Should().Be("{}");
        notif.DataSchema.Should().BeNull();
        notif.Source.Should().Be("arvo.orc.number.modifier");
        notif.RedirectTo.Should().Be("arvo.orc.number.modifier");
        notif.ParentId.Should().Be(written.Id);
        notif.Subject.Should().Be(init.Subject);
    }
}
