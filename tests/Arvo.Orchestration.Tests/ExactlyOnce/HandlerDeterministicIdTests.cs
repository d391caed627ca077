using Arvo.Events;
using Arvo.Handlers;

namespace Arvo.Tests.ExactlyOnce;

/// <summary>Handlers answer a redelivered command under the ids of their first answer, so inboxes downstream dedupe it.</summary>
public sealed class HandlerDeterministicIdTests
{
    [Fact]
    public async Task ExecuteAsync_SameCommandTwice_AnswersUnderTheSameIds()
    {
        var handler = HelloFixture.Handler();
        var command = HelloFixture.Event();

        var first = (await handler.ExecuteAsync(command)).All.Single();
        var second = (await handler.ExecuteAsync(command)).All.Single();

        second.Id.Should().Be(first.Id).And.Be(ArvoDerivedEventId.Create("com.hello.world", command.Id, 0));
        second.Data.GetRawText().Should().Be(first.Data.GetRawText());
    }

    [Fact]
    public async Task ExecuteAsync_DifferentCommands_AnswerUnderDifferentIds()
    {
        var handler = HelloFixture.Handler();

        var first = (await handler.ExecuteAsync(HelloFixture.Event())).All.Single();
        var second = (await handler.ExecuteAsync(HelloFixture.Event())).All.Single();

        second.Id.Should().NotBe(first.Id);
    }

    [Fact]
    public async Task ExecuteAsync_SeveralOutputs_NumberTheirPositions()
    {
        var handler = HelloFixture.Handler(function: _ => new[]
        {
            ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = "one" }),
            ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = "two" }),
        });
        var command = HelloFixture.Event();

        var ids = (await handler.ExecuteAsync(command)).All.Select(e => e.Id);

        ids.Should().Equal(ArvoDerivedEventId.Create("com.hello.world", command.Id, 0), ArvoDerivedEventId.Create("com.hello.world", command.Id, 1));
    }

    [Fact]
    public async Task ExecuteAsync_SystemErrorOfARedeliveredCommand_KeepsItsId()
    {
        var handler = HelloFixture.Handler(function: _ => throw new InvalidOperationException("boom"));
        var command = HelloFixture.Event();

        var first = (await handler.ExecuteAsync(command)).All.Single();
        var second = (await handler.ExecuteAsync(command)).All.Single();

        first.Type.Should().Be("sys.com.hello.world.error");
        second.Id.Should().Be(first.Id);
    }

    [Fact]
    public async Task ExecuteAsync_ExplicitOutputId_IsKept()
    {
        var handler = HelloFixture.Handler(function: _ => ArvoHandlerOutput.Emit("evt.hello.world.success", new { result = "x" }) with { Id = ArvoEventId.DeveloperManaged("mine") });

        (await handler.ExecuteAsync(HelloFixture.Event())).All.Single().Id.Should().Be("mine");
    }

    [Fact]
    public async Task ExecuteAsync_DeterministicIdsOff_GivesFreshIds()
    {
        var handler = HelloFixture.Handler(configure: h => h.CreationOptions(new ArvoEventCreationOptions { DeterministicEmittedIds = false }));
        var command = HelloFixture.Event();

        var first = (await handler.ExecuteAsync(command)).All.Single();
        var second = (await handler.ExecuteAsync(command)).All.Single();

        second.Id.Should().NotBe(first.Id);
        Guid.Parse(second.Id).Version.Should().Be(4);
    }
}
