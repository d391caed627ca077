using System.IO.Compression;

namespace Arvo.Tests.TestSupport;

/// <summary>
/// Writes RFC 1951 (DEFLATE) streams bit by bit, so that tests can make exactly the blocks they need, valid or not:
/// stored blocks with any LEN/NLEN, fixed-Huffman blocks with any symbol, and dynamic blocks with any code lengths.
/// </summary>
internal sealed class DeflateWriter
{
    private static readonly int[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly int[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly int[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    private static readonly int[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    private static readonly int[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>
    /// The code-length code every dynamic header here uses: a complete code over all 19 symbols (0-12 get 4 bits,
    /// 13-18 get 5 bits), so repeats (16-18) can be written too.
    /// </summary>
    private static readonly byte[] StandardCodeLengthLengths = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5];

    private readonly List<byte> _bytes = [];
    private ulong _bits;
    private int _count;
    private (uint Code, int Length)[] _literalCodes = [];
    private (uint Code, int Length)[] _distanceCodes = [];

    /// <summary>The fixed code lengths of RFC 1951 3.2.6 for the 288 literal/length symbols.</summary>
    public static byte[] FixedLiteralLengths { get; } =
        [.. Enumerable.Repeat((byte)8, 144), .. Enumerable.Repeat((byte)9, 112), .. Enumerable.Repeat((byte)7, 24), .. Enumerable.Repeat((byte)8, 8)];

    /// <summary>The fixed code lengths of the 32 distance symbols.</summary>
    public static byte[] FixedDistanceLengths { get; } = [.. Enumerable.Repeat((byte)5, 32)];

    /// <summary><paramref name="count"/> bits of <paramref name="value"/>, least significant first (header fields, extra bits).</summary>
    public DeflateWriter Bits(uint value, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _bits |= (ulong)((value >> i) & 1) << _count;
            if (++_count == 8)
            {
                _bytes.Add((byte)_bits);
                _bits = 0;
                _count = 0;
            }
        }

        return this;
    }

    /// <summary>A Huffman code, most significant bit first (RFC 1951 3.1.1).</summary>
    public DeflateWriter Code(uint code, int length)
    {
        for (var i = length - 1; i >= 0; i--)
        {
            Bits((code >> i) & 1, 1);
        }

        return this;
    }

    /// <summary>Pads the current byte with zero bits.</summary>
    public DeflateWriter AlignToByte() => _count == 0 ? this : Bits(0, 8 - _count);

    /// <summary>Whole bytes (after aligning).</summary>
    public DeflateWriter Bytes(params byte[] bytes)
    {
        AlignToByte();
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>A block header: BFINAL and BTYPE.</summary>
    public DeflateWriter BlockHeader(bool final, int type) => Bits(final ? 1u : 0u, 1).Bits((uint)type, 2);

    /// <summary>A whole stored block; <paramref name="complement"/> overrides NLEN.</summary>
    public DeflateWriter Stored(bool final, byte[] data, ushort? complement = null)
    {
        BlockHeader(final, 0).AlignToByte();
        var length = (ushort)data.Length;
        var nlen = complement ?? (ushort)~length;
        return Bytes((byte)length, (byte)(length >> 8), (byte)nlen, (byte)(nlen >> 8)).Bytes(data);
    }

    /// <summary>A fixed-Huffman block header; symbols that follow use the fixed codes.</summary>
    public DeflateWriter Fixed(bool final)
    {
        _literalCodes = CanonicalCodes(FixedLiteralLengths);
        _distanceCodes = CanonicalCodes(FixedDistanceLengths);
        return BlockHeader(final, 1);
    }

    /// <summary>
    /// A dynamic-Huffman block header with these code lengths, written without repeats; symbols that follow use the
    /// canonical codes of these lengths.
    /// </summary>
    public DeflateWriter Dynamic(bool final, byte[] literalLengths, byte[] distanceLengths)
    {
        var lengths = literalLengths.Concat(distanceLengths).Select(length => (Symbol: (int)length, Extra: 0)).ToArray();
        DynamicWithCodeLengthSymbols(final, literalLengths.Length, distanceLengths.Length, lengths);
        _literalCodes = CanonicalCodes(literalLengths);
        _distanceCodes = CanonicalCodes(distanceLengths);
        return this;
    }

    /// <summary>
    /// A dynamic header whose code lengths are the given code-length symbols (0-15, or 16-18 with their extra-bit
    /// values), as they are, whether or not they make sense.
    /// </summary>
    public DeflateWriter DynamicWithCodeLengthSymbols(bool final, int literalCount, int distanceCount, (int Symbol, int Extra)[] symbols)
    {
        var order = CodeLengthOrder.Select(symbol => (int)StandardCodeLengthLengths[symbol]).ToArray();
        DynamicHeader(final, literalCount - 257, distanceCount - 1, order);
        var codes = CanonicalCodes(StandardCodeLengthLengths);
        foreach (var (symbol, extra) in symbols)
        {
            Code(codes[symbol].Code, codes[symbol].Length);
            var extraBits = symbol switch { 16 => 2, 17 => 3, 18 => 7, _ => 0 };
            Bits((uint)extra, extraBits);
        }

        return this;
    }

    /// <summary>
    /// The fields of a dynamic header up to the code-length code lengths: HLIT, HDIST, HCLEN (from the number of
    /// <paramref name="codeLengthLengthsInOrder"/>, given in the transmitted order 16, 17, 18, 0, 8, ...).
    /// </summary>
    public DeflateWriter DynamicHeader(bool final, int hlit, int hdist, int[] codeLengthLengthsInOrder)
    {
        BlockHeader(final, 2).Bits((uint)hlit, 5).Bits((uint)hdist, 5).Bits((uint)codeLengthLengthsInOrder.Length - 4, 4);
        foreach (var length in codeLengthLengthsInOrder)
        {
            Bits((uint)length, 3);
        }

        return this;
    }

    /// <summary>A literal/length symbol (0-287) with the current block's code.</summary>
    public DeflateWriter Symbol(int symbol) => Code(_literalCodes[symbol].Code, _literalCodes[symbol].Length);

    /// <summary>A distance symbol (0-31) with the current block's code.</summary>
    public DeflateWriter DistanceSymbol(int symbol) => Code(_distanceCodes[symbol].Code, _distanceCodes[symbol].Length);

    /// <summary>Literal bytes.</summary>
    public DeflateWriter Literals(params byte[] bytes)
    {
        foreach (var value in bytes)
        {
            Symbol(value);
        }

        return this;
    }

    /// <summary>A length/distance pair (length 3-258, distance 1-32768).</summary>
    public DeflateWriter Match(int length, int distance)
    {
        var lengthIndex = length == 258 ? 28 : Array.FindLastIndex(LengthBase, 27, value => value <= length);
        Symbol(257 + lengthIndex).Bits((uint)(length - LengthBase[lengthIndex]), LengthExtra[lengthIndex]);
        var distanceIndex = Array.FindLastIndex(DistanceBase, value => value <= distance);
        return DistanceSymbol(distanceIndex).Bits((uint)(distance - DistanceBase[distanceIndex]), DistanceExtra[distanceIndex]);
    }

    /// <summary>The end-of-block symbol (256).</summary>
    public DeflateWriter EndOfBlock() => Symbol(256);

    /// <summary>The stream so far, the last byte padded with zero bits.</summary>
    public byte[] ToArray()
    {
        var bytes = new List<byte>(_bytes);
        if (_count > 0)
        {
            bytes.Add((byte)_bits);
        }

        return [.. bytes];
    }

    /// <summary>The stream in a zlib (RFC 1950) container: header 78 9C, the stream, the Adler-32 of <paramref name="content"/>.</summary>
    public byte[] ToZlib(byte[] content) => Zlib(ToArray(), content);

    /// <summary>A raw DEFLATE stream in a zlib container with the Adler-32 of <paramref name="content"/>.</summary>
    public static byte[] Zlib(byte[] deflate, byte[] content)
    {
        var adler = Arvo.Internal.ZlibBase64.Adler32(content);
        return [0x78, 0x9C, .. deflate, (byte)(adler >> 24), (byte)(adler >> 16), (byte)(adler >> 8), (byte)adler];
    }

    /// <summary>The raw DEFLATE stream the runtime's <see cref="ZLibStream"/> makes of <paramref name="content"/>.</summary>
    public static byte[] RuntimeDeflate(byte[] content, CompressionLevel level = CompressionLevel.Optimal) =>
        SubjectText.Compress(content, level)[2..^4];

    /// <summary>What the runtime's inflater makes of a raw DEFLATE stream, or null when it rejects it.</summary>
    public static byte[]? RuntimeInflate(byte[] deflate)
    {
        try
        {
            using var input = new MemoryStream(deflate);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            inflater.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The canonical Huffman codes of RFC 1951 3.2.2 for these code lengths (length 0: no code).</summary>
    public static (uint Code, int Length)[] CanonicalCodes(byte[] lengths)
    {
        var counts = new int[16];
        foreach (var length in lengths)
        {
            counts[length]++;
        }

        counts[0] = 0;
        var next = new uint[16];
        var code = 0u;
        for (var bits = 1; bits < 16; bits++)
        {
            code = (code + (uint)counts[bits - 1]) << 1;
            next[bits] = code;
        }

        return [.. lengths.Select(length => length == 0 ? (0u, 0) : (next[length]++, (int)length))];
    }
}
