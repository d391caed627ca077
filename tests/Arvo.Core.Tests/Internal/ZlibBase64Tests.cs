using System.Buffers;
using System.IO.Compression;
using System.Text;
using Arvo.Internal;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Internal;

public sealed class ZlibBase64Tests
{
    private static readonly byte[] Sample = Encoding.UTF8.GetBytes("""{"orchestrator":{"name":"arvo.orc.test","version":"0.0.1"}}""");

    [Fact]
    public void Encode_Content_StartsWithTheDefaultZlibHeaderAndPadsBase64()
    {
        var text = ZlibBase64.Encode(Sample);

        Convert.FromBase64String(text)[..2].Should().Equal(0x78, 0x9C);
        text.Should().StartWith("eJ");
        (text.Length % 4).Should().Be(0);
    }

    [Fact]
    public void TryDecode_EncodedContent_ReturnsTheContentInAPooledBuffer()
    {
        var status = ZlibBase64.TryDecode(ZlibBase64.Encode(Sample), 1024, out var rented, out var length);

        status.Should().Be(ZlibBase64Status.Ok);
        rented.AsSpan(0, length).ToArray().Should().Equal(Sample);
        ArrayPool<byte>.Shared.Return(rented);
    }

    [Fact]
    public void TryDecode_UrlSafeUnpaddedAndMixedAlphabets_DecodeAlike()
    {
        var standard = SubjectText.EncodeBytes([.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))], CompressionLevel.NoCompression);
        standard.Should().Contain("+").And.Contain("/");
        var urlSafe = standard.Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var mixed = standard.Replace('+', '-').TrimEnd('=');

        Decode(urlSafe).Should().Equal(Decode(standard));
        Decode(mixed).Should().Equal(Decode(standard));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("eJwD AAAAAAE=")]
    [InlineData("eJwD\tAAAAAAE=")]
    [InlineData("eJwDAAAAAAE=\n")]
    [InlineData("eJwDAAAA*AE=")]
    [InlineData("eJwDAA=AAAE=")]
    public void TryDecode_NotBase64_ReturnsInvalidBase64(string text)
    {
        ZlibBase64.TryDecode(text, 1024, out _, out _).Should().Be(ZlibBase64Status.InvalidBase64);
    }

    [Fact]
    public void TryDecode_EmptyZlibStream_ReturnsOkWithNoContent()
    {
        ZlibBase64.TryDecode("eJwDAAAAAAE=", 0, out var rented, out var length).Should().Be(ZlibBase64Status.Ok);
        length.Should().Be(0);
        ArrayPool<byte>.Shared.Return(rented);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(12)]
    public void TryDecode_TruncatedStream_ReturnsInvalidZlib(int missingBytes)
    {
        // The runtime's inflater returns the partial output of a truncated stream without an error.
        var stream = SubjectText.Compress(Sample);

        ZlibBase64.TryDecode(Convert.ToBase64String(stream[..^missingBytes]), 1024, out _, out _).Should().Be(ZlibBase64Status.InvalidZlib);
    }

    [Fact]
    public void TryDecode_TrailingBytes_ReturnsInvalidZlib()
    {
        var stream = SubjectText.Compress(Sample);

        ZlibBase64.TryDecode(Convert.ToBase64String([.. stream, 0x00]), 1024, out _, out _).Should().Be(ZlibBase64Status.InvalidZlib);
    }

    [Fact]
    public void TryDecode_WrongChecksum_ReturnsInvalidZlib()
    {
        var stream = SubjectText.Compress(Sample);
        stream[^2] ^= 0x10;

        ZlibBase64.TryDecode(Convert.ToBase64String(stream), 1024, out _, out _).Should().Be(ZlibBase64Status.InvalidZlib);
    }

    [Theory]
    [InlineData(new byte[] { 0x78, 0x9D })] // header checksum fails
    [InlineData(new byte[] { 0x79, 0x9C })] // compression method 9
    [InlineData(new byte[] { 0x88, 0x98 })] // window size 2^16 (CINFO 8)
    [InlineData(new byte[] { 0x78, 0xBB })] // preset dictionary requested
    public void TryDecode_BadHeader_ReturnsInvalidZlib(byte[] header)
    {
        var stream = SubjectText.Compress(Sample);
        stream[0] = header[0];
        stream[1] = header[1];

        ZlibBase64.TryDecode(Convert.ToBase64String(stream), 1024, out _, out _).Should().Be(ZlibBase64Status.InvalidZlib);
    }

    [Fact]
    public void TryDecode_ContentExactlyAtTheBound_ReturnsOk()
    {
        ZlibBase64.TryDecode(ZlibBase64.Encode(Sample), Sample.Length, out var rented, out var length).Should().Be(ZlibBase64Status.Ok);
        length.Should().Be(Sample.Length);
        ArrayPool<byte>.Shared.Return(rented);
    }

    [Fact]
    public void TryDecode_ContentOneByteOverTheBound_ReturnsTooLarge()
    {
        ZlibBase64.TryDecode(ZlibBase64.Encode(Sample), Sample.Length - 1, out var rented, out var length).Should().Be(ZlibBase64Status.TooLarge);
        rented.Should().BeEmpty();
        length.Should().Be(0);
    }

    [Fact]
    public void TryDecode_LargeContentWithinTheBound_GrowsTheBufferAndKeepsEveryByte()
    {
        var content = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray();

        ZlibBase64.TryDecode(ZlibBase64.Encode(content), 1 << 20, out var rented, out var length).Should().Be(ZlibBase64Status.Ok);
        rented.AsSpan(0, length).SequenceEqual(content).Should().BeTrue();
        ArrayPool<byte>.Shared.Return(rented);
    }

    [Fact]
    public void TryDecode_BombAgainstTheLargestBound_StopsAtTheBound()
    {
        var bomb = ZlibBase64.Encode(new byte[4 << 20]);

        ZlibBase64.TryDecode(bomb, 1 << 20, out _, out _).Should().Be(ZlibBase64Status.TooLarge);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void TryDecode_BoundOutOfRange_ThrowsInsteadOfOverflowing(int bound)
    {
        var act = () => ZlibBase64.TryDecode("eJwDAAAAAAE=", bound, out _, out _);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData("", 0x00000001u)]
    [InlineData("a", 0x00620062u)]
    [InlineData("Wikipedia", 0x11E60398u)]
    public void Adler32_KnownInputs_MatchRfc1950(string text, uint expected)
    {
        ZlibBase64.Adler32(Encoding.ASCII.GetBytes(text)).Should().Be(expected);
    }

    [Fact]
    public void Adler32_LongInput_MatchesTheRuntimeTrailer()
    {
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)(255 - (i % 256))).ToArray();
        var stream = SubjectText.Compress(content);

        ZlibBase64.Adler32(content).Should().Be(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(stream.Length - 4)));
    }

    private static byte[] Decode(string text)
    {
        ZlibBase64.TryDecode(text, 1 << 20, out var rented, out var length).Should().Be(ZlibBase64Status.Ok);
        var result = rented.AsSpan(0, length).ToArray();
        ArrayPool<byte>.Shared.Return(rented);
        return result;
    }
}
