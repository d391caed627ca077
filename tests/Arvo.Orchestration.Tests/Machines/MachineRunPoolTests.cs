using System.Collections.Concurrent;
using System.Text.Json;
using Arvo.Machines;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>
/// The pooled executions of a machine version (MachineRunPool): Stateless is configured once per pooled run, never per
/// execution; runs used in parallel give the results of sequential runs; a run whose action threw is reset.
/// </summary>
public sealed class MachineRunPoolTests
{
    private static readonly MachineExecutionEngine Engine = MachineExecutionEngine.Instance;

    [Fact]
    public void Run_ManySequentialExecutions_ConfiguresStatelessOnce()
    {
        var machine = CounterMachine.CreateTestMachine();

        for (var i = 0; i < 50; i++)
        {
            var init = MachineEvents.Init(delta: i);
            var first = Engine.Execute(machine, null, init);
            Engine.Execute(machine, first.Snapshot, MachineEvents.IncrementSuccess(init.Subject));
        }

        machine.Runs.Created.Should().Be(1);
    }

    [Fact]
    public void Run_TwoMachinesOfOneDefinition_EachConfiguresItsOwnRuns()
    {
        var first = CounterMachine.CreateTestMachine();
        var second = CounterMachine.CreateTestMachine();

        Engine.Execute(first, null, MachineEvents.Init());
        Engine.Execute(first, null, MachineEvents.Init());

        first.Runs.Created.Should().Be(1);
        second.Runs.Created.Should().Be(0);
    }

    [Fact]
    public void Rent_WhileRunIsInUse_CreatesAnotherAndReusesBothAfterReturn()
    {
        var machine = CounterMachine.CreateTestMachine();
        var pool = new MachineRunPool<CounterContext>(machine.Model, capacity: 2);

        var a = pool.Rent();
        var b = pool.Rent();
        pool.Return(a);
        pool.Return(b);
        var c = pool.Rent();
        var d = pool.Rent();

        a.Should().NotBeSameAs(b);
        new object[] { c, d }.Should().Contain(a).And.Contain(b);
        pool.Created.Should().Be(2);
    }

    [Fact]
    public void Return_PoolFull_DropsTheRun()
    {
        var machine = CounterMachine.CreateTestMachine();
        var pool = new MachineRunPool<CounterContext>(machine.Model, capacity: 1);

        var a = pool.Rent();
        var b = pool.Rent();
        pool.Return(a);
        pool.Return(b);

        pool.Rent().Should().BeSameAs(a);
        pool.Rent().Should().NotBeSameAs(b);
        pool.Created.Should().Be(3);
    }

    [Fact]
    public async Task Run_CounterWorkflowsInParallel_SameSnapshotsAndEventsAsSequentialRuns()
    {
        const int Workers = 8;
        const int PerWorker = 500;
        var workflows = Enumerable.Range(0, Workers * PerWorker).Select(CounterWorkflow).ToArray();
        var sequentialMachine = CounterMachine.CreateTestMachine();
        var expected = workflows.Select(w => w(sequentialMachine)).ToArray();

        var parallelMachine = CounterMachine.CreateTestMachine();
        var actual = new string[workflows.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Workers),
            new ParallelOptions { MaxDegreeOfParallelism = Workers },
            (worker, _) =>
            {
                for (var i = worker; i < workflows.Length; i += Workers)
                {
                    actual[i] = workflows[i](parallelMachine);
                }

                return ValueTask.CompletedTask;
            });

