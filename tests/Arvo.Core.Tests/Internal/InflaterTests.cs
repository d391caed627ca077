using System.Buffers;
using System.IO.Compression;
using System.Text;
using Arvo.Internal;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Internal;

public sealed class InflaterTests
{
    private const string SubjectJson =
        """{"orchestrator":{"name":"arvo.orc.counter","version":"0.0.1"},"execution":{"id":"3f2a6c1e-8b4d-4c1a-9e7f-0a1b2c3d4e5f","initiator":"com.test.service","domain":null},"meta":{"redirectto":"com.test.other.service"}}""";

    private static readonly byte[] Hello = Encoding.ASCII.GetBytes("hello");

    public static TheoryData<string, CompressionLevel> RoundTripCases()
    {
        var data = new TheoryData<string, CompressionLevel>();
        foreach (var name in Contents.Keys)
        {
            foreach (var level in Enum.GetValues<CompressionLevel>())
            {
                data.Add(name, level);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, byte[]> Contents = new()
    {
        // Empty content is in the byte-exact vectors: for it the runtime's compressor writes no stream at all.
        ["one byte"] = [0x61],
        ["subject JSON"] = Encoding.UTF8.GetBytes(SubjectJson),
        ["random 1000"] = RandomBytes(1, 1000),
        ["random 200000 (incompressible)"] = RandomBytes(2, 200_000),
        ["one byte repeated 200000 (distance 1)"] = [.. Enumerable.Repeat((byte)'a', 200_000)],
        ["random 32000 repeated 6 times (distances near 32 KiB)"] = [.. Enumerable.Repeat(RandomBytes(3, 32_000), 6).SelectMany(chunk => chunk)],
        ["JSON-like text 200000"] = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"{{\"id\":{i},\"name\":\"item-{i % 37}\"}},"))),
        ["every byte value"] = [.. Enumerable.Range(0, 256).Select(i => (byte)i)],
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void Inflate_RuntimeCompressedContent_ReturnsTheContent(string content, CompressionLevel level)
    {
        var expected = Contents[content];
        var deflate = DeflateWriter.RuntimeDeflate(expected, level);

        var (status, output, consumed) = Inflate(deflate, expected.Length);

        status.Should().Be(InflaterStatus.Ok);
        consumed.Should().Be(deflate.Length);
        output.AsSpan().SequenceEqual(expected).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void TryDecode_RuntimeCompressedContent_ReturnsTheContent(string content, CompressionLevel level)
    {
        var expected = Contents[content];
        var text = SubjectText.EncodeBytes(expected, level);

        ZlibBase64.TryDecode(text, expected.Length, out var rented, out var length).Should().Be(ZlibBase64Status.Ok);
        length.Should().Be(expected.Length);
        rented.AsSpan(0, length).SequenceEqual(expected).Should().BeTrue();
        ArrayPool<byte>.Shared.Return(rented);
    }

    [Fact]
    public void Inflate_SeededRandomCorpus_MatchesTheRuntimeCompressorInput()
    {
        var random = new Random(1951);
        var levels = Enum.GetValues<CompressionLevel>();
        for (var i = 0; i < 500; i++)
        {
            var content = RandomContent(random);
            var level = levels[random.Next(levels.Length)];
            var deflate = DeflateWriter.RuntimeDeflate(content, level);

            var (status, output, consumed) = Inflate(deflate);

            status.Should().Be(InflaterStatus.Ok, "case {0} ({1} bytes, {2})", i, content.Length, level);
            consumed.Should().Be(deflate.Length, "case {0}", i);
            output.AsSpan().SequenceEqual(content).Should().BeTrue("case {0} ({1} bytes, {2})", i, content.Length, level);
        }
    }

    [Fact]
    public void Inflate_CorruptedStreams_NeverThrowAndAgreeWithTheRuntime()
    {
        // Flip one to three bits of valid streams (all block types): whatever comes out, what this inflater accepts the
        // runtime decodes to the same bytes, and what the runtime rejects this inflater rejects too.
        var random = new Random(1950);
        var originals = new[]
        {
            DeflateWriter.RuntimeDeflate(Encoding.UTF8.GetBytes(SubjectJson)),
            DeflateWriter.RuntimeDeflate(Encoding.UTF8.GetBytes(SubjectJson), CompressionLevel.Fastest),
            DeflateWriter.RuntimeDeflate(RandomContent(new Random(7))),
            DeflateWriter.RuntimeDeflate(RandomBytes(8, 200), CompressionLevel.NoCompression),
            TruncationStreams["fixed, stored and dynamic blocks"][2..^4],
        };
        for (var i = 0; i < 3000; i++)
        {
            var deflate = (byte[])originals[i % originals.Length].Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                deflate[random.Next(deflate.Length)] ^= (byte)(1 << random.Next(8));
            }

            var (status, output, _) = Inflate(deflate);
            var runtime = DeflateWriter.RuntimeInflate(deflate);

            if (status == InflaterStatus.Ok)
            {
                runtime.Should().NotBeNull("case {0}: {1}", i, Convert.ToHexString(deflate));
                output.AsSpan().SequenceEqual(runtime).Should().BeTrue("case {0}: {1}", i, Convert.ToHexString(deflate));
            }

            if (runtime is null)
            {
                status.Should().Be(InflaterStatus.InvalidData, "case {0}: {1}", i, Convert.ToHexString(deflate));
            }
        }
    }

    [Theory]
    [InlineData("0300", "")] // empty fixed block
    [InlineData("4B0400", "a")] // zlib's deflate of "a"
    [InlineData("CB48CDC9C90700", "hello")] // zlib's deflate of "hello"
    [InlineData("010500FAFF68656C6C6F", "hello")] // one stored block
    [InlineData("000200FDFF6865010300FCFF6C6C6F", "hello")] // two stored blocks, BFINAL on the second
    [InlineData("4B4C4A862300", "abcabcabcabc")] // fixed: a, b, c, then length 9 distance 3
    [InlineData("4B440200", "aaaaaaaaaaaa")] // fixed: a, then length 11 distance 1
    [InlineData("000000FFFF4B040200", "aaaa")] // an empty stored block, then fixed: a, length 3 distance 1
    public void Inflate_ByteExactVectors_ReturnTheExpectedBytes(string deflateHex, string expected)
    {
        var deflate = Convert.FromHexString(deflateHex);

        var (status, output, consumed) = Inflate(deflate);

        status.Should().Be(InflaterStatus.Ok);
        Encoding.ASCII.GetString(output).Should().Be(expected);
        consumed.Should().Be(deflate.Length);
        DeflateWriter.RuntimeInflate(deflate).Should().Equal(output);
    }

    [Fact]
    public void Inflate_HandMadeFixedBlock_DecodesLiteralsAndMatches()
    {
        var deflate = new DeflateWriter().Fixed(final: true).Literals("abc"u8.ToArray()).Match(9, 3).EndOfBlock().ToArray();

        var (status, output, _) = Inflate(deflate);

        deflate.Should().Equal(0x4B, 0x4C, 0x4A, 0x86, 0x23, 0x00);
        status.Should().Be(InflaterStatus.Ok);
        Encoding.ASCII.GetString(output).Should().Be("abcabcabcabc");
    }

    [Fact]
    public void Inflate_EveryFixedLiteral_DecodesToItsByte()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var deflate = new DeflateWriter().Fixed(final: true).Literals(all).EndOfBlock().ToArray();

        var (status, output, _) = Inflate(deflate);

        status.Should().Be(InflaterStatus.Ok);
        output.Should().Equal(all);
        DeflateWriter.RuntimeInflate(deflate).Should().Equal(all);
    }

