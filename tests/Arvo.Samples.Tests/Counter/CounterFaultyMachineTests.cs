using Arvo.Events;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Counter;

/// <summary>
/// The <c>orchestrator_error</c> vector: the same <c>arvo.orc.counter</c> contract with a machine that throws in the
/// entry action of its first state. Its init event ends the workflow with <c>sys.arvo.orc.counter.error</c>.
/// </summary>
public sealed class CounterFaultyMachineTests
{
    private const string Message = "Deliberate failure inside the machine (faulty variant used for the error vector)";

    [Fact]
    public async Task RunAsync_VectorInitOnFaultyMachine_EndsWithTheOrchestratorSystemError()
    {
        var expected = CounterVectors.Wires("orchestrator_error").Select(ArvoEventJson.Parse).ToList();
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var router = new CounterRouter([ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(CreateFaultyMachine()).Build(), .. CounterHandlers.CreateAll()]);
        var emitted = new List<ArvoEvent>();

        await router.RunAsync(expected[0], emitted.Add);

        var error = emitted.Should().ContainSingle().Subject;
        error.Type.Should().Be(expected[1].Type);
        error.Source.Should().Be(expected[1].Source);
        error.To.Should().Be(expected[1].To);
        error.Subject.Should().Be(expected[1].Subject);
        error.DataSchema.Should().Be(expected[1].DataSchema);
        error.ParentId.Should().Be(expected[0].Id);
        error.ExecutionUnits.Should().Be(expected[1].ExecutionUnits);
        error.Data.GetProperty("errorMessage").GetString().Should().Be(Message);
        CounterWorkflows.IsTerminal(error).Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_EventForAFailedWorkflow_IsIgnored()
    {
        var init = CounterVectors.Event("orchestrator_error", 0);
        var router = new CounterRouter([ArvoOrchestrator.CreateBuilder().Memory(new SimpleMachineMemory<MachineMemoryRecord>()).ExecutionUnits(1).Machines(CreateFaultyMachine()).Build()]);
        await router.RunAsync(init);

        var again = await router.ExecuteAsync(init.WithId("another-init"));

        again!.All.Should().BeEmpty();
    }

    private static ArvoMachine<CounterContext> CreateFaultyMachine() =>
        ArvoMachine.Setup<CounterContext>(CounterContracts.Orchestrator.Version(CounterContracts.Version))
            .Service("increment", CounterContracts.Increment.Version(CounterContracts.Version))
            .CreateMachine(CounterMachine.Id, m => m
                .Version(CounterContracts.Version)
                .Context(input => input.GetData<CounterContext>()!)
                .Initial("route")
                .State("route", s => s
                    .Entry(a => a.Run((_, _) => throw new InvalidOperationException(Message)))
                    .Always("done"))
                .Final("done")
                .Output(ctx => new { final = ctx.Delta }));
}
