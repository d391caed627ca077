// Plain errors of the reference are System.Exception here.
#pragma warning disable CA2201

using System.Text.Json;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// The error and violation matrix (orchestrator.md 11; scenarios O-3, O-6, O-9): what is thrown or returned, whether the
/// lock is released, what is persisted. Every violation leaves memory untouched.
/// </summary>
public sealed class ArvoOrchestratorViolationTests
{
    private readonly SpyMachineMemory _memory = new();

    /// <summary>The TestMachine with locking forced on, so lock and unlock calls are observable.</summary>
    private ArvoOrchestrator Orchestrator(ArvoMachine? machine = null) => ArvoOrchestrator.CreateBuilder()
        .Memory(_memory)
        .ExecutionUnits(0.1)
        .Machines(machine ?? CounterMachine.CreateTestMachine())
        .RequiresResourceLocking(true)
        .Build();

    private static async Task<string?> StoredJson(SimpleMachineMemory<MachineMemoryRecord> memory, string subject) =>
        await memory.ReadRecordAsync(subject) is { } record ? JsonSerializer.Serialize(record) : null;

    /// <summary>
    /// Executes <paramref name="evt"/> expecting <typeparamref name="TViolation"/> with <paramref name="message"/>, and checks
    /// that the stored record did not change, that nothing was written (unless <paramref name="writeAttempted"/>) and that an
    /// acquired lock was released.
    /// </summary>
    private async Task<TViolation> ExpectViolationLeavingMemoryUntouched<TViolation>(
        ArvoOrchestrator orchestrator, ArvoEvent evt, string message, bool writeAttempted = false)
        where TViolation : ArvoViolation
    {
        var before = await StoredJson(_memory.Inner, evt.Subject);
        var callsBefore = _memory.Calls.Count;

        var act = async () => await orchestrator.ExecuteAsync(evt);

        var thrown = (await act.Should().ThrowAsync<TViolation>().WithMessage(message)).Which;
        var calls = _memory.Calls.Skip(callsBefore).ToList();
        calls.Count(c => c.Op == "write").Should().Be(writeAttempted ? 1 : 0);
        (await StoredJson(_memory.Inner, evt.Subject)).Should().Be(before, "a violation persists nothing");
        calls.Count(c => c.Op == "unlock").Should().Be(calls.Count(c => c.Op == "lock" && c.Detail), "an acquired lock is released");
        if (ArvoOrchestrationSubject.IsValid(evt.Subject))
        {
            var token = MachineMemoryLockToken.NewToken();
            (await _memory.Inner.LockAsync(evt.Subject, token)).Should().BeTrue("no lock is left behind");
            await _memory.Inner.UnlockAsync(evt.Subject, token);
        }

        return thrown;
    }

    private static async Task<ArvoEvent> StartedWorkflow(ArvoOrchestrator orchestrator)
    {
        var init = MachineEvents.Init();
        (await orchestrator.ExecuteAsync(init)).All.Should().ContainSingle();
        return init;
    }

    [Fact]
    public async Task ExecuteAsync_InvalidSubject_ThrowsExecutionViolationWithoutTouchingMemory()
    {
        var evt = MachineEvents.Init().WithSubject("plain-subject");

        await ExpectViolationLeavingMemoryUntouched<ExecutionViolation>(
            Orchestrator(), evt, $"ViolationError<Execution> Invalid event (id={evt.Id}) subject format.*");

        _memory.Calls.Should().BeEmpty("the subject is checked before the lock");
    }

    [Fact]
    public async Task ExecuteAsync_LockThrows_ThrowsLockFailure()
    {
        // O-6
        _memory.LockError = new Exception("Locking system failure!");
        var init = MachineEvents.Init();

        var violation = await ExpectViolationLeavingMemoryUntouched<TransactionViolation>(
            Orchestrator(), init, $"ViolationError<OrchestratorTransaction> [LOCK_MACHINE_MEMORY_FAILURE] Error acquiring lock for event (subject={init.Subject}): Locking system failure!");

        violation.Cause.Should().Be(TransactionViolationCause.LockMachineMemoryFailure);
        violation.InitiatingEvent.Should().Be(init);
        _memory.Ops.Should().Equal("lock");
    }

