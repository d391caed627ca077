using System.Text.Json;
using Arvo.Broker;
using Arvo.Events;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Counter;

/// <summary>The counter system (orchestrator + handlers) driven by the init events of the vector workflows.</summary>
public sealed class CounterSystemTests
{
    [Theory]
    [MemberData(nameof(CounterVectors.CompletingWorkflows), MemberType = typeof(CounterVectors))]
    public async Task RunAsync_VectorInit_EmitsTheVectorEventsInOrder(string workflow)
    {
        var expected = CounterVectors.Wires(workflow).Select(ArvoEventJson.Parse).ToList();
        var router = new CounterRouter([CounterOrchestrator.Create(new SimpleMachineMemory<MachineMemoryRecord>()), .. CounterHandlers.CreateAll()]);
        var actual = new List<ArvoEvent> { expected[0] };

        await router.RunAsync(expected[0], actual.Add);

        actual.Select(e => e.Type).Should().Equal(expected.Select(e => e.Type));
        var ids = expected.Zip(actual).ToDictionary(pair => pair.First.Id, pair => pair.Second.Id);
        foreach (var (want, got) in expected.Zip(actual).Skip(1))
        {
            got.Source.Should().Be(want.Source, because: $"{want.Type} has that source");
            got.To.Should().Be(want.To, because: $"{want.Type} goes there");
            got.Subject.Should().Be(want.Subject, because: $"{want.Type} stays in the workflow");
            got.DataSchema.Should().Be(want.DataSchema, because: $"{want.Type} has that dataschema");
            got.RedirectTo.Should().Be(want.RedirectTo, because: $"{want.Type} has that redirectto");
            got.ExecutionUnits.Should().Be(want.ExecutionUnits, because: $"{want.Type} has those executionunits");
            got.Domain.Should().Be(want.Domain, because: $"{want.Type} has that domain");
            got.ParentId.Should().Be(ids[want.ParentId!], because: $"{want.Type} is caused by the same event");
            if (want.Type.StartsWith("sys.", StringComparison.Ordinal))
            {
                got.Data.GetProperty("errorMessage").GetString().Should().Be(want.Data.GetProperty("errorMessage").GetString());
            }
            else
            {
                // Same JSON value (numbers by value: the reference writes 1e+300 where System.Text.Json writes 1E+300).
                JsonElement.DeepEquals(got.Data, want.Data).Should().BeTrue(because: $"{want.Type} carries {want.Data.GetRawText()}, not {got.Data.GetRawText()}");
            }
        }
    }

    [Theory]
    [InlineData("counter_workflow", 5)]
    [InlineData("counter_workflow_decrement", -3)]
    [InlineData("handler_error_workflow", 0)]
    public async Task ResolveAsync_VectorInitThroughTheBroker_CompletesWithTheVectorFinal(string workflow, double final)
    {
        var init = CounterVectors.Event(workflow, 0);
        var errors = new List<Exception>();
        var broker = SimpleEventBroker.Create(
            [CounterOrchestrator.Create(new SimpleMachineMemory<MachineMemoryRecord>()), .. CounterHandlers.CreateAll()],
            new SimpleEventBrokerOptions { OnError = (error, _) => errors.Add(error) });

        var answer = await broker.ResolveAsync(init);

        answer.Should().NotBeNull();
        answer!.Type.Should().Be("arvo.orc.counter.done");
        answer.To.Should().Be("com.test.service");
        answer.ParentId.Should().Be(init.Id);
        CounterWorkflows.GetFinal(answer).Should().Be(final);
        errors.Should().BeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_ResponseResentUnderANewIdAfterCompletion_EmitsNothing()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var router = new CounterRouter([CounterOrchestrator.Create(memory), .. CounterHandlers.CreateAll()]);
        var events = new List<ArvoEvent>();
        await router.RunAsync(CounterWorkflows.CreateInit("increment", 7), events.Add);
        var response = events.Single(e => e.Type == CounterContracts.IncrementSuccessType);

        var replay = await router.ExecuteAsync(response.WithId("resent-response"));

        replay.Should().NotBeNull();
        replay!.All.Should().BeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_ResponseRedeliveredAfterCompletion_ReturnsTheFirstEventsAgain()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var router = new CounterRouter([CounterOrchestrator.Create(memory), .. CounterHandlers.CreateAll()]);
        var events = new List<ArvoEvent>();
        await router.RunAsync(CounterWorkflows.CreateInit("increment", 7), events.Add);
        var response = events.Single(e => e.Type == CounterContracts.IncrementSuccessType);
        var firstAnswer = events.SkipWhile(e => e != response).Skip(1).ToList();

        var replay = await router.ExecuteAsync(response);

        replay!.All.Select(e => e.Id).Should().Equal(firstAnswer.Where(e => e.Source == response.To).Select(e => e.Id));
    }

    [Fact]
    public async Task RunAsync_ManyWorkflowsAtOnce_EachCompletesWithItsOwnValue()
    {
        var router = new CounterRouter([CounterOrchestrator.Create(new SimpleMachineMemory<MachineMemoryRecord>()), .. CounterHandlers.CreateAll()]);
        var inits = Enumerable.Range(1, 64).Select(i => CounterWorkflows.CreateInit(i % 2 == 0 ? "increment" : "decrement", i)).ToList();
        var finals = new double[inits.Count];

        await Parallel.ForEachAsync(Enumerable.Range(0, inits.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await router.RunAsync(inits[i], e =>
            {
                if (e.Type == CounterContracts.CompleteType)
                {
                    finals[i] = CounterWorkflows.GetFinal(e);
                }
            }, ct));

        finals.Should().Equal(Enumerable.Range(1, 64).Select(i => i % 2 == 0 ? (double)i : -i));
    }
}
