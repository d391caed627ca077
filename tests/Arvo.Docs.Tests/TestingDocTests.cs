using Arvo.Events;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Testing;
using Arvo.Testing.Memory;

namespace Arvo.Docs;

// docs:system:begin
// What the suites below test: a greeting service and a workflow that calls it.
public static class TestSubjects
{
    public static readonly ArvoContract GreeterContract = ArvoContract.Create("#/demo/greeter", "com.demo.greet", contract => contract
        .Version("1.0.0", version => version
            .Accepts("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")
            .Emits("evt.demo.greet.success", """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""")));

    public static readonly ArvoOrchestratorContract WelcomeContract = ArvoContract.CreateOrchestrator("#/demo/welcome", "demo.welcome", contract => contract
        .Version("1.0.0", version => version
            .Init("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")
            .Complete("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""")));

    public static readonly ArvoEventHandler Greeter = ArvoEventHandler.CreateBuilder(GreeterContract)
        .Version("1.0.0", ctx => ArvoHandlerOutput.Emit("evt.demo.greet.success", new { text = $"Hello, {ctx.Data.GetProperty("name").GetString()}!" }))
        .Build();

    public static readonly ArvoMachine<WelcomeContext> WelcomeMachine = ArvoMachine.Setup<WelcomeContext>(WelcomeContract.Version("1.0.0"))
        .Service("greeter", GreeterContract.Version("1.0.0"))
        .CreateMachine("welcome", m => m
            .Context(input => new WelcomeContext(input.Data.GetProperty("name").GetString()!, Text: null))
            .Initial("greeting")
            .State("greeting", s => s
                .Entry(a => a.Emit("com.demo.greet", ctx => new { name = ctx.Name }))
                .On("evt.demo.greet.success", "done", t => t.Assign((ctx, evt) => ctx with { Text = evt.Data.GetProperty("text").GetString() })))
            .Final("done")
            .Output(ctx => new { text = ctx.Text }));

    public static ArvoEvent GreetRequest(object data) =>
        new ArvoEventFactory(GreeterContract.Version("1.0.0")).Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, data);

    public static ArvoEvent WelcomeInit(string name) =>
        new ArvoOrchestratorEventFactory(WelcomeContract.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { name });
}

public sealed record WelcomeContext(string Name, string? Text);
// docs:system:end

// docs:handler-suite:begin
public sealed class GreeterSuiteTests
{
    private static readonly ArvoTestSuite Suite = new(TestSubjects.Greeter,
    [
        new ArvoTestCase
        {
            Name = "greets by name",
            Steps = [ArvoTestStep.Send(TestSubjects.GreetRequest(new { name = "Ada" }), events =>
                events.Single() is { Type: "evt.demo.greet.success" } answer
                && answer.Data.GetProperty("text").GetString() == "Hello, Ada!")],
        },
        new ArvoTestCase
        {
            Name = "rejects a name that is not a string",
            Steps =
            [
                new ArvoTestStep
                {
                    // An event the factory would refuse to build, as a careless producer might send it.
                    Input = _ => ValueTask.FromResult(ArvoEvent.Create(new ArvoEventInit
                    {
                        Source = "com.demo.client",
                        Type = "com.demo.greet",
                        Subject = "test",
                        DataSchema = "#/demo/greeter/1.0.0",
                        Data = new { name = 42 },
                    })),
                    ExpectedError = error => error is ContractViolation,
                },
            ],
        },
        new ArvoTestCase
        {
            Name = "answers 20 concurrent requests",
            Repeat = new ArvoTestRepeat(Times: 20, SuccessThreshold: 100),
            Steps = [ArvoTestStep.Send(TestSubjects.GreetRequest(new { name = "Grace" }), events => events.Count == 1)],
        },
    ]);

    public static IEnumerable<object[]> Cases => Suite.CaseNames;

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Suite_Case_Passes(string name) => Suite.AssertCaseAsync(name);
}
// docs:handler-suite:end

// docs:workflow-suite:begin
public sealed class WelcomeWorkflowSuiteTests
{
    private static readonly ArvoOrchestrator Orchestrator = ArvoOrchestrator.CreateBuilder()
        .Memory(new SimpleMachineMemory<MachineMemoryRecord>())
        .ExecutionUnits(1)
        .Machines(TestSubjects.WelcomeMachine)
        .Build();

    private static readonly ArvoTestSuite Suite = new(Orchestrator,
    [
        new ArvoTestCase
        {
            Name = "greets, then completes with the greeting",
            Steps =
            [
                new ArvoTestStep
                {
                    Input = _ => ValueTask.FromResult(TestSubjects.WelcomeInit("Ada")),
                    ExpectedEvents = events => events.Single().Type == "com.demo.greet",
                },
                new ArvoTestStep
                {
                    // Each step's input is built from the events of the step before: here, the service's answer.
                    Input = async previous => (await TestSubjects.Greeter.ExecuteAsync(previous![0])).All.Single(),
                    ExpectedEvents = events => events.Single() is { Type: "arvo.orc.demo.welcome.done" } done
                        && done.Data.GetRawText() == """{"text":"Hello, Ada!"}""",
                },
            ],
        },
    ]);

