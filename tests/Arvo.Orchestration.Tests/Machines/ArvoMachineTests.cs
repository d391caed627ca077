using Arvo.Contracts;
using Arvo.Events;
using Arvo.Machines;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>Scenarios MS-6 (locking requirement) and MS-7 (validateInput) on the TestMachine.</summary>
public sealed class ArvoMachineTests
{
    private static ArvoMachine<CounterContext> Machine { get; } = CounterMachine.CreateTestMachine();

    private static ArvoEvent Event(string type, string? dataschema, object data) =>
        ArvoEvent.Create(new ArvoEventInit
        {
            Source = MachineEvents.Initiator,
            Type = type,
            Subject = ArvoOrchestrationSubject.New("arvo.orc.test", "0.0.1", MachineEvents.Initiator),
            DataSchema = dataschema,
            Data = data,
        });

    private static ArvoMachineSetup<CounterContext> Setup() => ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"));

    // ---- MS-6 ----

    [Fact]
    public void RequiresResourceLocking_TestMachine_IsFalse()
    {
        Machine.RequiresResourceLocking.Should().BeFalse();
    }

    [Fact]
    public void RequiresResourceLocking_ParallelState_IsTrue()
    {
        var machine = Setup()
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .CreateMachine("parallel", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("work")
                .Parallel("work", p => p
                    .Region("left", r => r.Initial("l1").Final("l1"))
                    .OnDone("done"))
                .Final("done"));

        machine.HasParallelStates.Should().BeTrue();
        machine.RequiresResourceLocking.Should().BeTrue();
    }

    [Fact]
    public void RequiresResourceLocking_ParallelStateWithoutRegions_IsTrue()
    {
        var machine = Setup()
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .CreateMachine("inc", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("command")
                .Parallel("command", p => p
                    .Entry(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }))
                    .On("evt.number.increment.success", "done"))
                .Final("done"));

        machine.RequiresResourceLocking.Should().BeTrue();
    }

    [Fact]
    public void RequiresResourceLocking_ServiceWithTwoEmitTypes_IsTrue()
    {
        var machine = Setup()
            .Service("multi", CounterContracts.TwoEmits.Version("0.0.1"))
            .CreateMachine("multi", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("done")
                .Final("done"));

        machine.HasParallelStates.Should().BeFalse();
        machine.RequiresResourceLocking.Should().BeTrue();
    }

    // ---- MS-7 ----

    [Fact]
    public void ValidateInput_OrchestratorFactoryInit_IsValid()
    {
        var result = Machine.ValidateInput(MachineEvents.Init(delta: 1, type: "decrement"));

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
        result.Role.Should().Be(ArvoContractRole.Self);
    }

    [Fact]
    public void ValidateInput_InitWithInvalidType_IsInvalidDataOnType()
    {
        var result = Machine.ValidateInput(Event("arvo.orc.test", "#/test/machine/0.0.1", new Dictionary<string, object?> { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "test" }));

        result.Kind.Should().Be(ArvoInputValidationKind.InvalidData);
        result.Validation!.Issues.Should().ContainSingle().Which.Path.Should().Be("$.type");
    }

    [Fact]
    public void ValidateInput_InitWithoutDataschema_IsInvalid()
    {
        var result = Machine.ValidateInput(Event("arvo.orc.test", null, new Dictionary<string, object?> { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "increment" }));

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
    }

    [Fact]
    public void ValidateInput_InitWithSelfDataschema_IsValid()
    {
        var result = Machine.ValidateInput(Event("arvo.orc.test", "#/test/machine/0.0.1", new Dictionary<string, object?> { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "increment" }));

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
    }

    [Fact]
    public void ValidateInput_InitWithOtherSelfVersion_IsInvalidVersionMismatch()
    {
        var result = Machine.ValidateInput(Event("arvo.orc.test", "#/test/machine/0.0.2", new Dictionary<string, object?> { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "increment" }));

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Error.Should().Be(
            "Contract version mismatch: self Contract(version='0.0.1', type='arvo.orc.test', uri=#/test/machine) does not match Event(dataschema='#/test/machine/0.0.2', type='arvo.orc.test')");
    }

    [Fact]
    public void ValidateInput_InitWithOtherUri_IsInvalidUriMismatch()
    {
        var result = Machine.ValidateInput(Event("arvo.orc.test", "#/test/machine/invalid/0.0.1", new Dictionary<string, object?> { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "increment" }));

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Error.Should().Be(
            "Contract URI mismatch: self Contract(uri='#/test/machine', type='arvo.orc.test') does not match Event(dataschema='#/test/machine/invalid/0.0.1', type='arvo.orc.test')");
    }

    [Fact]
    public void ValidateInput_UnknownType_IsContractUnresolved()
    {
        var result = Machine.ValidateInput(Event("com.test.test", "#/test/machine/0.0.1", new { }));

        result.Kind.Should().Be(ArvoInputValidationKind.ContractUnresolved);
    }

    [Fact]
    public void ValidateInput_UnparsableDataschema_IsInvalid()
    {
        var result = Machine.ValidateInput(Event("com.test.test", "saad", new { }));

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
    }

    [Fact]
    public void ValidateInput_ServiceEventOfRegisteredVersion_IsValid()
    {
        var result = Machine.ValidateInput(MachineEvents.IncrementSuccess(MachineEvents.Init().Subject, version: "0.0.1"));

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
        result.Role.Should().Be(ArvoContractRole.Service);
    }

    [Fact]
    public void ValidateInput_ServiceEventOfOtherVersion_IsInvalidVersionMismatch()
    {
        var result = Machine.ValidateInput(MachineEvents.IncrementSuccess(MachineEvents.Init().Subject, version: "0.0.2"));

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Error.Should().Be(
            "Contract version mismatch: service Contract(version='0.0.1', type='com.number.increment', uri=#/test/service/increment) does not match Event(dataschema='#/test/service/increment/0.0.2', type='evt.number.increment.success')");
    }
}
