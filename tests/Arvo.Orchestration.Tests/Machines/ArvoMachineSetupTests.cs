using Arvo.Machines;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>Scenarios MS-1..MS-5 and every build-time ConfigViolation of machine definitions (orchestrator.md 2.1, 2.2).</summary>
public sealed class ArvoMachineSetupTests
{
    private static ArvoMachineSetup<CounterContext> Setup() =>
        ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("notification", CounterContracts.Notification.Version("0.0.1"));

    private static ArvoMachine<CounterContext> Create(Action<ArvoMachineBuilder<CounterContext>> configure) =>
        Setup().CreateMachine("counter", m =>
        {
            m.Context(input => input.GetData<CounterContext>()!);
            configure(m);
        });

    private static Task<object?> AsyncOutput(CounterContext context) => Task.FromResult<object?>(new { final = context.Delta });

    private static Task<object> AsyncData(CounterContext context) => Task.FromResult<object>(new { delta = context.Delta });

    // ---- MS-1 ----

    [Fact]
    public void CreateMachine_ValidSetup_ExposesIdSourceAndVersion()
    {
        var machine = ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Service("decrement", CounterContracts.Decrement.Version("0.0.1"))
            .Service("notification", CounterContracts.Notification.Version("0.0.1"))
            .Action("log", a => a.Run((_, _) => { }))
            .Guard("isIncrement", ctx => ctx.Type == "increment")
            .CreateMachine("counter", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("idle")
                .State("idle", s => s.On("evt.number.increment.success", "done", t => t.Guard("isIncrement").Action("log")))
                .Final("done"));

        machine.Source.Should().Be("arvo.orc.test");
        machine.Version.Should().Be("0.0.1");
        machine.Id.Should().Be("counter");
        machine.Self.Should().BeSameAs(CounterContracts.Machine.Version("0.0.1"));
        machine.Services.Keys.Should().Equal("increment", "decrement", "notification");
        machine.ToString().Should().Be("ArvoMachine(id=counter, source=arvo.orc.test, version=0.0.1)");
    }

    [Fact]
    public void CreateMachine_SeedCounterMachine_Builds()
    {
        var machine = CounterMachine.Create();

        machine.Id.Should().Be("counter");
        machine.MaxMicrosteps.Should().Be(1000);
        machine.HasParallelStates.Should().BeFalse();
    }

    // ---- MS-2 ----

    [Theory]
    [InlineData("0.0.2")]
    [InlineData("0.0.1")]
    public void Service_SameUriTwice_ThrowsConfigViolation(string secondVersion)
    {
        var setup = ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"))
            .Service("increment1", CounterContracts.Increment.Version("0.0.1"));

        var act = () => setup.Service("increment2", CounterContracts.Increment.Version(secondVersion));

        act.Should().Throw<ConfigViolation>().Which.Message.Should().Be(
            "ViolationError<Config> In ArvoMachine, the service contracts must have unique URIs. Multiple versions of the same contract are not allow. The contracts 'increment2' and 'increment1' have the same URI '#/test/service/increment'");
    }

    // ---- MS-3 ----

    [Fact]
    public void Service_SelfContract_ThrowsCircularDependency()
    {
        var setup = ArvoMachine.Setup<CounterContext>(CounterContracts.Machine.Version("0.0.1"));

        var act = () => setup.Service("testMachine", CounterContracts.Machine.Version("0.0.1"));

        act.Should().Throw<ConfigViolation>().Which.Message.Should().Be(
            "ViolationError<Config> In ArvoMachine, Circular dependency detected: Machine with URI '#/test/machine' is registered as service 'testMachine'. Self-referential services create execution loops and are prohibited.");
    }