    public static IEnumerable<object[]> Cases => Suite.CaseNames;

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Suite_Case_Passes(string name) => Suite.AssertCaseAsync(name);
}
// docs:workflow-suite:end

// docs:memory-suite:begin
// A store of your own passes the same conformance suite as the built-in ones (50 tests). Here: the in-memory store.
public sealed class MyStoreConformanceTests : MachineMemorySpecification<SimpleMachineMemory<MachineMemoryRecord>>
{
    protected override ValueTask<SimpleMachineMemory<MachineMemoryRecord>> CreateMemoryAsync(TimeProvider timeProvider, TimeSpan lockTimeToLive) =>
        ValueTask.FromResult(new SimpleMachineMemory<MachineMemoryRecord>(new SimpleMachineMemoryOptions
        {
            TimeProvider = timeProvider,
            LockTimeToLive = lockTimeToLive,
        }));

    protected override ValueTask ClearAsync(SimpleMachineMemory<MachineMemoryRecord> memory)
    {
        memory.Clear();
        return ValueTask.CompletedTask;
    }
}
// docs:memory-suite:end

/// <summary>The code of docs/testing.md, run (the suites above run as tests of their own).</summary>
public sealed class TestingDocTests
{
    [Fact]
    public void Suites_ExposeOneTheoryRowPerCase()
    {
        GreeterSuiteTests.Cases.Select(row => (string)row.Single()).Should().Equal(
            "greets by name", "rejects a name that is not a string", "answers 20 concurrent requests");
        WelcomeWorkflowSuiteTests.Cases.Select(row => (string)row.Single()).Should().Equal("greets, then completes with the greeting");
    }

    [Fact]
    public async Task FailingCase_ReportsTheStepAndTheActualEvents()
    {
        // docs:failing-case:begin
        var suite = new ArvoTestSuite(TestSubjects.Greeter,
        [
            new ArvoTestCase
            {
                Name = "expects the wrong greeting",
                Steps = [ArvoTestStep.Send(TestSubjects.GreetRequest(new { name = "Ada" }), events => events.Single().Data.GetProperty("text").GetString() == "Hi")],
            },
        ]);
        ArvoTestResult result = await suite.RunAsync("expects the wrong greeting");
        // result.Success == false, result.Step == 1, result.Error starts "Step 1: Custom validator returned false"
        // and goes on with "Actual events: [...]"; AssertCaseAsync throws ArvoTestFailedException with that text
        // docs:failing-case:end

        result.Success.Should().BeFalse();
        result.Step.Should().Be(1);
        result.Error.Should().StartWith("Step 1: Custom validator returned false\nActual events: [{\"id\":");
        var assert = async () => await suite.AssertCaseAsync("expects the wrong greeting");
        var failed = (await assert.Should().ThrowAsync<ArvoTestFailedException>()).Which;
        (failed.SuiteName, failed.CaseName, failed.Result.Step, failed.Result.Success).Should().Be(("Testcom.demo.greet", "expects the wrong greeting", 1, false));
        failed.Result.Error.Should().StartWith("Step 1: Custom validator returned false\nActual events: [{\"id\":");
    }

    [Fact]
    public void Engine_RunsAMachineWithoutAnOrchestrator()
    {
        // docs:engine:begin
        // A machine alone: no memory, no broker. Feed it events and inspect the snapshots it returns.
        var init = TestSubjects.WelcomeInit("Ada");
        var started = MachineExecutionEngine.Instance.Execute(TestSubjects.WelcomeMachine, snapshot: null, init);
        // started.Snapshot.Value == "greeting", started.Events.Single().Type == "com.demo.greet"

        var answer = new ArvoEventFactory(TestSubjects.GreeterContract.Version("1.0.0")).Emits(
            new ArvoEventEnvelope { Source = "com.demo.greet", Subject = init.Subject, To = "arvo.orc.demo.welcome" },
            "evt.demo.greet.success",
            new { text = "Hello, Ada!" });
        var finished = MachineExecutionEngine.Instance.Execute(TestSubjects.WelcomeMachine, started.Snapshot, answer);
        // finished.Snapshot.Status == ArvoMachineStatus.Done, finished.FinalOutput == {"text":"Hello, Ada!"}
        // docs:engine:end

        started.Snapshot.Value.Should().Be("greeting");
        started.Snapshot.Status.Should().Be(ArvoMachineStatus.Active);
        started.Events.Should().ContainSingle().Which.Type.Should().Be("com.demo.greet");
        started.FinalOutput.Should().BeNull();
        finished.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        finished.Snapshot.Value.Should().Be("done");
        finished.FinalOutput!.Value.GetRawText().Should().Be("""{"text":"Hello, Ada!"}""");
        finished.Events.Should().BeEmpty();
    }

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("testing");
}
