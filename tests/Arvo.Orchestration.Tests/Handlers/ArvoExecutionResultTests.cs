using Arvo.Events;
using Arvo.Handlers;

namespace Arvo.Tests.Handlers;

public sealed class ArvoExecutionResultTests
{
    private static ArvoEvent Event(string id, string? domain) => ArvoEvent.Create(new ArvoEventInit
    {
        Id = ArvoEventId.DeveloperManaged(id),
        Source = "com.test.source",
        Type = "evt.test.done",
        Subject = "test-subject",
        Data = new { },
        Domain = domain,
    });

    [Fact]
    public void From_MixedDomains_BucketsInFirstAppearanceOrder()
    {
        var a = Event("a", null);
        var b = Event("b", "external");
        var c = Event("c", null);
        var d = Event("d", "analytics");

        var result = ArvoExecutionResult.From([a, b, c, d]);

        result.All.Should().Equal(a, b, c, d);
        result.Events.Should().Equal(a, c);
        result.AllEventDomains.Should().Equal("default", "external", "analytics");
        result.DomainedEvents.Keys.Should().BeEquivalentTo("default", "external", "analytics", "all");
        result.DomainedEvents["all"].Should().Equal(a, b, c, d);
        result.DomainedEvents["external"].Should().Equal(b);
        result.ForDomain("analytics").Should().Equal(d);
        result.ForDomain(null).Should().Equal(a, c);
        result.ForDomain("missing").Should().BeEmpty();
    }

    [Fact]
    public void From_OnlyNullDomains_MapsDefaultAndAllToTheCompleteList()
    {
        var a = Event("a", null);
        var b = Event("b", null);

        var result = ArvoExecutionResult.From([a, b]);

        result.AllEventDomains.Should().Equal("default");
        result.DomainedEvents.Keys.Should().Equal("default", "all");
        result.DomainedEvents["default"].Should().Equal(a, b);
        result.DomainedEvents["all"].Should().Equal(a, b);
        result.ForDomain(null).Should().Equal(a, b);
    }

    [Fact]
    public void DomainedEvents_OnlyNullDomainsReadFromManyThreads_IsOneMap()
    {
        // The map of the common case is built on first read; concurrent first reads must agree on one instance.
        var result = ArvoExecutionResult.From([Event("a", null)]);
        var maps = new IReadOnlyDictionary<string, IReadOnlyList<ArvoEvent>>[8];

        Parallel.For(0, maps.Length, i => maps[i] = result.DomainedEvents);

        maps.Should().AllSatisfy(map => map.Should().BeSameAs(maps[0]));
    }

    [Fact]
    public void From_LiteralAllDomain_StaysReachableThroughForDomain()
    {
        var plain = Event("a", null);
        var literal = Event("b", "all");

        var result = ArvoExecutionResult.From([plain, literal]);

        result.DomainedEvents["all"].Should().Equal(plain, literal);
        result.ForDomain("all").Should().Equal(literal);
        result.AllEventDomains.Should().Equal("default", "all");
    }

    [Fact]
    public void From_NoEvents_IsEmpty()
    {
        var result = ArvoExecutionResult.From([]);

        result.Should().BeSameAs(ArvoExecutionResult.Empty);
        result.All.Should().BeEmpty();
        result.Events.Should().BeEmpty();
        result.AllEventDomains.Should().BeEmpty();
        result.DomainedEvents.Should().ContainSingle().Which.Key.Should().Be("all");
    }
}
