using System.Text;
using Arvo.Events;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Events;

/// <summary><see cref="ArvoManagedEventId.TryParse"/> never throws; these inputs used to throw InvalidOperationException.</summary>
public sealed class ArvoManagedEventIdUntrustedInputTests
{
    [Theory]
    [InlineData("{\"uuid\":\"u\",\"value\":\"a\\ud800\"}")]
    [InlineData("{\"uuid\":\"\\udc00\",\"value\":\"v\"}")]
    public void TryParse_EscapedLoneSurrogateInside_ReturnsFalse(string json)
    {
        var id = SubjectText.Encode(json);

        ArvoManagedEventId.TryParse(id, out _, out var error).Should().BeFalse();

        error.Should().Be("The inflated id holds a lone UTF-16 surrogate in 'uuid' or 'value'.");
    }

    [Fact]
    public void TryParse_InvalidUtf8Inside_ReturnsFalse()
    {
        byte[] json = [.. Encoding.UTF8.GetBytes("{\"uuid\":\"u\",\"value\":\"a"), 0xFF, .. Encoding.UTF8.GetBytes("\"}")];

        ArvoManagedEventId.TryParse(SubjectText.EncodeBytes(json), out _, out var error).Should().BeFalse();

        error.Should().Be("The inflated id is not UTF-8 text.");
    }

    [Fact]
    public void Parse_InvalidId_ThrowsFormatExceptionQuotingTheId()
    {
        var act = () => ArvoManagedEventId.Parse("a\ud800");

        act.Should().Throw<FormatException>().WithMessage("\"a\\ud800\" is not an ARVO_MANAGED event id: The id is not base64 text.");
    }
}