    [Fact]
    public async Task ExecuteAsync_LockHeldElsewhere_ThrowsLockUnacquiredAndKeepsTheOtherLock()
    {
        // O-3
        var init = MachineEvents.Init();
        var other = MachineMemoryLockToken.NewToken();
        (await _memory.Inner.LockAsync(init.Subject, other)).Should().BeTrue();

        var act = async () => await Orchestrator().ExecuteAsync(init);

        var violation = (await act.Should().ThrowAsync<TransactionViolation>()
            .WithMessage("ViolationError<OrchestratorTransaction> [LOCK_UNACQUIRED] Lock acquisition denied - Unable to obtain exclusive access to event processing")).Which;
        violation.Cause.Should().Be(TransactionViolationCause.LockUnacquired);
        TransactionViolation.IsTransactionViolation(violation, TransactionViolationCause.LockUnacquired).Should().BeTrue();
        _memory.Ops.Should().Equal("lock");
        (await _memory.Inner.ReadRecordAsync(init.Subject)).Should().BeNull();
        (await _memory.Inner.LockAsync(init.Subject, MachineMemoryLockToken.NewToken())).Should().BeFalse("the other owner still holds it");
    }

    [Fact]
    public async Task ExecuteAsync_ReadThrows_ThrowsReadFailureAndReleasesTheLock()
    {
        // O-6
        _memory.ReadError = new Exception("Failed to acquire memory");
        var init = MachineEvents.Init();

        var violation = await ExpectViolationLeavingMemoryUntouched<TransactionViolation>(
            Orchestrator(), init, $"ViolationError<OrchestratorTransaction> [READ_MACHINE_MEMORY_FAILURE] Error reading state for event (subject={init.Subject}): Failed to acquire memory");

        violation.Cause.Should().Be(TransactionViolationCause.ReadMachineMemoryFailure);
        _memory.Ops.Should().Equal("lock", "read", "unlock");
    }

