using System.Text;
using Arvo.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Events;

/// <summary>The limits of <see cref="ArvoEventParseOptions"/>: typed errors at the first excess, linear work below it.</summary>
public sealed class ArvoEventParseOptionsTests
{
    [Fact]
    public void Default_HasTheDocumentedLimits()
    {
        ArvoEventParseOptions.Default.MaxExtensionAttributes.Should().Be(256);
        ArvoEventParseOptions.Default.MaxDepth.Should().Be(64);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1001)]
    public void MaxDepth_OutOfRange_Throws(int depth)
    {
        var act = () => new ArvoEventParseOptions { MaxDepth = depth };

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void MaxExtensionAttributes_Negative_Throws()
    {
        var act = () => new ArvoEventParseOptions { MaxExtensionAttributes = -1 };

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    // The reported case: 64,000 custom extensions took 12.5 s (a linear duplicate scan per extension).
    [Fact]
    public void Parse_SixtyFourThousandExtensions_ThrowsTheLimitErrorAtTheFirstExcess()
    {
        var json = WithExtensions(64_000);

        foreach (var parse in new Func<ArvoEvent>[] { () => ArvoEventJson.Parse(json), () => ArvoEventJson.Parse(Encoding.UTF8.GetBytes(json)) })
        {
            var error = parse.Should().Throw<ArvoEventValidationException>().Which;
            error.Attribute.Should().Be("x256");
            error.Reason.Should().Be("The event has more than 256 custom extension attributes");
            error.Expected.Should().Be("at most 256 custom extension attributes (ArvoEventParseOptions.MaxExtensionAttributes)");
        }
    }

    [Fact]
    public void Parse_SixtyFourThousandExtensionsWithTheLimitRaised_KeepsEveryOneInOrder()
    {
        var options = new ArvoEventParseOptions { MaxExtensionAttributes = 64_000 };

        var arvoEvent = ArvoEventJson.Parse(WithExtensions(64_000), options);

        arvoEvent.Extensions.Should().HaveCount(64_000);
        arvoEvent.Extensions.Keys.First().Should().Be("x0");
        arvoEvent.Extensions.Keys.Last().Should().Be("x63999");
        arvoEvent.Extensions["x40000"].Should().Be(40000d);
        arvoEvent.Should().Be(ArvoEventJson.Parse(arvoEvent.ToJson(), options));
    }

    [Fact]
    public void Parse_ExactlyTheLimit_IsAccepted()
    {
        var options = new ArvoEventParseOptions { MaxExtensionAttributes = 3 };

        ArvoEventJson.Parse(WithExtensions(3), options).Extensions.Should().HaveCount(3);
        FluentActions.Invoking(() => ArvoEventJson.Parse(WithExtensions(4), options))
            .Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("x3");
    }

    [Fact]
    public void Parse_ZeroExtensionsAllowed_RejectsTheFirst()
    {
        var options = new ArvoEventParseOptions { MaxExtensionAttributes = 0 };

        ArvoEventJson.Parse(TestEvents.ExampleB, options).Extensions.Should().BeEmpty();
        FluentActions.Invoking(() => ArvoEventJson.Parse(WithExtensions(1), options))
            .Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be("x0");
    }

    [Fact]
    public void FromCloudEvent_MoreExtensionsThanAllowed_ThrowsTheLimitError()
    {
        var cloudEvent = ArvoEventJson.Parse(WithExtensions(5)).ToCloudEvent();

        var act = () => ArvoEvent.FromCloudEvent(cloudEvent, new ArvoEventParseOptions { MaxExtensionAttributes = 4 });

        act.Should().Throw<ArvoEventValidationException>().Which.Reason.Should().Be("The event has more than 4 custom extension attributes");
    }

    [Theory]
    [InlineData(10, 10, true)]
    [InlineData(10, 11, false)]
    public void Parse_MaxDepth_CountsTheEventObjectAsOne(int maxDepth, int dataDepth, bool accepted)
    {
        // The event object is depth 1 and data depth 2, so dataDepth - 2 nested arrays inside data reach depth dataDepth.
        var nested = new string('[', dataDepth - 2) + new string(']', dataDepth - 2);
        var json = TestEvents.ExampleB.Replace("{ \"delta\": 1 }", "{ \"deep\": " + nested + " }", StringComparison.Ordinal);
        var options = new ArvoEventParseOptions { MaxDepth = maxDepth };
        using var document = System.Text.Json.JsonDocument.Parse(json, new System.Text.Json.JsonDocumentOptions { MaxDepth = 100 });

        foreach (var parse in new Func<ArvoEvent>[] { () => ArvoEventJson.Parse(json, options), () => ArvoEventJson.Parse(document.RootElement, options) })
        {
            if (accepted)
            {
                parse.Should().NotThrow();
            }
            else
            {
                parse.Should().Throw<ArvoEventValidationException>().Which.Attribute.Should().Be(ArvoEventValidationException.DocumentAttribute);
            }
        }
    }

    private static string WithExtensions(int count)
    {
        var builder = new StringBuilder(TestEvents.ExampleB.Length + count * 12);
        builder.Append(TestEvents.ExampleB.AsSpan(0, TestEvents.ExampleB.LastIndexOf('}')));
        for (var i = 0; i < count; i++)
        {
            builder.Append(", \"x").Append(i).Append("\": ").Append(i);
        }

        return builder.Append('}').ToString();
    }
}
