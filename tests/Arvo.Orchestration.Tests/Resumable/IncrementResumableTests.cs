using System.Text.Json.Nodes;
using Arvo.Factories;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Resumable;

/// <summary>
/// The increment resumable's fan-out (scenarios.md resumable fixtures): several service calls in flight, the answers
/// collected in any arrival order and paired with their requests by request order (resumable.md 4, step 5).
/// </summary>
public sealed class IncrementResumableTests
{
    private readonly ReferenceFixture _fixture = new();
    private readonly SimpleMachineMemory<ArvoResumableState> _memory = new();

    public static ArvoEvent IncInit(params (string Key, double Value)[] modifications) =>
        new ArvoOrchestratorEventFactory(ReferenceResumables.IncContract.Version("0.0.1")).Init(
            new ArvoEventEnvelope { Source = ReferenceFixture.Client },
            new JsonObject
            {
                ["parentSubject$$"] = null,
                ["modifications"] = new JsonArray([.. modifications.Select(m => new JsonObject { ["key"] = m.Key, ["value"] = m.Value })]),
            });

    private static async Task<List<ArvoEvent>> Answer(ArvoEventHandler handler, IReadOnlyList<ArvoEvent> commands)
    {
        var answers = new List<ArvoEvent>();
        foreach (var command in commands)
        {
            answers.AddRange((await handler.ExecuteAsync(command)).Events);
        }

        return answers;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteAsync_AnswersInAnyOrder_PairsResultsWithRequests(bool reversed)
    {
        _fixture.ValueStore["test.1"] = 3;
        _fixture.ValueStore["test.2"] = 8;
        var inc = ReferenceResumables.Inc(_memory);
        var init = IncInit(("test.1", 1), ("test.2", 2));

        // Two reads in flight, each emitted in the null and the external domain.
        var first = await inc.ExecuteAsync(init);
        first.All.Select(e => (e.Type, e.Domain)).Should().Equal(
            ("com.value.read", null), ("com.value.read", "external"), ("com.value.read", null), ("com.value.read", "external"));
        var readAnswers = await Answer(_fixture.ValueRead, first.Events);
        if (reversed)
        {
            readAnswers.Reverse();
        }

        (await inc.ExecuteAsync(readAnswers[0])).All.Should().BeEmpty("one read is still in flight");
        var increments = (await inc.ExecuteAsync(readAnswers[1])).Events;
        increments.Select(e => e.Data.GetRawText()).Should().Equal("""{"init":3,"increment":1}""", """{"init":8,"increment":2}""");

        var incrementAnswers = await Answer(_fixture.Increment, increments);
        if (reversed)
        {
            incrementAnswers.Reverse();
        }

        (await inc.ExecuteAsync(incrementAnswers[0])).All.Should().BeEmpty("one increment is still in flight");
        var last = await inc.ExecuteAsync(incrementAnswers[1]);
        last.Events.Select(e => (e.Type, e.Data.GetRawText())).Should().Equal(
            ("com.value.write", """{"key":"test.1","value":4}"""),
            ("com.value.write", """{"key":"test.2","value":10}"""),
            ("arvo.orc.inc.done", """{"success":true,"final":[{"key":"test.1","value":4},{"key":"test.2","value":10}],"error":[]}"""));
        last.All.Count(e => e.Domain == "external").Should().Be(2);
        (await _memory.ReadRecordAsync(init.Subject))!.Status.Should().Be("done");
    }

    [Fact]
    public async Task ExecuteAsync_ServiceSystemError_CompletesWithFailure()
    {
        var inc = ReferenceResumables.Inc(_memory);
        var init = IncInit(("missing", 1));
        var read = (await inc.ExecuteAsync(init)).Events.Single();
        var error = (await _fixture.ValueRead.ExecuteAsync(read)).Events.Single();
        error.Type.Should().Be("sys.com.value.read.error");

        var done = (await inc.ExecuteAsync(error)).Events.Single();

        done.Type.Should().Be("arvo.orc.inc.done");
        done.Data.GetProperty("success").GetBoolean().Should().BeFalse();
        done.Data.GetProperty("error")[0].GetProperty("errorMessage").GetString().Should().Be("No value to find at key=missing");
    }
}
