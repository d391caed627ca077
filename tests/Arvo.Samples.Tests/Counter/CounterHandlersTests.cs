using System.Text.Json;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Samples.Counter;
using Arvo.Samples.Tests.TestSupport;

namespace Arvo.Samples.Tests.Counter;

public sealed class CounterHandlersTests
{
    [Theory]
    [InlineData("counter_workflow", "com.number.increment", "evt.number.increment.success")]
    [InlineData("counter_workflow_decrement", "com.number.decrement", "evt.number.decrement.success")]
    public async Task ExecuteAsync_VectorCommand_AnswersLikeTheReference(string workflow, string commandType, string successType)
    {
        var command = CounterVectors.EventOfType(workflow, commandType);
        var expected = CounterVectors.EventOfType(workflow, successType);
        var handler = CounterHandlers.CreateAll().Single(h => h.Source == commandType);

        var result = await handler.ExecuteAsync(command);

        var answer = result.All.Should().ContainSingle().Subject;
        answer.Type.Should().Be(expected.Type);
        answer.Data.GetRawText().Should().Be(expected.Data.GetRawText());
        answer.Source.Should().Be(expected.Source);
        answer.To.Should().Be(expected.To);
        answer.Subject.Should().Be(expected.Subject);
        answer.DataSchema.Should().Be(expected.DataSchema);
        answer.ParentId.Should().Be(command.Id);
        answer.ExecutionUnits.Should().Be(expected.ExecutionUnits);
        answer.RedirectTo.Should().BeNull();
        answer.Domain.Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_VectorOverflowingCommand_AnswersWithTheSystemError()
    {
        var command = CounterVectors.EventOfType("handler_error_workflow", "com.number.increment");
        var expected = CounterVectors.EventOfType("handler_error_workflow", "sys.com.number.increment.error");

        var result = await CounterHandlers.CreateIncrement().ExecuteAsync(command);

        var answer = result.All.Should().ContainSingle().Subject;
        answer.Type.Should().Be(expected.Type);
        answer.To.Should().Be(expected.To);
        answer.Subject.Should().Be(expected.Subject);
        answer.DataSchema.Should().Be(expected.DataSchema);
        answer.ParentId.Should().Be(command.Id);
        answer.Data.GetProperty("errorMessage").GetString().Should().Be(expected.Data.GetProperty("errorMessage").GetString());
        answer.Data.GetProperty("errorName").GetString().Should().Be(nameof(OverflowException));
    }

    [Fact]
    public async Task ExecuteAsync_StandaloneOverflow_WritesTheDeltaLikeJavaScript()
    {
        var wires = CounterVectors.StandaloneHandlerError();
        var command = ArvoEventJson.Parse(wires[0]);
        var expected = ArvoEventJson.Parse(wires[1]);

        var result = await CounterHandlers.CreateIncrement().ExecuteAsync(command);

        var answer = result.All.Should().ContainSingle().Subject;
        answer.Type.Should().Be("sys.com.number.increment.error");
        answer.To.Should().Be(expected.To);
        answer.Data.GetProperty("errorMessage").GetString()
            .Should().Be("Counter overflow: |increment 1152921504606847000| exceeds 9007199254740991")
            .And.Be(expected.Data.GetProperty("errorMessage").GetString());
    }

    [Theory]
    [InlineData("increment", 9007199254740991, 9007199254740991)]
    [InlineData("decrement", 9007199254740991, -9007199254740991)]
    [InlineData("increment", -2.5, -2.5)]
    [InlineData("decrement", 0, 0)]
    public async Task ExecuteAsync_SafeDelta_AnswersZeroPlusOrMinusDelta(string operation, double delta, double expected)
    {
        var handler = operation == "increment" ? CounterHandlers.CreateIncrement() : CounterHandlers.CreateDecrement();
        var command = Command(handler, delta);

        var result = await handler.ExecuteAsync(command);

        result.All.Should().ContainSingle().Which.Data.GetProperty("newValue").GetDouble().Should().Be(expected);
    }

    [Theory]
    [InlineData("increment", 9007199254740992)]
    [InlineData("decrement", 9007199254740992)]
    [InlineData("decrement", -1e20)]
    public async Task ExecuteAsync_UnsafeDelta_AnswersWithASystemError(string operation, double delta)
    {
        var handler = operation == "increment" ? CounterHandlers.CreateIncrement() : CounterHandlers.CreateDecrement();

        var result = await handler.ExecuteAsync(Command(handler, delta));

        result.All.Should().ContainSingle().Which.Type.Should().Be($"sys.com.number.{operation}.error");
    }

    [Fact]
    public async Task ExecuteAsync_Notification_EmitsNothing()
    {
        var notification = CounterVectors.EventOfType("counter_workflow", "notif.number.update");

        var result = await CounterHandlers.CreateNotification().ExecuteAsync(notification);

        result.All.Should().BeEmpty();
    }

    [Fact]
    public void CreateAll_HandlersServeTheVectorTopics()
    {
        CounterHandlers.CreateAll().Select(h => h.Source)
            .Should().Equal("com.number.increment", "com.number.decrement", "notif.number.update");
    }

    private static ArvoEvent Command(ArvoEventHandler handler, double delta) =>
        new ArvoEventFactory(handler.Contract.Version(CounterContracts.Version)).Accepts(
            new ArvoEventEnvelope { Source = CounterContracts.OrchestratorType },
            JsonSerializer.SerializeToElement(new { delta }));
}
