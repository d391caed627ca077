using Arvo.Internal;

namespace Arvo.Tests.Internal;

public sealed class JsUriTests
{
    [Theory]
    [InlineData("test-subject")]
    [InlineData("a%20b")]
    [InlineData("a%C3%A9")]
    [InlineData("#/test/x/0.0.1")]
    [InlineData("eJw+/=")]
    [InlineData("https://x.y/z?q=1&r=2")]
    public void IsValid_UriValidValues_ReturnsTrue(string value)
    {
        JsUri.IsValid(value).Should().BeTrue();
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("é")]
    [InlineData("[x]")]
    [InlineData("a|b")]
    [InlineData("a^b")]
    [InlineData("a`b")]
    [InlineData("a{b}")]
    [InlineData("a\"b")]
    [InlineData("a<b>")]
    [InlineData("a\\b")]
    [InlineData("a%2Fb")]
    [InlineData("a%2fb")]
    [InlineData("a%23b")]
    [InlineData("a%3Fb")]
    [InlineData("a%2Bb")]
    [InlineData("a%c3%a9")]
    [InlineData("a%")]
    [InlineData("100%")]
    [InlineData("%E0%A4%A")]
    [InlineData("a%G1")]
    [InlineData("\ud800")]
    public void IsValid_InvalidValues_ReturnsFalse(string value)
    {
        JsUri.IsValid(value).Should().BeFalse();
    }

    [Theory]
    [InlineData("test source with spaces", "test%20source%20with%20spaces")]
    [InlineData("a%20b", "a%2520b")]
    [InlineData("https://example.com/redirect?param=value", "https://example.com/redirect?param=value")]
    [InlineData("é😀", "%C3%A9%F0%9F%98%80")]
    public void Encode_MatchesJavaScriptEncodeUri(string value, string expected)
    {
        JsUri.Encode(value).Should().Be(expected);
    }

    [Fact]
    public void Encode_LoneSurrogate_Throws()
    {
        var act = () => JsUri.Encode("a\udc00");

        act.Should().Throw<FormatException>();
    }

    [Theory]
    [InlineData("a%20b", "a b")]
    [InlineData("a%2Fb", "a%2Fb")]
    [InlineData("a%2fb", "a%2fb")]
    [InlineData("%F0%9F%98%80", "😀")]
    public void TryDecode_MatchesJavaScriptDecodeUri(string value, string expected)
    {
        JsUri.TryDecode(value, out var decoded).Should().BeTrue();
        decoded.Should().Be(expected);
    }

    [Theory]
    [InlineData("%C0%80")]
    [InlineData("%ED%A0%80")]
    [InlineData("%80")]
    [InlineData("%F4%90%80%80")]
    public void TryDecode_InvalidUtf8_ReturnsFalse(string value)
    {
        JsUri.TryDecode(value, out _).Should().BeFalse();
    }
}