    [Fact]
    public async Task ExecuteAsync_WriteThrows_ThrowsWriteFailureAndReturnsNothing()
    {
        // O-6
        _memory.WriteError = new Exception("Failed to write memory");
        var init = MachineEvents.Init();

        var violation = await ExpectViolationLeavingMemoryUntouched<TransactionViolation>(
            Orchestrator(), init, $"ViolationError<OrchestratorTransaction> [WRITE_MACHINE_MEMORY_FAILURE] Error writing state for event (subject={init.Subject}): Failed to write memory", writeAttempted: true);

        violation.Cause.Should().Be(TransactionViolationCause.WriteMachineMemoryFailure);
        _memory.Ops.Should().Equal("lock", "read", "write", "unlock");
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentWriteConflict_ThrowsWriteFailure()
    {
        // Compare-and-set: the record changed between this execution's read and its write.
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(0.1).Machines(CounterMachine.CreateTestMachine()).Build();
        var init = MachineEvents.Init();
        var gate = new TaskCompletionSource();
        _memory.HoldFirstRead = gate.Task;
        var first = orchestrator.ExecuteAsync(init).AsTask();
        (await orchestrator.ExecuteAsync(init)).All.Should().ContainSingle("the second execution runs while the first waits in its read");
        gate.SetResult();

        var act = async () => await first;

        (await act.Should().ThrowAsync<TransactionViolation>()).Which.Cause.Should().Be(TransactionViolationCause.WriteMachineMemoryFailure);
    }

    [Fact]
    public async Task ExecuteAsync_NoMachineForTheSubjectVersion_ThrowsConfigViolation()
    {
        var init = MachineEvents.Init().WithSubject(ArvoOrchestrationSubject.New("arvo.orc.test", "9.9.9", MachineEvents.Initiator));

        await ExpectViolationLeavingMemoryUntouched<ConfigViolation>(
            Orchestrator(), init, "ViolationError<Config> Machine resolution failed: No machine found matching orchestrator name='arvo.orc.test' and version='9.9.9'.");

        _memory.Ops.Should().Equal("lock", "read", "unlock");
    }

    [Fact]
    public async Task ExecuteAsync_EventTypeUnknownToTheMachine_ThrowsConfigViolation()
    {
        var orchestrator = Orchestrator();
        var init = await StartedWorkflow(orchestrator);

        await ExpectViolationLeavingMemoryUntouched<ConfigViolation>(
            orchestrator,
            MachineEvents.Of("com.unknown.event", init.Subject).WithDataSchema("#/test/unknown/0.0.1"),
            "ViolationError<Config> Contract validation failed - Event does not match any registered contract schemas in the machine");
    }

    [Theory]
    [InlineData("#/test/service/increment/0.0.2", "*Contract version mismatch*")]
    [InlineData("#/wrong/uri/0.0.1", "*Contract URI mismatch*")]
    [InlineData("not-a-dataschema", "*Event dataschema resolution failed*")]
    public async Task ExecuteAsync_BadDataschema_ThrowsContractViolation(string dataschema, string detail)
    {
        var orchestrator = Orchestrator();
        var init = await StartedWorkflow(orchestrator);
        var answer = MachineEvents.IncrementSuccess(init.Subject).WithDataSchema(dataschema);

        await ExpectViolationLeavingMemoryUntouched<ContractViolation>(
            orchestrator, answer, "ViolationError<Contract> Input validation failed - Event data does not meet contract requirements: " + detail);
    }

    [Fact]
    public async Task ExecuteAsync_InvalidData_ThrowsContractViolation()
    {
        var orchestrator = Orchestrator();
        var init = await StartedWorkflow(orchestrator);
        var answer = MachineEvents.IncrementSuccess(init.Subject).WithData(JsonSerializer.SerializeToElement(new { newValue = "ten" }));

        await ExpectViolationLeavingMemoryUntouched<ContractViolation>(
            orchestrator, answer, "ViolationError<Contract> Input validation failed - Event data does not meet contract requirements*");
    }

    [Fact]
    public async Task ExecuteAsync_InitWithoutParentSubject_ThrowsContractViolation()
    {
        var init = MachineEvents.RawInit(new { delta = 1, type = "increment" });

        await ExpectViolationLeavingMemoryUntouched<ContractViolation>(
            Orchestrator(), init, "ViolationError<Contract> Input validation failed - Event data does not meet contract requirements*");
    }

    [Fact]
    public async Task ExecuteAsync_ActionThrowsExecutionViolation_Rethrows()
    {
        var orchestrator = DumbFixture.Orchestrator(_memory, () => new ExecutionViolation("Violation error"));

        await ExpectViolationLeavingMemoryUntouched<ExecutionViolation>(orchestrator, DumbFixture.Init(), "ViolationError<Execution> Violation error");
    }

    [Fact]
    public async Task ExecuteAsync_EmittedServiceDataInvalid_ThrowsContractViolation()
    {
        var machine = OrchestrationTestMachines.Variant(increment: a => a.Emit(_ => ArvoMachineEmit.Create("com.number.increment", new { delta = "one" })));

        await ExpectViolationLeavingMemoryUntouched<ContractViolation>(
            Orchestrator(machine), MachineEvents.Init(), "ViolationError<Contract> [Emittable Event Creation] Invalid event data: Schema validation failed.\nEvent type: com.number.increment\nDetails: *");
    }

    [Fact]
    public async Task ExecuteAsync_ChildInitWithInvalidParentSubject_ThrowsExecutionViolation()
    {
        // N-5 on a memory spy: number.modifier v0.0.2 decrement emits a child init with parentSubject$$ = "test".
        var fixture = new ReferenceFixture();
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(_memory)
            .ExecutionUnits(0.1)
            .Machines(ReferenceMachines.NumberModifier("0.0.1"), ReferenceMachines.NumberModifier("0.0.2"))
            .RequiresResourceLocking(true)
            .Build();
        var write = (await orchestrator.ExecuteAsync(ReferenceFixture.NumberModifierInit("0.0.2", 1, 4, "decrement"))).All.Single();
        var written = (await fixture.ValueWrite.ExecuteAsync(write)).All.Single();

        await ExpectViolationLeavingMemoryUntouched<ExecutionViolation>(
            orchestrator,
            written,
            "ViolationError<Execution> [Emittable Event Creation] Invalid parentSubject$$ for the event(type='arvo.orc.dec', uri='#/test/orchestrator/decrement/0.0.2'). It must be follow the ArvoOrchestrationSubject schema. The easiest way is to use the current orchestration subject by storing the subject via the context block in the machine definition.");
    }

    [Fact]
    public async Task ExecuteAsync_InvalidChildSubjectParameters_ThrowsExecutionViolation()
    {
        // A literal domain that is not a valid domain makes the child subject fail.
        var machine = ArvoMachine.Setup<DumbContext>(DumbFixture.Contract.Version("1.0.0"))
            .Service("inc", ReferenceContracts.Inc.Version("0.0.1"))
            .CreateMachine("bad-child", m => m
                .Context(_ => new DumbContext())
                .Initial("start")
                .State("start", s => s.Entry(a => a.Emit(_ => ArvoMachineEmit.Create(
                    "arvo.orc.inc",
                    new System.Text.Json.Nodes.JsonObject { ["parentSubject$$"] = null, ["key"] = "k", ["modifier"] = 1, ["trend"] = "linear" }) with { Domain = ["Not A Domain"] })))
                .Final("done"));

        await ExpectViolationLeavingMemoryUntouched<ExecutionViolation>(
            Orchestrator(machine), DumbFixture.Init(), "ViolationError<Execution> [Emittable Event Creation] Orchestration subject creation failed due to invalid parameters - Event: arvo.orc.inc - *");
    }

    [Fact]
    public async Task ExecuteAsync_FailureRecord_IgnoresTheEventAndReleasesTheLock()
    {
        var orchestrator = DumbFixture.Orchestrator(_memory, () => new Exception("Normal error"));
        var init = DumbFixture.Init();
        await orchestrator.ExecuteAsync(init);
        var before = await StoredJson(_memory.Inner, init.Subject);
        var callsBefore = _memory.Calls.Count;

        var result = await orchestrator.ExecuteAsync(DumbFixture.ServiceSuccess(init.Subject));

        result.All.Should().BeEmpty();
        _memory.Calls.Skip(callsBefore).Select(c => c.Op).Should().Equal("read");
        (await StoredJson(_memory.Inner, init.Subject)).Should().Be(before);
    }

    [Fact]
    public async Task ExecuteAsync_NonViolationOnExistingWorkflow_WritesTheFailureRecordAgainstTheRecordRead()
    {
        var machine = OrchestrationTestMachines.Variant(
            increment: a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }),
            notification: a => a.Run((_, _) => throw new InvalidOperationException("Notification failed")));
        var orchestrator = Orchestrator(machine);
        var init = MachineEvents.Init();
        var command = (await orchestrator.ExecuteAsync(init)).All.Single();
        var callsBefore = _memory.Calls.Count;

