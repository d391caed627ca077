using Arvo.Broker;
using Arvo.Tests.TestSupport;
using static Arvo.Tests.TestSupport.BrokerEvents;

namespace Arvo.Tests.Broker;

public sealed class SimpleEventBrokerResolveTests
{
    /// <summary>com.calc doubles <c>n</c> via com.double and answers the initiator (the init event's source).</summary>
    private static SimpleEventBroker CalcBroker() => SimpleEventBroker.Create(
        [
            new DelegateEventHandler("com.test.calc", async e =>
            {
                await Task.Yield();
                return [Make("com.test.double", source: "com.test.calc", subject: e.Subject, data: new { n = e.Data.GetProperty("n").GetInt32(), replyTo = e.Source })];
            }),
            new DelegateEventHandler("com.test.double", async e =>
            {
                await Task.Yield();
                var n = e.Data.GetProperty("n").GetInt32();
                var replyTo = e.Data.GetProperty("replyTo").GetString()!;
                return
                [
                    Make("evt.calc.progress", to: replyTo, source: "com.test.double", subject: e.Subject, data: new { n }),
                    Make("evt.calc.done", to: replyTo, source: "com.test.double", subject: e.Subject, data: new { result = n * 2 }),
                ];
            }),
        ],
        new SimpleEventBrokerOptions { OnError = (e, _) => throw new InvalidOperationException("unexpected broker error", e) });

    private static ArvoEvent Init(int n, string source = "com.test.client") =>
        Make("com.test.calc", source: source, subject: $"subject-{n}", data: new { n });

    // B-9
    [Fact]
    public async Task ResolveAsync_SourceIsRegisteredHandler_Throws()
    {
        var broker = CalcBroker();

        var act = async () => await broker.ResolveAsync(Make("com.test.calc", source: "com.test.double", data: new { n = 1 }));

        (await act.Should().ThrowAsync<ArvoBrokerException>())
            .WithMessage("The event source cannot be one of the handlers in the broker. Please update the event.source, the given is 'com.test.double'")
            .Which.Kind.Should().Be(ArvoBrokerErrorKind.ResolveSourceIsHandler);
    }

    [Fact]
    public async Task ResolveAsync_Workflow_ReturnsLastEventDeliveredToInitiator()
    {
        var broker = CalcBroker();

        var answer = await broker.ResolveAsync(Init(21));

        answer!.Type.Should().Be("evt.calc.done");
        answer.Subject.Should().Be("subject-21");
        answer.Data.GetProperty("result").GetInt32().Should().Be(42);
    }

    [Fact]
    public async Task ResolveAsync_CalledRepeatedly_EachCallReturnsItsOwnAnswerAndLeaksNoListener()
    {
        var broker = CalcBroker();

        for (var n = 1; n <= 5; n++)
        {
            var answer = await broker.ResolveAsync(Init(n));

            answer!.Subject.Should().Be($"subject-{n}");
            answer.Data.GetProperty("result").GetInt32().Should().Be(n * 2);
        }

        broker.Topics.Should().BeEquivalentTo("com.test.calc", "com.test.double");
        broker.GetSubscriberCount("com.test.client").Should().Be(0);
    }

    [Fact]
    public async Task ResolveAsync_CalledConcurrently_EachCallReturnsItsOwnAnswer()
    {
        var broker = CalcBroker();

        var calls = Enumerable.Range(1, 40).Select(n => Task.Run(async () => (n, answer: await broker.ResolveAsync(Init(n)))));
        var results = await Task.WhenAll(calls);

        results.Should().HaveCount(40);
        foreach (var (n, answer) in results)
        {
            answer!.Subject.Should().Be($"subject-{n}");
            answer.Data.GetProperty("result").GetInt32().Should().Be(n * 2);
        }

        broker.GetSubscriberCount("com.test.client").Should().Be(0);
        broker.QueueLength.Should().Be(0);
    }

    [Fact]
    public async Task ResolveAsync_NothingReachesInitiator_ReturnsNull()
    {
        var broker = SimpleEventBroker.Create(
            [DelegateEventHandler.Sync("com.test.silent", _ => [])],
            new SimpleEventBrokerOptions { OnError = (e, _) => throw e });

        var answer = await broker.ResolveAsync(Make("com.test.silent"));

        answer.Should().BeNull();
    }

    [Fact]
    public async Task ResolveAsync_FromInsideDelivery_ReportsNestedResolve()
    {
        Exception? reported = null;
        var broker = new SimpleEventBroker(new SimpleEventBrokerOptions { OnError = (e, _) => reported = e });
        broker.Subscribe("com.test.outer", async (_, ct) => await broker.ResolveAsync(Make("com.test.inner"), ct));

        await broker.PublishAsync(Make("com.test.outer"));

        reported.Should().BeOfType<ArvoBrokerException>().Which.Kind.Should().Be(ArvoBrokerErrorKind.NestedResolve);
    }
}
