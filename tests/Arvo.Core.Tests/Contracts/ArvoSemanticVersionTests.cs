using Arvo.Contracts;

namespace Arvo.Tests.Contracts;

public sealed class ArvoSemanticVersionTests
{
    [Theory]
    [InlineData("0.0.1")]
    [InlineData("01.2.3")]
    [InlineData("10.20.30")]
    [InlineData("0.0.0")]
    public void IsValid_Versions_ReturnsTrue(string text)
    {
        ArvoSemanticVersion.IsValid(text).Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.3-beta")]
    [InlineData("v1.2.3")]
    [InlineData("1..3")]
    [InlineData("1.2.3\n")]
    [InlineData("١.٢.٣")]
    [InlineData("invalid.version")]
    public void IsValid_NonVersions_ReturnsFalse(string text)
    {
        ArvoSemanticVersion.IsValid(text).Should().BeFalse();
    }

    [Fact]
    public void CompareTo_OrdersNumerically()
    {
        var versions = new[] { "1.0.0", "0.0.10", "0.0.9" }.Select(ArvoSemanticVersion.Parse).Order().Select(v => v.Text);

        versions.Should().Equal("0.0.9", "0.0.10", "1.0.0");
    }

    [Fact]
    public void Equals_LeadingZeros_AreNumericallyEqualButKeepText()
    {
        var padded = ArvoSemanticVersion.Parse("01.2.3");

        padded.Should().Be(ArvoSemanticVersion.Parse("1.2.3"));
        padded.GetHashCode().Should().Be(ArvoSemanticVersion.Parse("1.2.3").GetHashCode());
        padded.Text.Should().Be("01.2.3");
        ArvoSemanticVersion.Parse("00.0.000").IsWildcard.Should().BeTrue();
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionNamingTheValue()
    {
        var act = () => ArvoSemanticVersion.Parse("1.2");

        act.Should().Throw<FormatException>().WithMessage("*'1.2'*");
    }

    [Theory]
    [InlineData("#/a/b/1.2.3", "#/a/b", "1.2.3")]
    [InlineData("#/test/machine/invalid/0.0.1", "#/test/machine/invalid", "0.0.1")]
    [InlineData("1.2.3", "", "1.2.3")]
    public void Dataschema_TryParse_SplitsOnLastSlash(string dataschema, string uri, string version)
    {
        ArvoDataschema.TryParse(dataschema, out var parsed).Should().BeTrue();
        parsed.Uri.Should().Be(uri);
        parsed.Version.Text.Should().Be(version);
        parsed.ToString().Should().Be(uri.Length == 0 ? "/" + version : dataschema);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("#/a/v1")]
    [InlineData("#/a/1.2.3-beta")]
    public void Dataschema_TryParse_Invalid_ReturnsFalse(string? dataschema)
    {
        ArvoDataschema.TryParse(dataschema, out _).Should().BeFalse();
    }
}