    [Fact]
    public void Inflate_EveryLengthAndDistanceBoundary_CopiesFromTheRightPlace()
    {
        // 32 KiB of random bytes to refer back to, then every length 3-258 and the first and last distance of every
        // distance code (1 to 32768), checked against a plain LZ77 expansion and the runtime.
        var prefix = RandomBytes(4, 32_768);
        var writer = new DeflateWriter().Stored(final: false, prefix[..16_384]).Stored(final: false, prefix[16_384..]).Fixed(final: true);
        var expected = new List<byte>(prefix);
        var distances = new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 16, 17, 24, 25, 32, 33, 48, 49, 64, 65, 96, 97, 128, 129, 192, 193, 256, 257, 384, 385, 512, 513, 768, 769, 1024, 1025, 1536, 1537, 2048, 2049, 3072, 3073, 4096, 4097, 6144, 6145, 8192, 8193, 12288, 12289, 16384, 16385, 24576, 24577, 32767, 32768 };
        for (var length = 3; length <= 258; length++)
        {
            var distance = distances[length % distances.Length];
            writer.Match(length, distance);
            for (var i = 0; i < length; i++)
            {
                expected.Add(expected[^distance]);
            }
        }

        foreach (var distance in distances)
        {
            writer.Match(258, distance);
            for (var i = 0; i < 258; i++)
            {
                expected.Add(expected[^distance]);
            }
        }

