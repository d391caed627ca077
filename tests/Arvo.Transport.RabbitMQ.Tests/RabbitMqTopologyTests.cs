namespace Arvo.Transport.RabbitMQ.Tests;

public sealed class RabbitMqTopologyTests
{
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void Fnv1a_KnownVectors_MatchTheReferenceHash(string input, uint expected) =>
        RabbitMqTopology.Fnv1a(input).Should().Be(expected);

    [Fact]
    public void PartitionOf_IsFnv1aOfTheUtf8KeyModuloThePartitions()
    {
        var topology = new RabbitMqTopology("arvo", 16);

        topology.PartitionOf("foobar").Should().Be((int)(0xbf9cf968u % 16));
        topology.PartitionOf("é-subject").Should().Be((int)(RabbitMqTopology.Fnv1a("é-subject") % 16));
    }

    [Fact]
    public void Names_FollowThePrefixDestinationAndPartition()
    {
        var topology = new RabbitMqTopology("orders", 4);

        (topology.EventsExchange, topology.DeadLetterExchange, topology.DeadLetterQueue)
            .Should().Be(("orders.events", "orders.dead-letters", "orders.dead-letters"));
        topology.PartitionQueue("com.number.increment", 3).Should().Be("orders.com.number.increment.3");
        topology.RoutingKey("com.number.increment", 3).Should().Be("com.number.increment.3");
        topology.MembersQueue("com.number.increment").Should().Be("orders.com.number.increment.members");
        var outside = () => topology.PartitionQueue("com.number.increment", 4);
        outside.Should().Throw<ArgumentOutOfRangeException>();
    }
}