    [Fact]
    public void Service_NameTwice_ThrowsConfigViolation()
    {
        var act = () => Setup().Service("increment", CounterContracts.Decrement.Version("0.0.1"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be("In ArvoMachine, the service name 'increment' is registered twice");
    }

    [Fact]
    public void Setup_SelfNotAnOrchestratorContract_ThrowsConfigViolation()
    {
        var act = () => ArvoMachine.Setup<CounterContext>(CounterContracts.Increment.Version("0.0.1"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "In ArvoMachine, the self contract must be a version of an ArvoOrchestratorContract, received '#/test/service/increment' (type 'com.number.increment')");
    }

    // ---- MS-4 ----

    [Fact]
    public void Action_ReservedName_ThrowsConfigViolation()
    {
        var act = () => Setup().Action("enqueueArvoEvent", a => a.Run((_, _) => { }));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: Reserved action name 'enqueueArvoEvent' - the name belongs to the built-in action that enqueues raw Arvo events and cannot be redefined. Use a different action name. Location: setup > actions > enqueueArvoEvent");
    }

    [Fact]
    public void CreateMachine_StateNamedEnqueueArvoEvent_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("enqueueArvoEvent").State("enqueueArvoEvent", s => s.On("*", "done")).Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: Reserved action name 'enqueueArvoEvent' cannot name a state of machine 'counter' (version '0.0.1'). Location: enqueueArvoEvent");
    }

    [Fact]
    public void CreateMachine_NamedActionReferenceToEnqueueArvoEvent_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.Entry(a => a.Action("enqueueArvoEvent"))));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: Reserved action name 'enqueueArvoEvent' is used as a named action in machine 'counter' (version '0.0.1'), state 'idle', event 'entry'; call EnqueueArvoEvent(…) instead. Location: idle > entry");
    }

    [Fact]
    public void CreateMachine_EnqueueArvoEventAction_IsAccepted()
    {
        var machine = Create(m => m
            .Initial("idle")
            .State("idle", s => s.Entry(a => a.EnqueueArvoEvent("notif.number.update", ctx => new { delta = ctx.Delta, type = "increment" }))));

        machine.Id.Should().Be("counter");
    }

    // ---- MS-5 ----

    [Fact]
    public void CreateMachine_OtherVersion_ThrowsVersionMismatch()
    {
        var act = () => Create(m => m.Version("0.0.3").Initial("done").Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Message.Should().Be(
            "ViolationError<Config> Version mismatch: Machine version must be '0.0.1' or not set, received '0.0.3'");
    }

    [Fact]
    public void CreateMachine_NoVersion_UsesSelfVersion()
    {
        var machine = Create(m => m.Initial("done").Final("done"));

        machine.Version.Should().Be("0.0.1");
    }

    // ---- Build-time checks naming machine, state and event ----

    [Fact]
    public void CreateMachine_UnknownTargetState_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.On("evt.number.increment.success", "nowhere")).Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: unknown target state 'nowhere' in machine 'counter' (version '0.0.1'), state 'idle', event 'evt.number.increment.success'. Declared states: idle, done. Location: idle > on > evt.number.increment.success > target");
    }

    [Fact]
    public void CreateMachine_UnknownAlwaysTarget_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.Always("nowhere")));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: unknown target state 'nowhere' in machine 'counter' (version '0.0.1'), state 'idle', event 'always'. Declared states: idle. Location: idle > always > target");
    }

    [Fact]
    public void CreateMachine_UndeclaredEventType_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.On("evt.unknown.type", "done")).Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the event type 'evt.unknown.type' in machine 'counter' (version '0.0.1'), state 'idle', is not declared by any service contract. A state can listen to a service emit type, a service system error type (sys.<type>.error) or '*'. Declared types: evt.number.increment.success, sys.com.number.increment.error, sys.notif.number.update.error. Location: idle > on > evt.unknown.type");
    }

    [Theory]
    [InlineData("evt.number.increment.success")]
    [InlineData("sys.com.number.increment.error")]
    [InlineData("sys.notif.number.update.error")]
    [InlineData("*")]
    public void CreateMachine_DeclaredEventType_IsAccepted(string eventType)
    {
        var machine = Create(m => m.Initial("idle").State("idle", s => s.On(eventType, "done")).Final("done"));

        machine.Id.Should().Be("counter");
    }

    [Fact]
    public void CreateMachine_OwnCommandTypeAsEvent_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.On("com.number.increment", "done")).Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().StartWith(
            "Configuration Error: the event type 'com.number.increment' in machine 'counter' (version '0.0.1'), state 'idle', is not declared by any service contract.");
    }

    [Fact]
    public void CreateMachine_EmitOfUndeclaredType_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.Entry(a => a.Emit("com.unknown.command", ctx => new { }))));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the emitted event type 'com.unknown.command' in machine 'counter' (version '0.0.1'), state 'idle', event 'entry', is not accepted by any service contract. Service types: com.number.increment, notif.number.update. Emit undeclared events with the function form Emit(ctx => ArvoMachineEmit.Create(…)). Location: idle > entry");
    }

    [Fact]
    public void CreateMachine_ConstantEnqueueOfUndeclaredTypeInTransition_ThrowsConfigViolation()
    {
        var act = () => Create(m => m
            .Initial("idle")
            .State("idle", s => s.On("evt.number.increment.success", "done", t => t.EnqueueArvoEvent(ArvoMachineEmit.Create("com.notif.test", new { }))))
            .Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().StartWith(
            "Configuration Error: the emitted event type 'com.notif.test' in machine 'counter' (version '0.0.1'), state 'idle', event 'evt.number.increment.success', is not accepted by any service contract.");
    }

    [Fact]
    public void CreateMachine_NamedActionEmittingUndeclaredType_ThrowsAtUse()
    {
        var act = () => Setup()
            .Action("notify", a => a.Emit("com.unknown.command", _ => new { }))
            .CreateMachine("counter", m => m
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("idle")
                .State("idle", s => s.Exit(a => a.Action("notify"))));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().EndWith("Location: idle > exit");
    }

    [Fact]
    public void CreateMachine_FunctionEmitOfUndeclaredType_IsAccepted()
    {
        var machine = Create(m => m
            .Initial("idle")
            .State("idle", s => s.Entry(a => a.EnqueueArvoEvent(_ => ArvoMachineEmit.Create("com.notif.test", new { })))));

        machine.Id.Should().Be("counter");
    }

    [Fact]
    public void CreateMachine_NoInitialState_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.State("idle").Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: machine 'counter' (version '0.0.1') has no initial state. Call Initial(…) with one of: idle, done.");
    }

    [Fact]
    public void CreateMachine_UnknownInitialState_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("start").State("idle"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the initial state 'start' of machine 'counter' (version '0.0.1') is not a top-level state. Declared top-level states: idle. Location: counter > initial");
    }

    [Fact]
    public void CreateMachine_NoStates_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be("Configuration Error: machine 'counter' (version '0.0.1') declares no states.");
    }

    [Fact]
    public void CreateMachine_NoContextFactory_ThrowsConfigViolation()
    {
        var act = () => Setup().CreateMachine("counter", m => m.Initial("done").Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: machine 'counter' (version '0.0.1') has no context factory. Call Context(input => …) to create the context from the init event.");
    }

    [Fact]
    public void CreateMachine_DuplicateStateName_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle").Final("idle"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the state 'idle' is declared twice in machine 'counter' (version '0.0.1'). State names are unique among siblings. Location: idle");
    }

    [Fact]
    public void CreateMachine_FinalStateWithTransition_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("done").Final("done", s => s.On("*", "done")));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the final state 'done' of machine 'counter' (version '0.0.1') declares a transition on '*'. Final states have no transitions. Location: done > on > *");
    }

    [Fact]
    public void CreateMachine_UnknownGuard_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.Always("done", t => t.Guard("isReady"))).Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: unknown guard 'isReady' in machine 'counter' (version '0.0.1'), state 'idle', event 'always'. Registered guards: (none). Location: idle > always > guard");
    }

    [Fact]
    public void CreateMachine_UnknownNamedAction_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.On("*", "done", t => t.Action("log"))).Final("done"));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: unknown action 'log' in machine 'counter' (version '0.0.1'), state 'idle', event '*'. Registered actions: (none). Location: idle > on > * > actions");
    }

    // ---- Asynchronous delegates ----

    [Fact]
    public void CreateMachine_AsyncVoidAction_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.Entry(a => a.Run(async (_, _) => await Task.Yield()))));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: asynchronous delegates are not supported in Arvo machines. Guards, actions, context and output functions must be synchronous and pure (received a delegate returning 'Void' declared async). Location: idle > entry");
    }

    [Fact]
    public void CreateMachine_EmitDataReturningTask_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("idle").State("idle", s => s.On("*", "idle", t => t.Emit("com.number.increment", AsyncData))));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: asynchronous delegates are not supported in Arvo machines. Guards, actions, context and output functions must be synchronous and pure (received a delegate returning 'Task`1'). Location: idle > on > * > actions");
    }

    [Fact]
    public void CreateMachine_OutputReturningTask_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("done").Final("done").Output(AsyncOutput));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().EndWith("(received a delegate returning 'Task`1'). Location: counter > output");
    }

    [Fact]
    public void Action_AsyncVoidNamedAction_ThrowsConfigViolation()
    {
        var act = () => Setup().Action("log", a => a.Run(async (_, _) => await Task.Yield()));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().EndWith("declared async). Location: setup > actions > log");
    }

    [Fact]
    public void Execute_EmitDataIsTaskAtRunTime_ThrowsConfigViolation()
    {
        var machine = Create(m => m.Initial("idle").State("idle", s => s.Entry(a => a.Emit("com.number.increment", ctx => Task.FromResult(1)))));

        var act = () => MachineExecutionEngine.Instance.Execute(machine, null, MachineEvents.Init());

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the data of the emitted event 'com.number.increment' in machine 'counter' (version '0.0.1') is a task. Machines must be synchronous: compute the data without async code.");
    }

    // ---- Parallel regions ----

    // XState v5 lets a region state target a state outside its parallel state (issue 16; this was a ConfigViolation).
    [Fact]
    public void CreateMachine_RegionTargetOutsideRegion_Builds()
    {
        var machine = Create(m => m
            .Initial("work")
            .Parallel("work", p => p
                .Region("left", r => r.Initial("l1").State("l1", s => s.On("evt.number.increment.success", "done")))
                .OnDone("done"))
            .Final("done"));

        machine.HasParallelStates.Should().BeTrue();
    }

    [Fact]
    public void CreateMachine_RegionWithoutInitial_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("work").Parallel("work", p => p.Region("left", r => r.Final("l1"))));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be(
            "Configuration Error: the region 'left' of machine 'counter' (version '0.0.1'), state 'work', has no initial state. Location: work > left > initial");
    }

    [Fact]
    public void CreateMachine_InitialIsRegionState_ThrowsConfigViolation()
    {
        var act = () => Create(m => m.Initial("l1").Parallel("work", p => p.Region("left", r => r.Initial("l1").Final("l1"))));

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().StartWith(
            "Configuration Error: the initial state 'l1' of machine 'counter' (version '0.0.1') is not a top-level state.");
    }
}
