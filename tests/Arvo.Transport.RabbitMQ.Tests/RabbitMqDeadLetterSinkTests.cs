using Arvo.Dispatch;
using Arvo.Events;
using Arvo.Transport.RabbitMQ.Tests.TestSupport;

namespace Arvo.Transport.RabbitMQ.Tests;

public sealed class RabbitMqDeadLetterSinkTests
{
    [Fact]
    public async Task WriteAsync_PublishesTheOriginalEventWithTheReasonHeaders()
    {
        await using var scope = await BrokerScope.CreateAsync(partitions: 1);
        var sink = new RabbitMqDeadLetterSink(scope.Transport());
        var failed = RabbitMqTestBroker.Event("com.test.service", "subject-dead", 3);
        var at = new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.FromHours(1));

        await sink.WriteAsync(new ArvoDeadLetter(failed, ArvoDeadLetterReason.RetriesExhausted, "Lock acquisition denied", "LOCK_UNACQUIRED", 6, at));

        var dead = await scope.GetAsync(scope.Topology.DeadLetterQueue);
        dead.Should().NotBeNull();
        ArvoEventJson.Parse(dead!.Body.Span).Should().Be(failed);
        dead.BasicProperties.ContentType.Should().Be("application/cloudevents+json");
        dead.BasicProperties.MessageId.Should().Be(failed.Id);
        var headers = dead.BasicProperties.Headers!;
        var text = headers.Where(h => h.Value is byte[]).ToDictionary(h => h.Key, h => RabbitMqArvoTransportTests.Text(h.Value));
        text.Should().BeEquivalentTo(new Dictionary<string, string?>
        {
            ["arvo-dead-letter-reason"] = "RetriesExhausted",
            ["arvo-error-type"] = "LOCK_UNACQUIRED",
            ["arvo-error-detail"] = "Lock acquisition denied",
            ["arvo-dead-lettered-at"] = "2026-11-25T09:30:00.0000000Z",
            ["arvo-destination"] = "com.test.service",
        });
        headers["arvo-attempts"].Should().Be(6);
    }
}
