using System.Text;
using Arvo.Internal;

namespace Arvo.Tests.Internal;

public sealed class JsonTextTests
{
    // A Fact, not a Theory: lone surrogates do not survive xunit's serialization of theory data.
    [Fact]
    public void IndexOfLoneSurrogate_FindsTheFirstUnpairedSurrogate()
    {
        JsonText.IndexOfLoneSurrogate("plain").Should().Be(-1);
        JsonText.IndexOfLoneSurrogate("\ud83d\ude00").Should().Be(-1);
        JsonText.IndexOfLoneSurrogate("a\ud800").Should().Be(1);
        JsonText.IndexOfLoneSurrogate("\udc00a").Should().Be(0);
        JsonText.IndexOfLoneSurrogate("\ud83d\ude00\ude00").Should().Be(2);
        JsonText.IndexOfLoneSurrogate("\ud800\ud800\udc00").Should().Be(0);
    }

    [Theory]
    [InlineData("abc", "None")]
    [InlineData("\\ud83d\\ude00", "None")]
    [InlineData("\\\\ud800", "None")]
    [InlineData("\\u00e9\\n\\\"", "None")]
    [InlineData("\\ud800", "LoneSurrogate")]
    [InlineData("\\ud800x", "LoneSurrogate")]
    [InlineData("\\ud800\\n", "LoneSurrogate")]
    [InlineData("\\ude00\\ud83d", "LoneSurrogate")]
    [InlineData("\\ud800\\ud800", "LoneSurrogate")]
    public void CheckStringToken_ClassifiesEscapes(string raw, string expected)
    {
        JsonText.CheckStringToken(Encoding.UTF8.GetBytes(raw)).ToString().Should().Be(expected);
    }

    [Fact]
    public void CheckStringToken_EncodedSurrogateBytes_AreALoneSurrogate()
    {
        JsonText.CheckStringToken([0x61, 0xED, 0xA0, 0x80]).Should().Be(TextProblem.LoneSurrogate);
        JsonText.CheckStringToken([0x61, 0xFF]).Should().Be(TextProblem.InvalidUtf8);
    }

    [Fact]
    public void TranscodeWithoutReplacement_WritesLoneSurrogatesAsThreeBytesAndPairsAsUtf8()
    {
        var destination = new byte[64];

        var length = JsonText.TranscodeWithoutReplacement("a\ud800\ud83d\ude00", destination);

        destination[..length].Should().Equal(0x61, 0xED, 0xA0, 0x80, 0xF0, 0x9F, 0x98, 0x80);
    }

    [Theory]
    [InlineData("""{"a":[1,{"b":"\ud800"}]}""", "data.a[1].b")]
    [InlineData("""[0,0,"\udc00"]""", "data[2]")]
    [InlineData("""{"x":{},"\udfffk":1}""", "data.\\udfffk")]
    public void CheckValue_ReportsTheJsonPathOfTheFirstProblem(string json, string path)
    {
        JsonText.CheckValue(Encoding.UTF8.GetBytes(json), "data", 0, out var found).Should().Be(TextProblem.LoneSurrogate);

        found.Should().Be(path);
    }

    [Fact]
    public void CheckValue_DeeperThanAllowed_ReportsTooDeep()
    {
        var json = Encoding.UTF8.GetBytes("{\"a\":[[1]]}");

        JsonText.CheckValue(json, "data", 3, out _).Should().Be(TextProblem.None);
        JsonText.CheckValue(json, "data", 2, out var path).Should().Be(TextProblem.TooDeep);
        path.Should().Be("data.a[0]");
    }
}