        var result = await orchestrator.ExecuteAsync(OrchestrationTestMachines.IncrementSuccess(command, 3));

        var error = result.All.Should().ContainSingle().Subject;
        error.Type.Should().Be("sys.arvo.orc.test.error");
        error.ParentId.Should().Be(init.Id, "the stored initEventId");
        error.To.Should().Be(MachineEvents.Initiator);
        error.Data.GetProperty("errorName").GetString().Should().Be("InvalidOperationException");
        error.Data.GetProperty("errorMessage").GetString().Should().Be("Notification failed");
        _memory.Calls.Skip(callsBefore).Should().Equal(
            ("lock", init.Subject, true), ("read", init.Subject, true), ("write", init.Subject, true), ("unlock", init.Subject, true));
        var record = (await _memory.Inner.ReadRecordAsync(init.Subject)).Should().BeOfType<MachineMemoryFailureRecord>().Subject;
        record.Error.Message.Should().Be("Notification failed");
    }

    [Fact]
    public async Task ExecuteAsync_FailureRecordWriteFails_StillReturnsTheSystemError()
    {
        _memory.WriteError = new Exception("Store down");
        var orchestrator = DumbFixture.Orchestrator(_memory, () => new Exception("Normal error"));
        var init = DumbFixture.Init();

        var result = await orchestrator.ExecuteAsync(init);

        result.All.Should().ContainSingle().Which.Type.Should().Be("sys.arvo.orc.dumb.error");
        (await _memory.Inner.ReadRecordAsync(init.Subject)).Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_UnlockThrows_ResultIsUnaffected()
    {
        _memory.UnlockError = new Exception("Unlock failed");
        var init = MachineEvents.Init();

        var result = await Orchestrator().ExecuteAsync(init);

        result.All.Should().ContainSingle().Which.Type.Should().Be("com.number.increment");
        _memory.Ops.Should().Equal("lock", "read", "write", "unlock");
        (await _memory.Inner.ReadRecordAsync(init.Subject)).Should().BeOfType<MachineMemoryStateRecord>();
    }

    [Fact]
    public async Task ExecuteAsync_NoRecordAndNotInit_ReleasesTheLockAndPersistsNothing()
    {
        var evt = MachineEvents.IncrementSuccess(ArvoOrchestrationSubject.New("arvo.orc.test", "0.0.1", MachineEvents.Initiator));

        var result = await Orchestrator().ExecuteAsync(evt);

        result.All.Should().BeEmpty();
        _memory.Ops.Should().Equal("lock", "read", "unlock");
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_ThrowsOperationCanceledAndPersistsNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var init = MachineEvents.Init();

        var act = async () => await Orchestrator().ExecuteAsync(init, cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await _memory.Inner.ReadRecordAsync(init.Subject)).Should().BeNull();
    }
}