        actual.Should().Equal(expected);
        expected.Distinct().Should().HaveCount(workflows.Length);
    }

    [Fact]
    public async Task Run_ParallelStateWorkflowsInParallel_SameSnapshotsAndEventsAsSequentialRuns()
    {
        const int Workers = 8;
        const int PerWorker = 500;
        var sequentialMachine = ParallelStateTests.Build();
        var expected = Enumerable.Range(0, Workers * PerWorker).Select(i => ParallelWorkflow(sequentialMachine, i)).ToArray();

        var parallelMachine = ParallelStateTests.Build();
        var actual = new ConcurrentDictionary<int, string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Workers * PerWorker),
            new ParallelOptions { MaxDegreeOfParallelism = Workers },
            (i, _) =>
            {
                actual[i] = ParallelWorkflow(parallelMachine, i);
                return ValueTask.CompletedTask;
            });

        Enumerable.Range(0, expected.Length).Select(i => actual[i]).Should().Equal(expected);
    }

    [Fact]
    public void Run_AfterAnActionThrew_NextExecutionOnTheSameThreadIsCorrect()
    {
        var machine = CounterMachine.CreateTestMachine(notificationEntry: a => a
            .Run((ctx, _) =>
            {
                if (ctx.Delta == 13)
                {
                    throw new InvalidOperationException("unlucky");
                }
            })
            .Emit("notif.number.update", ctx => new { delta = ctx.Delta, type = ctx.Type }));
        var unlucky = MachineEvents.Init(delta: 13);
        var unluckyStart = Engine.Execute(machine, null, unlucky);

        var failing = () => Engine.Execute(machine, unluckyStart.Snapshot, MachineEvents.IncrementSuccess(unlucky.Subject));

        failing.Should().Throw<InvalidOperationException>().WithMessage("unlucky");
        var init = MachineEvents.Init(delta: 2);
        var start = Engine.Execute(machine, null, init);
        var result = Engine.Execute(machine, start.Snapshot, MachineEvents.IncrementSuccess(init.Subject));
        start.Snapshot.ToJson().Should().Be("""{"layout":1,"status":"active","value":"increment","context":{"delta":2,"type":"increment","errors":[]}}""");
        start.Events.Should().ContainSingle().Which.Type.Should().Be("com.number.increment");
        result.Snapshot.ToJson().Should().Be(
            """{"layout":1,"status":"done","value":"done","context":{"delta":2,"type":"increment","errors":[]},"output":{"final":2}}""");
        result.Events.Select(e => $"{e.Type} {JsonSerializer.Serialize(e.Data)}").Should().Equal("""notif.number.update {"delta":2,"type":"increment"}""");
        machine.Runs.Created.Should().Be(1);
    }

    /// <summary>One counter workflow (init, then the service's answer) as text: every snapshot and event of both executions.</summary>
    private static Func<ArvoMachine, string> CounterWorkflow(int i) => machine =>
    {
        var type = i % 2 == 0 ? "increment" : "decrement";
        var init = MachineEvents.Init(delta: i, type: type);
        var first = Engine.Execute(machine, null, init);
        var answer = (i % 4) switch
        {
            0 => MachineEvents.IncrementSuccess(init.Subject, newValue: i),
            1 => MachineEvents.DecrementSuccess(init.Subject, newValue: -i),
            2 => MachineEvents.IncrementError(init.Subject, $"failed {i}"),
            _ => MachineEvents.DecrementError(init.Subject, $"failed {i}"),
        };
        var second = Engine.Execute(machine, ArvoMachineSnapshot.Parse(first.Snapshot.ToJson()), answer);
        return Describe(first) + "\n" + Describe(second);
    };

    private static string ParallelWorkflow(ArvoMachine machine, int i)
    {
        var init = MachineEvents.Init(delta: i);
        var start = Engine.Execute(machine, null, init);
        var firstType = i % 2 == 0 ? "evt.number.increment.success" : "evt.number.decrement.success";
        var secondType = i % 2 == 0 ? "evt.number.decrement.success" : "evt.number.increment.success";
        var first = Engine.Execute(machine, start.Snapshot, MachineEvents.Of(firstType, init.Subject, new { newValue = i }));
        var second = Engine.Execute(machine, first.Snapshot, MachineEvents.Of(secondType, init.Subject, new { newValue = i }));
        return string.Join("\n", Describe(start), Describe(first), Describe(second));
    }

    private static string Describe(ArvoMachineExecutionResult result) =>
        result.Snapshot.ToJson() + " " + string.Join(", ", result.Events.Select(e => $"{e.Type} {JsonSerializer.Serialize(e.Data)}"))
        + " " + (result.FinalOutput?.GetRawText() ?? "-");
}
