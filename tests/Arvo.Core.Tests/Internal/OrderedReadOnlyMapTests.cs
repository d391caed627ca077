using Arvo.Internal;

namespace Arvo.Tests.Internal;

public sealed class OrderedReadOnlyMapTests
{
    [Fact]
    public void Copy_Null_ReturnsTheSharedEmptyMap()
    {
        OrderedReadOnlyMap<string>.Copy(null, "p").Should().BeSameAs(OrderedReadOnlyMap<string>.Empty);
    }

    [Fact]
    public void Copy_ManyKeys_KeepsInsertionOrderAndLooksUpEveryKey()
    {
        var source = Enumerable.Range(0, 40).Select(i => KeyValuePair.Create($"k{39 - i}", i)).ToList();

        var map = OrderedReadOnlyMap<int>.Copy(source, "p");

        map.Keys.Should().Equal(source.Select(p => p.Key));
        map.Should().HaveCount(40);
        foreach (var (key, value) in source)
        {
            map[key].Should().Be(value);
        }

        map.ContainsKey("k40").Should().BeFalse();
    }

    [Fact]
    public void BuilderSet_RepeatedKeysBeyondTheIndexThreshold_KeepFirstPositionAndLastValue()
    {
        var builder = new OrderedReadOnlyMap<int>.Builder(0);
        for (var i = 0; i < 100; i++)
        {
            builder.Set($"k{i % 20}", i);
        }

        var map = builder.ToMap();

        map.Keys.Should().Equal(Enumerable.Range(0, 20).Select(i => $"k{i}"));
        map["k0"].Should().Be(80);
        map["k19"].Should().Be(99);
    }

    [Fact]
    public void Copy_NullKey_ThrowsArgumentExceptionNamingTheParameter()
    {
        var act = () => OrderedReadOnlyMap<string>.Copy([KeyValuePair.Create<string, string>(null!, "v")], "meta");

        act.Should().Throw<ArgumentException>().WithParameterName("meta");
    }

    [Fact]
    public void TryGetValue_NullKey_ThrowsArgumentNullException()
    {
        var map = OrderedReadOnlyMap<string>.Copy([KeyValuePair.Create("a", "b")], "p");

        var act = () => map.TryGetValue(null!, out _);

        act.Should().Throw<ArgumentNullException>();
    }
}
