using Arvo.Internal;

namespace Arvo.Tests.Internal;

/// <summary>The exact time validator (zod <c>datetime({ offset: true })</c>) and the timestamp formatter: W-8.</summary>
public sealed class ArvoTimeTests
{
    // W-8 accepted, plus the wire-format.md 2.1 table and regex edge cases.
    [Theory]
    [InlineData("2025-01-01T00:00:00Z")]
    [InlineData("2025-01-01T00:00:00.000+00:00")]
    [InlineData("2025-01-01T00:00:00.123456789+05:30")]
    [InlineData("2025-01-01T00:00Z")]
    [InlineData("2025-01-01T00:00:00+0530")]
    [InlineData("2025-01-01T00:00-05:00")]
    [InlineData("2025-01-01T23:59:59.9Z")]
    [InlineData("2024-02-29T00:00:00Z")]
    [InlineData("2000-02-29T00:00:00Z")]
    [InlineData("0000-02-29T00:00:00Z")]
    [InlineData("2025-01-31T00:00:00Z")]
    [InlineData("2025-04-30T00:00:00Z")]
    [InlineData("2025-01-01T00:00:00+99:99")]
    public void IsValid_AcceptedByReference_ReturnsTrue(string value)
    {
        ArvoTime.IsValid(value).Should().BeTrue();
    }

    // W-8 rejected, plus edge cases.
    [Theory]
    [InlineData("2025-01-01T00:00:00+05")]
    [InlineData("2025-01-01T00:00:00")]
    [InlineData("2025-01-01 00:00:00Z")]
    [InlineData("2025-01-01T24:00:00Z")]
    [InlineData("2025-13-01T00:00:00Z")]
    [InlineData("2025-00-01T00:00:00Z")]
    [InlineData("2025-01-00T00:00:00Z")]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("1900-02-29T00:00:00Z")]
    [InlineData("2025-04-31T00:00:00Z")]
    [InlineData("2025-01-01T00:60:00Z")]
    [InlineData("2025-01-01T00:00:60Z")]
    [InlineData("2025-01-01T00:00:00.Z")]
    [InlineData("2025-01-01T00:00.5Z")]
    [InlineData("2025-01-01t00:00:00Z")]
    [InlineData("2025-01-01T00:00:00z")]
    [InlineData("2025-01-01T00:00:00Z ")]
    [InlineData("2025-01-01T00:00:00Z\n")]
    [InlineData("2025-01-01T00:00:00+05:3")]
    [InlineData("2025-01-01T00:00:00+05:300")]
    [InlineData("2025-01-01T00:00:00+0:00")]
    [InlineData("25-01-01T00:00:00Z")]
    [InlineData("+2025-01-01T00:00:00Z")]
    [InlineData("2025-01-01")]
    [InlineData("2025-01-01T0:00:00Z")]
    [InlineData("٢٠٢٥-01-01T00:00:00Z")]
    [InlineData("")]
    public void IsValid_RejectedByReference_ReturnsFalse(string value)
    {
        ArvoTime.IsValid(value).Should().BeFalse();
    }

    [Theory]
    [InlineData("2025-01-01T05:30:00.250+05:30", "2025-01-01T00:00:00.2500000+00:00")]
    [InlineData("2025-01-01T00:00Z", "2025-01-01T00:00:00.0000000+00:00")]
    [InlineData("2025-01-01T00:00:00.123456789-0100", "2025-01-01T01:00:00.1234567+00:00")]
    public void TryGetInstant_ValidTime_ReturnsInstantTruncatedToTicks(string value, string expectedUtc)
    {
        ArvoTime.TryGetInstant(value, out var instant).Should().BeTrue();

        instant.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture).Should().Be(expectedUtc);
    }

    [Theory]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2025-01-01T00:00:00+15:00")]
    [InlineData("2025-01-01T00:00:00+05:60")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("not a time")]
    public void TryGetInstant_UnrepresentableOrInvalid_ReturnsFalse(string value)
    {
        ArvoTime.TryGetInstant(value, out _).Should().BeFalse();
    }

    [Fact]
    public void FormatUtc_NonUtcOffset_PrintsUtcWallClock()
    {
        var now = new DateTimeOffset(2026, 11, 25, 11, 54, 15, 188, TimeSpan.FromHours(5));

        ArvoTime.FormatUtc(now).Should().Be("2026-11-25T06:54:15.188+00:00");
    }

    [Fact]
    public void FormatUtc_EarlyYear_PadsWithZeros()
    {
        ArvoTime.FormatUtc(new DateTimeOffset(5, 2, 3, 4, 5, 6, 7, TimeSpan.Zero)).Should().Be("0005-02-03T04:05:06.007+00:00");
    }

    [Fact]
    public void FormatUtcShared_SameMillisecond_ReturnsTheSameTextInstance()
    {
        var first = new DateTimeOffset(2026, 12, 7, 10, 0, 0, 250, TimeSpan.Zero);

        var a = ArvoTime.FormatUtcShared(first);
        var b = ArvoTime.FormatUtcShared(first.AddTicks(9_999));

        a.Should().Be("2026-12-07T10:00:00.250+00:00");
        b.Should().BeSameAs(a);
    }

    [Fact]
    public void FormatUtcShared_NextMillisecondOrAnotherOffset_FormatsTheTrueUtcInstant()
    {
        var first = new DateTimeOffset(2026, 12, 7, 10, 0, 0, 250, TimeSpan.Zero);

        ArvoTime.FormatUtcShared(first).Should().Be("2026-12-07T10:00:00.250+00:00");
        ArvoTime.FormatUtcShared(first.AddMilliseconds(1)).Should().Be("2026-12-07T10:00:00.251+00:00");
        ArvoTime.FormatUtcShared(first.AddMilliseconds(-1)).Should().Be("2026-12-07T10:00:00.249+00:00");
        ArvoTime.FormatUtcShared(new DateTimeOffset(2026, 12, 7, 15, 0, 0, 249, TimeSpan.FromHours(5))).Should().Be("2026-12-07T10:00:00.249+00:00");
    }

    [Fact]
    public async Task FormatUtcShared_OnOtherThreads_GivesEachItsOwnCorrectText()
    {
        var start = new DateTimeOffset(2026, 12, 7, 10, 0, 0, 0, TimeSpan.Zero);

        var texts = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var mine = new List<string>();
            for (var i = 0; i < 1_000; i++)
            {
                mine.Add(ArvoTime.FormatUtcShared(start.AddMilliseconds((worker * 1_000) + (i / 3))));
            }

            return mine;
        })));

        for (var worker = 0; worker < texts.Length; worker++)
        {
            for (var i = 0; i < 1_000; i++)
            {
                texts[worker][i].Should().Be(ArvoTime.FormatUtc(start.AddMilliseconds((worker * 1_000) + (i / 3))));
            }
        }
    }
}