        var deflate = writer.EndOfBlock().ToArray();

        var (status, output, _) = Inflate(deflate);

        status.Should().Be(InflaterStatus.Ok);
        output.AsSpan().SequenceEqual(expected.ToArray()).Should().BeTrue();
        DeflateWriter.RuntimeInflate(deflate).Should().Equal(output);
    }

    [Fact]
    public void Inflate_MultipleBlockTypesWithBFinalOnlyOnTheLast_ConcatenatesTheirOutput()
    {
        var deflate = new DeflateWriter()
            .Fixed(final: false).Literals("ab"u8.ToArray()).Match(4, 2).EndOfBlock()
            .Stored(final: false, "-stored-"u8.ToArray())
            .Dynamic(final: false, DynamicLengths(), [2, 2, 2, 2])
            .Literals("xyz"u8.ToArray()).Match(3, 3).EndOfBlock()
            .Fixed(final: true).Literals("!"u8.ToArray()).EndOfBlock()
            .ToArray();

        var (status, output, consumed) = Inflate(deflate);

        status.Should().Be(InflaterStatus.Ok);
        Encoding.ASCII.GetString(output).Should().Be("ababab-stored-xyzxyz!");
        consumed.Should().Be(deflate.Length);
        DeflateWriter.RuntimeInflate(deflate).Should().Equal(output);
    }

    [Fact]
    public void Inflate_StreamWithoutAFinalBlock_ReturnsInvalidData()
    {
        var deflate = new DeflateWriter().Fixed(final: false).Literals(Hello).EndOfBlock().ToArray();

        Inflate(deflate).Status.Should().Be(InflaterStatus.InvalidData);
    }

    [Fact]
    public void Inflate_DataAfterTheFinalBlock_ReturnsOkWithTheBytesTheStreamTook()
    {
        var deflate = Convert.FromHexString("CB48CDC9C90700" + "FF00");

        var (status, output, consumed) = Inflate(deflate);

        status.Should().Be(InflaterStatus.Ok);
        output.Should().Equal(Hello);
        consumed.Should().Be(7);
    }

    [Fact]
    public void Inflate_LongCodesInBothTrees_UseTheSecondLevelTables()
    {
        // Literal/length codes of 1 to 15 bits ('A'-'N' 1-14 bits, end-of-block and length 3 15 bits) and distance
        // codes of 1 to 15 bits (symbols 0-13 1-14 bits, 14 and 15 15 bits): complete, and deeper than both roots.
        var literalLengths = new byte[258];
        for (var i = 0; i < 14; i++)
        {
            literalLengths['A' + i] = (byte)(i + 1);
        }

        literalLengths[256] = 15;
        literalLengths[257] = 15;
        var distanceLengths = new byte[16];
        for (var i = 0; i < 14; i++)
        {
            distanceLengths[i] = (byte)(i + 1);
        }

        distanceLengths[14] = 15;
        distanceLengths[15] = 15;
        var literals = Enumerable.Range(0, 300).Select(i => (byte)('A' + (i * 5 % 14))).ToArray();
        var writer = new DeflateWriter().Dynamic(final: true, literalLengths, distanceLengths).Literals(literals);
        var expected = new List<byte>(literals);
        foreach (var distance in new[] { 129, 192, 193, 256, 1, 2, 17, 24 })
        {
            writer.Match(3, distance);
            for (var i = 0; i < 3; i++)
            {
                expected.Add(expected[^distance]);
            }
        }

        var deflate = writer.EndOfBlock().ToArray();

        var (status, output, _) = Inflate(deflate);

        status.Should().Be(InflaterStatus.Ok);
        output.Should().Equal(expected);
        DeflateWriter.RuntimeInflate(deflate).Should().Equal(output);
    }

    [Fact]
    public void Inflate_SingleOneBitDistanceCode_IsAcceptedAsZlibDoes()
    {
        var deflate = new DeflateWriter().Dynamic(final: true, DynamicLengths(), [1]).Literals("ab"u8.ToArray()).Match(3, 1).EndOfBlock().ToArray();

        var (status, output, _) = Inflate(deflate);

        status.Should().Be(InflaterStatus.Ok);
        Encoding.ASCII.GetString(output).Should().Be("abbbb");
        DeflateWriter.RuntimeInflate(deflate).Should().Equal(output);
    }

    [Fact]
    public void Inflate_NoDistanceCodesAndOnlyLiterals_IsAcceptedAsZlibDoes()
    {
        var deflate = new DeflateWriter().Dynamic(final: true, DynamicLengths(), [0]).Literals(Hello).EndOfBlock().ToArray();

        var (status, output, _) = Inflate(deflate);

        status.Should().Be(InflaterStatus.Ok);
        output.Should().Equal(Hello);
        DeflateWriter.RuntimeInflate(deflate).Should().Equal(output);
    }

    [Fact]
    public void Inflate_OnlyAnEndOfBlockCodeOfOneBit_IsAcceptedAsZlibDoes()
    {
        var literalLengths = new byte[257];
        literalLengths[256] = 1;
        var deflate = new DeflateWriter().Dynamic(final: true, literalLengths, [0]).EndOfBlock().ToArray();

        var (status, output, _) = Inflate(deflate);

        status.Should().Be(InflaterStatus.Ok);
        output.Should().BeEmpty();
        DeflateWriter.RuntimeInflate(deflate).Should().BeEmpty();
    }

    public static TheoryData<string, byte[]> InvalidStreams() => new()
    {
        { "block type 3", new DeflateWriter().BlockHeader(final: true, 3).Bytes(0, 0, 0, 0).ToArray() },
        { "stored NLEN not the complement of LEN", new DeflateWriter().Stored(final: true, Hello, complement: 0xFFFB).ToArray() },
        { "stored NLEN equal to LEN", new DeflateWriter().Stored(final: true, Hello, complement: 5).ToArray() },
        { "distance before the start of the output", new DeflateWriter().Fixed(final: true).Literals(Hello).Match(3, 6).EndOfBlock().ToArray() },
        { "distance with no output yet", new DeflateWriter().Fixed(final: true).Match(3, 1).EndOfBlock().ToArray() },
        { "fixed literal/length symbol 286", new DeflateWriter().Fixed(final: true).Literals(Hello).Symbol(286).EndOfBlock().ToArray() },
        { "fixed literal/length symbol 287", new DeflateWriter().Fixed(final: true).Literals(Hello).Symbol(287).EndOfBlock().ToArray() },
        { "fixed distance symbol 30", new DeflateWriter().Fixed(final: true).Literals(Hello).Symbol(257).DistanceSymbol(30).EndOfBlock().ToArray() },
        { "fixed distance symbol 31", new DeflateWriter().Fixed(final: true).Literals(Hello).Symbol(257).DistanceSymbol(31).EndOfBlock().ToArray() },
        { "287 literal/length codes", DynamicBlock([.. DynamicLengths(), 0], [1]) },
        { "288 literal/length codes", DynamicBlock([.. DynamicLengths(), 0, 0], [1]) },
        { "31 distance codes", DynamicBlock(DynamicLengths(), [.. Enumerable.Repeat((byte)5, 30), 0]) },
        { "32 distance codes", DynamicBlock(DynamicLengths(), [.. Enumerable.Repeat((byte)5, 32)]) },
        { "over-subscribed code-length code", new DeflateWriter().DynamicHeader(true, 0, 0, [.. Enumerable.Repeat(1, 19)]).Bytes(new byte[64]).ToArray() },
        { "incomplete code-length code", new DeflateWriter().DynamicHeader(true, 0, 0, [0, 0, 0, 2, 2, 2]).Bytes(new byte[64]).ToArray() },
        { "single one-bit code-length code", new DeflateWriter().DynamicHeader(true, 0, 0, [0, 0, 0, 1]).Bytes(new byte[64]).ToArray() },
        { "no code-length codes", new DeflateWriter().DynamicHeader(true, 0, 0, [0, 0, 0, 0]).Bytes(new byte[64]).ToArray() },
        { "over-subscribed literal/length code", DynamicBlock(Lengths(257, (256, 1), (65, 1), (66, 1)), [1]) },
        { "incomplete literal/length code", DynamicBlock(Lengths(257, (256, 2), (65, 2), (66, 2)), [1]) },
        { "over-subscribed distance code", DynamicBlock(DynamicLengths(), [1, 1, 1]) },
        { "incomplete distance code of two bits", DynamicBlock(DynamicLengths(), [2]) },
        { "incomplete distance code of three codes", DynamicBlock(DynamicLengths(), [1, 2, 0, 0]) },
        { "no end-of-block code", DynamicBlock(Lengths(257, (65, 1), (66, 1)), [1]) },
        { "repeat of the previous length with none before", DynamicSymbols(257, 1, (16, 0), (0, 0)) },
        { "repeat of zeros past the last length", DynamicSymbols(257, 1, (18, 127), (18, 127), (18, 10)) },
        { "repeat of the previous length past the last length", DynamicSymbols(257, 1, (18, 127), (18, 107), (1, 0), (16, 3)) },
        { "unused distance code in a single-code tree", new DeflateWriter().Dynamic(true, DynamicLengths(), [1]).Literals(Hello).Symbol(257).Bits(1, 1).EndOfBlock().ToArray() },
        { "distance code with no distance tree", new DeflateWriter().Dynamic(true, DynamicLengths(), [0]).Literals(Hello).Symbol(257).Bits(0, 8).ToArray() },
    };

    [Theory]
    [MemberData(nameof(InvalidStreams))]
    public void Inflate_InvalidStream_ReturnsInvalidDataAsTheRuntimeRejectsIt(string reason, byte[] deflate)
    {
        Inflate(deflate).Status.Should().Be(InflaterStatus.InvalidData, reason);
        DeflateWriter.RuntimeInflate(deflate).Should().BeNull("the runtime rejects the stream too ({0})", reason);
    }

    [Theory]
    [MemberData(nameof(InvalidStreams))]
    public void TryDecode_InvalidStream_ReturnsInvalidZlib(string reason, byte[] deflate)
    {
        var text = Convert.ToBase64String(DeflateWriter.Zlib(deflate, []));

        ZlibBase64.TryDecode(text, 1 << 20, out _, out _).Should().Be(ZlibBase64Status.InvalidZlib, reason);
    }

    public static TheoryData<string> TruncationCases() => [.. TruncationStreams.Keys];

    private static readonly Dictionary<string, byte[]> TruncationStreams = new()
    {
        ["subject JSON, optimal"] = SubjectText.Compress(Encoding.UTF8.GetBytes(SubjectJson)),
        ["subject JSON, fastest"] = SubjectText.Compress(Encoding.UTF8.GetBytes(SubjectJson), CompressionLevel.Fastest),
        ["random 300, stored"] = SubjectText.Compress(RandomBytes(5, 300), CompressionLevel.NoCompression),
        ["text 3000, smallest"] = SubjectText.Compress(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => $"k{i % 17}={i};"))), CompressionLevel.SmallestSize),
        ["fixed, stored and dynamic blocks"] = new DeflateWriter()
            .Fixed(final: false).Literals("ab"u8.ToArray()).Match(4, 2).EndOfBlock()
            .Stored(final: false, "-stored-"u8.ToArray())
            .Dynamic(final: true, DynamicLengths(), [2, 2, 2, 2]).Literals("xyz"u8.ToArray()).Match(3, 3).EndOfBlock()
            .ToZlib("ababab-stored-xyzxyz"u8.ToArray()),
    };

    [Theory]
    [MemberData(nameof(TruncationCases))]
    public void Inflate_TruncatedAtEveryByte_ReturnsInvalidData(string stream)
    {
        var deflate = TruncationStreams[stream][2..^4];
        Inflate(deflate).Status.Should().Be(InflaterStatus.Ok);

        for (var length = 0; length < deflate.Length; length++)
        {
            Inflate(deflate[..length]).Status.Should().Be(InflaterStatus.InvalidData, "the stream cut to {0} of {1} bytes", length, deflate.Length);
        }
    }

    [Theory]
    [MemberData(nameof(TruncationCases))]
    public void TryDecode_TruncatedAtEveryByte_ReturnsInvalidZlib(string stream)
    {
        var zlib = TruncationStreams[stream];
        ZlibBase64.TryDecode(Convert.ToBase64String(zlib), 1 << 20, out var rented, out _).Should().Be(ZlibBase64Status.Ok);
        ArrayPool<byte>.Shared.Return(rented);

        for (var length = 1; length < zlib.Length; length++)
        {
            ZlibBase64.TryDecode(Convert.ToBase64String(zlib[..length]), 1 << 20, out _, out _)
                .Should().Be(ZlibBase64Status.InvalidZlib, "the stream cut to {0} of {1} bytes", length, zlib.Length);
        }
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0xFF)]
    public void TryDecode_OneTrailingByte_ReturnsInvalidZlib(byte trailing)
    {
        var zlib = TruncationStreams["fixed, stored and dynamic blocks"];

        ZlibBase64.TryDecode(Convert.ToBase64String([.. zlib, trailing]), 1 << 20, out _, out _).Should().Be(ZlibBase64Status.InvalidZlib);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void TryDecode_AdlerWrongInAnyByte_ReturnsInvalidZlib(int fromEnd)
    {
        var zlib = SubjectText.Compress(Encoding.UTF8.GetBytes(SubjectJson));
        zlib[^fromEnd] ^= 0x01;

        ZlibBase64.TryDecode(Convert.ToBase64String(zlib), 1 << 20, out _, out _).Should().Be(ZlibBase64Status.InvalidZlib);
    }

    [Fact]
    public void Inflate_OutputOverTheBound_StopsWithoutRentingMoreThanTheBound()
    {
        var deflate = DeflateWriter.RuntimeDeflate(new byte[100_000]);
        var buffer = ArrayPool<byte>.Shared.Rent(16);

        var status = Inflater.Inflate(deflate, 1000, ref buffer, out var written, out _);

        status.Should().Be(InflaterStatus.TooLarge);
        buffer.Length.Should().Be(1024); // the pool's size for the 1000 bytes asked for
        written.Should().BeLessThanOrEqualTo(1000);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Inflate_StoredBlockOverTheBound_ReturnsTooLargeBeforeCopying(int bound)
    {
        var deflate = new DeflateWriter().Stored(final: true, Hello).ToArray();
        var buffer = ArrayPool<byte>.Shared.Rent(16);

        var status = Inflater.Inflate(deflate, bound, ref buffer, out var written, out _);

        status.Should().Be(InflaterStatus.TooLarge);
        written.Should().Be(0);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    [Fact]
    public void Inflate_LiteralsOneOverTheBound_ReturnsTooLargeWithTheBoundWritten()
    {
        var deflate = new DeflateWriter().Fixed(final: true).Literals(Hello).EndOfBlock().ToArray();
        var buffer = ArrayPool<byte>.Shared.Rent(16);

        var status = Inflater.Inflate(deflate, 4, ref buffer, out var written, out _);

        status.Should().Be(InflaterStatus.TooLarge);
        written.Should().Be(4);
        buffer.AsSpan(0, 4).ToArray().Should().Equal("hell"u8.ToArray());
        ArrayPool<byte>.Shared.Return(buffer);
    }

    [Fact]
    public void TryDecode_BombOf64TimesTheBound_ReturnsTooLargeAllocatingLessThanTwiceTheBound()
    {
        // Even with nothing pooled yet, the output buffers grow by doubling up to the bound (256 KiB, 512 KiB, 1 MiB
        // here) and the base64 buffer comes on top: less than twice the bound, not the 64 MiB the stream holds.
        const int Bound = 1 << 20;
        var text = Convert.ToBase64String(SubjectText.Compress(new byte[64 * Bound]));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = ZlibBase64.TryDecode(text, Bound, out var rented, out var length);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        status.Should().Be(ZlibBase64Status.TooLarge);
        rented.Should().BeEmpty();
        length.Should().Be(0);
        allocated.Should().BeLessThan(2L * Bound);
    }

    [Fact]
    public void TryDecode_TypicalSubject_AllocatesNothingOnceThePoolIsWarm()
    {
        var text = SubjectText.Encode(SubjectJson);
        for (var i = 0; i < 3; i++)
        {
            ZlibBase64.TryDecode(text, 1 << 16, out var warm, out _);
            ArrayPool<byte>.Shared.Return(warm);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = ZlibBase64.TryDecode(text, 1 << 16, out var rented, out var length);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        ArrayPool<byte>.Shared.Return(rented);

        status.Should().Be(ZlibBase64Status.Ok);
        length.Should().Be(Encoding.UTF8.GetByteCount(SubjectJson));
        allocated.Should().Be(0);
    }

    private static (InflaterStatus Status, byte[] Output, int Consumed) Inflate(byte[] deflate, int maxOutput = 1 << 24)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16);
        var status = Inflater.Inflate(deflate, maxOutput, ref buffer, out var written, out var consumed);
        var output = buffer.AsSpan(0, written).ToArray();
        ArrayPool<byte>.Shared.Return(buffer);
        return (status, output, consumed);
    }

    /// <summary>
    /// A complete literal/length code over 286 symbols: the fixed code's lengths without symbols 286 and 287, whose
    /// room goes to 284 and 285 (7 bits instead of 8).
    /// </summary>
    private static byte[] DynamicLengths()
    {
        var lengths = DeflateWriter.FixedLiteralLengths[..286];
        lengths[284] = 7;
        lengths[285] = 7;
        return lengths;
    }

    private static byte[] Lengths(int count, params (int Symbol, byte Length)[] codes)
    {
        var lengths = new byte[count];
        foreach (var (symbol, length) in codes)
        {
            lengths[symbol] = length;
        }

        return lengths;
    }

    private static byte[] DynamicBlock(byte[] literalLengths, byte[] distanceLengths) =>
        new DeflateWriter().Dynamic(final: true, literalLengths, distanceLengths).Bytes(new byte[64]).ToArray();

    private static byte[] DynamicSymbols(int literalCount, int distanceCount, params (int Symbol, int Extra)[] symbols) =>
        new DeflateWriter().DynamicWithCodeLengthSymbols(true, literalCount, distanceCount, symbols).Bytes(new byte[64]).ToArray();

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Content of a random size and kind: random bytes, a small alphabet, or text made of earlier pieces.</summary>
    private static byte[] RandomContent(Random random)
    {
        var length = random.Next(10) switch
        {
            < 4 => random.Next(1, 65), // (the runtime writes no stream for empty content)
            < 9 => random.Next(1, 4097),
            _ => random.Next(1, 70_001),
        };
        var content = new byte[length];
        switch (random.Next(3))
        {
            case 0:
                random.NextBytes(content);
                break;
            case 1:
                var alphabet = random.Next(1, 8);
                for (var i = 0; i < length; i++)
                {
                    content[i] = (byte)('a' + random.Next(alphabet));
                }

                break;
            default:
                for (var i = 0; i < length;)
                {
                    if (i > 3 && random.Next(3) > 0)
                    {
                        var distance = random.Next(1, Math.Min(i, 32_768) + 1);
                        var run = Math.Min(random.Next(3, 300), length - i);
                        for (var j = 0; j < run; j++, i++)
                        {
                            content[i] = content[i - distance];
                        }
                    }
                    else
                    {
                        content[i++] = (byte)random.Next(32, 127);
                    }
                }

                break;
        }

        return content;
    }
}
