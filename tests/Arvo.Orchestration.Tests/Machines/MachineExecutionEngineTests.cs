using System.Text.Json;
using Arvo.Machines;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>Scenarios E-1..E-4 (orchestrator.md 4) and the seed counter machine driven event by event.</summary>
public sealed class MachineExecutionEngineTests
{
    private static readonly MachineExecutionEngine Engine = MachineExecutionEngine.Instance;

    private static string Json(JsonElement element) => element.GetRawText();

    private static string Json(object data) => data is JsonElement element ? element.GetRawText() : JsonSerializer.Serialize(data);

    // ---- E-1 ----

    [Fact]
    public void Execute_InitWithoutSnapshot_EmitsIncrementAndWaits()
    {
        var machine = CounterMachine.CreateTestMachine();

        var result = Engine.Execute(machine, null, MachineEvents.Init(delta: 1, type: "increment"));

        result.Events.Should().ContainSingle().Which.Type.Should().Be("com.number.increment");
        Json(result.Events[0].Data).Should().Be("""{"delta":1}""");
        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Active);
        result.Snapshot.Value.Should().Be("increment");
        result.FinalOutput.Should().BeNull();
    }

    [Fact]
    public void Execute_IncrementSuccessOnSnapshot_EmitsEmittedThenEnqueuedAndCompletes()
    {
        var machine = CounterMachine.CreateTestMachine();
        var init = MachineEvents.Init(delta: 1, type: "increment");
        var first = Engine.Execute(machine, null, init);

        var result = Engine.Execute(machine, first.Snapshot, MachineEvents.IncrementSuccess(init.Subject, newValue: 10));

        result.Events.Select(e => e.Type).Should().Equal("notif.number.update", "notif.number.update");
        Json(result.Events[0].Data).Should().Be("""{"delta":-1,"type":"increment"}""");
        Json(result.Events[1].Data).Should().Be("""{"delta":1,"type":"increment"}""");
        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        result.Snapshot.Value.Should().Be("done");
        Json(result.FinalOutput!.Value).Should().Be("""{"final":1}""");
    }

    [Fact]
    public void Execute_AnyExecution_SnapshotHasNoInternalEventQueue()
    {
        var machine = CounterMachine.CreateTestMachine();
        var init = MachineEvents.Init();
        var first = Engine.Execute(machine, null, init);

        var result = Engine.Execute(machine, first.Snapshot, MachineEvents.IncrementSuccess(init.Subject));

        result.Snapshot.Context.TryGetProperty("arvo$$", out _).Should().BeFalse();
        result.Snapshot.ToJson().Should().Be(
            """{"layout":1,"status":"done","value":"done","context":{"delta":1,"type":"increment","errors":[]},"output":{"final":1}}""");
    }

    // ---- E-2 ----

    [Fact]
    public void Execute_NonInitEventWithoutSnapshot_ThrowsInvalidInitialization()
    {
        var machine = CounterMachine.CreateTestMachine();
        var subject = MachineEvents.Init().Subject;

        var act = () => Engine.Execute(machine, null, MachineEvents.IncrementSuccess(subject));

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            "Invalid initialization event: Machine requires source event 'arvo.orc.test' to start, but received event 'evt.number.increment.success' instead. This likely indicates a mismatch between the expected workflow trigger and the actual event sent.");
    }

    // ---- E-3 ----

    [Fact]
    public void Execute_ContextFactoryThrows_RethrowsTheError()
    {
        var machine = CounterMachine.CreateTestMachine(context: _ => throw new InvalidOperationException("Some error"));

        var act = () => Engine.Execute(machine, null, MachineEvents.Init());

        act.Should().Throw<InvalidOperationException>().WithMessage("Some error");
    }

    [Fact]
    public void Execute_EntryActionThrows_RethrowsTheError()
    {
        var machine = CounterMachine.CreateTestMachine(notificationEntry: a => a.Run((_, _) => throw new InvalidOperationException("In state error")));
        var init = MachineEvents.Init();
        var first = Engine.Execute(machine, null, init);

        var act = () => Engine.Execute(machine, first.Snapshot, MachineEvents.IncrementSuccess(init.Subject));

        act.Should().Throw<InvalidOperationException>().WithMessage("In state error");
    }

    [Fact]
    public void Execute_ActionThrowsExecutionViolation_StaysAViolation()
    {
        var violation = new ExecutionViolation("stop here");
        var machine = CounterMachine.CreateTestMachine(notificationEntry: a => a.Run((_, _) => throw violation));
        var init = MachineEvents.Init();
        var first = Engine.Execute(machine, null, init);

        var act = () => Engine.Execute(machine, first.Snapshot, MachineEvents.IncrementSuccess(init.Subject));

        act.Should().Throw<ExecutionViolation>().Which.Should().BeSameAs(violation);
    }

    [Fact]
    public void Execute_SecondActionThrowsAfterFirstThrew_FirstErrorWins()
    {
        var machine = CounterMachine.CreateTestMachine(notificationEntry: a => a
            .Run((_, _) => throw new InvalidOperationException("first"))
            .Run((_, _) => throw new InvalidOperationException("second")));
        var init = MachineEvents.Init();
        var first = Engine.Execute(machine, null, init);

        var act = () => Engine.Execute(machine, first.Snapshot, MachineEvents.IncrementSuccess(init.Subject));

        act.Should().Throw<InvalidOperationException>().WithMessage("first");
    }

    // ---- E-4 ----

    [Fact]
    public void Execute_EventOnDoneSnapshot_IsIgnored()
    {
        var machine = CounterMachine.CreateTestMachine();
        var init = MachineEvents.Init();
        var done = Engine.Execute(machine, Engine.Execute(machine, null, init).Snapshot, MachineEvents.IncrementSuccess(init.Subject));

        var result = Engine.Execute(machine, done.Snapshot, MachineEvents.IncrementSuccess(init.Subject));

        result.Events.Should().BeEmpty();
        result.FinalOutput.Should().BeNull();
        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        result.Snapshot.Should().BeSameAs(done.Snapshot);
    }

    [Fact]
    public void Execute_NoOutputFunction_ReportsEmptyCompletionOnce()
    {
        var machine = CounterMachine.CreateTestMachine(withOutput: false);
        var init = MachineEvents.Init();
        var first = Engine.Execute(machine, null, init);

        var done = Engine.Execute(machine, first.Snapshot, MachineEvents.IncrementSuccess(init.Subject));
        var again = Engine.Execute(machine, done.Snapshot, MachineEvents.IncrementSuccess(init.Subject));

        Json(done.FinalOutput!.Value).Should().Be("{}");
        again.FinalOutput.Should().BeNull();
    }

    [Fact]
    public void Execute_EmptyOutput_ReportsEmptyCompletionOnce()
    {
        var machine = CounterMachine.CreateTestMachine(output: _ => new { });
        var init = MachineEvents.Init();
        var first = Engine.Execute(machine, null, init);

        var done = Engine.Execute(machine, first.Snapshot, MachineEvents.IncrementSuccess(init.Subject));
        var again = Engine.Execute(machine, done.Snapshot, MachineEvents.IncrementSuccess(init.Subject));

        Json(done.FinalOutput!.Value).Should().Be("{}");
        again.FinalOutput.Should().BeNull();
    }

    [Fact]
    public void Execute_OutputWithValue_ReportsExactlyOneCompletion()
    {
        var machine = CounterMachine.CreateTestMachine(output: _ => new { k = 1 });
        var init = MachineEvents.Init();
        var first = Engine.Execute(machine, null, init);

        var done = Engine.Execute(machine, first.Snapshot, MachineEvents.IncrementSuccess(init.Subject));
        var again = Engine.Execute(machine, done.Snapshot, MachineEvents.IncrementSuccess(init.Subject));

        first.FinalOutput.Should().BeNull();
        Json(done.FinalOutput!.Value).Should().Be("""{"k":1}""");
        again.FinalOutput.Should().BeNull();
        Json(again.Snapshot.Output!.Value).Should().Be("""{"k":1}""");
    }

    // ---- The seed counter machine, event by event ----

    [Fact]
    public void CounterMachine_IncrementPath_EmitsIncrementThenNotifiesAndFinishes()
    {
        var machine = CounterMachine.Create();
        var init = MachineEvents.Init(delta: 5, type: "increment");

        var started = Engine.Execute(machine, null, init);
        var finished = Engine.Execute(machine, started.Snapshot, MachineEvents.IncrementSuccess(init.Subject, newValue: 15));

        started.Events.Should().ContainSingle();
        started.Events[0].Type.Should().Be("com.number.increment");
        Json(started.Events[0].Data).Should().Be("""{"delta":5}""");
        started.Snapshot.ToJson().Should().Be(
            """{"layout":1,"status":"active","value":"increment","context":{"delta":5,"type":"increment","errors":[]}}""");
        finished.Events.Should().ContainSingle();
        finished.Events[0].Type.Should().Be("notif.number.update");
        Json(finished.Events[0].Data).Should().Be("""{"delta":5,"type":"increment"}""");
        finished.Snapshot.Value.Should().Be("done");
        Json(finished.FinalOutput!.Value).Should().Be("""{"final":5}""");
    }

    [Fact]
    public void CounterMachine_DecrementPath_EmitsDecrementThenNotifiesAndFinishes()
    {
        var machine = CounterMachine.Create();
        var init = MachineEvents.Init(delta: 3, type: "decrement");

        var started = Engine.Execute(machine, null, init);
        var finished = Engine.Execute(machine, started.Snapshot, MachineEvents.DecrementSuccess(init.Subject));

        started.Events.Should().ContainSingle().Which.Type.Should().Be("com.number.decrement");
        Json(started.Events[0].Data).Should().Be("""{"delta":3}""");
        started.Snapshot.Value.Should().Be("decrement");
        finished.Events.Should().ContainSingle().Which.Type.Should().Be("notif.number.update");
        Json(finished.Events[0].Data).Should().Be("""{"delta":3,"type":"decrement"}""");
        finished.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        Json(finished.FinalOutput!.Value).Should().Be("""{"final":3}""");
    }

    [Fact]
    public void CounterMachine_IncrementSystemError_RecordsErrorAndEndsInError()
    {
        var machine = CounterMachine.Create();
        var init = MachineEvents.Init(delta: 2, type: "increment");
        var started = Engine.Execute(machine, null, init);

        var failed = Engine.Execute(machine, started.Snapshot, MachineEvents.IncrementError(init.Subject, "Increment failed"));

        failed.Events.Should().BeEmpty();
        failed.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        failed.Snapshot.Value.Should().Be("error");
        var errors = failed.Snapshot.Context.GetProperty("errors");
        errors.GetArrayLength().Should().Be(1);
        errors[0].GetProperty("errorName").GetString().Should().Be("InvalidOperationException");
        errors[0].GetProperty("errorMessage").GetString().Should().Be("Increment failed");
        Json(failed.FinalOutput!.Value).Should().Be("""{"final":2}""");
    }

    [Fact]
    public void CounterMachine_DecrementSystemError_IsHandledInDecrementState()
    {
        var machine = CounterMachine.Create();
        var init = MachineEvents.Init(delta: 2, type: "decrement");
        var started = Engine.Execute(machine, null, init);

        var failed = Engine.Execute(machine, started.Snapshot, MachineEvents.DecrementError(init.Subject, "Decrement failed"));

        failed.Snapshot.Value.Should().Be("error");
        failed.Snapshot.Context.GetProperty("errors")[0].GetProperty("errorMessage").GetString().Should().Be("Decrement failed");
    }

    [Fact]
    public void CounterMachine_IncrementErrorInDecrementState_IsIgnored()
    {
        var machine = CounterMachine.Create();
        var init = MachineEvents.Init(delta: 2, type: "decrement");
        var started = Engine.Execute(machine, null, init);

        var result = Engine.Execute(machine, started.Snapshot, MachineEvents.IncrementError(init.Subject));

        result.Events.Should().BeEmpty();
        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Active);
        result.Snapshot.Value.Should().Be("decrement");
        result.Snapshot.ToJson().Should().Be(started.Snapshot.ToJson());
        result.FinalOutput.Should().BeNull();
    }

    [Fact]
    public void CounterMachine_InvalidType_RoutesToErrorOnStart()
    {
        var machine = CounterMachine.Create();

        var result = Engine.Execute(machine, null, MachineEvents.RawInit(new { delta = 4, type = "test" }));

        result.Events.Should().BeEmpty();
        result.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        result.Snapshot.Value.Should().Be("error");
        result.Snapshot.ToJson().Should().Be(
            """{"layout":1,"status":"done","value":"error","context":{"delta":4,"type":"test","errors":[{"errorName":"Invalid type","errorMessage":"Invalid operation type =\u003E test","errorStack":null}]},"output":{"final":4}}""");
        Json(result.FinalOutput!.Value).Should().Be("""{"final":4}""");
    }

    [Fact]
    public void CounterMachine_SnapshotThroughJson_ResumesIdentically()
    {
        var machine = CounterMachine.Create();
        var init = MachineEvents.Init(delta: 7);
        var started = Engine.Execute(machine, null, init);
        var stored = ArvoMachineSnapshot.Parse(started.Snapshot.ToJson());

        var finished = Engine.Execute(machine, stored, MachineEvents.IncrementSuccess(init.Subject));

        Json(finished.FinalOutput!.Value).Should().Be("""{"final":7}""");
    }

    // ---- Concurrency: one definition, many independent executions ----

    [Fact]
    public async Task Execute_OneMachineFromManyTasks_EachExecutionIsIndependent()
    {
        var machine = CounterMachine.Create();

        var results = await Task.WhenAll(Enumerable.Range(1, 64).Select(i => Task.Run(() =>
        {
            var type = i % 2 == 0 ? "increment" : "decrement";
            var init = MachineEvents.Init(delta: i, type: type);
            var started = Engine.Execute(machine, null, init);
            var response = type == "increment"
                ? MachineEvents.IncrementSuccess(init.Subject)
                : MachineEvents.DecrementSuccess(init.Subject);
            var finished = Engine.Execute(machine, ArvoMachineSnapshot.Parse(started.Snapshot.ToJson()), response);
            return (i, type, started, finished);
        })));

        foreach (var (i, type, started, finished) in results)
        {
            started.Events.Should().ContainSingle().Which.Type.Should().Be($"com.number.{type}");
            Json(started.Events[0].Data).Should().Be($$"""{"delta":{{i}}}""");
            Json(finished.Events.Should().ContainSingle().Subject.Data).Should().Be($$"""{"delta":{{i}},"type":"{{type}}"}""");
            Json(finished.FinalOutput!.Value).Should().Be($$"""{"final":{{i}}}""");
        }
    }
}
