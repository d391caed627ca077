using Arvo.Events;

namespace Arvo.Tests.ExactlyOnce;

/// <summary><see cref="ArvoDerivedEventId"/>: RFC 9562 version-5 ids (expected values computed with Python's <c>uuid.uuid5</c>).</summary>
public sealed class DerivedEventIdTests
{
    [Theory]
    [InlineData("com.test.handler", "event-1", 0, "c40a3d82-140e-51f1-851d-de8c6b8e540d")]
    [InlineData("com.test.handler", "event-1", 1, "723e7340-d600-5e11-96d3-1217c11baa31")]
    public void Create_KnownNames_GiveTheRfcVersion5Uuid(string emitter, string consumed, int position, string expected)
    {
        ArvoDerivedEventId.Create(emitter, consumed, position).Should().Be(expected);
    }

    [Fact]
    public void Create_LongNonAsciiName_UsesTheRentedBufferAndGivesTheSameUuid()
    {
        ArvoDerivedEventId.Create("café", new string('x', 600), 12).Should().Be("878e8b22-49cc-56ef-8a01-d6e534b28520");
    }

    [Fact]
    public void Create_NegativePosition_Throws()
    {
        var act = () => ArvoDerivedEventId.Create("a", "b", -1);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
