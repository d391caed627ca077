using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Arvo.Internal;

/// <summary>What <see cref="Inflater.Inflate"/> found.</summary>
internal enum InflaterStatus
{
    /// <summary>One complete DEFLATE stream was decoded (its last block had BFINAL set).</summary>
    Ok,

    /// <summary>The data is not a valid DEFLATE stream, or it ends before its final block does.</summary>
    InvalidData,

    /// <summary>The stream would produce more than the allowed number of bytes; decoding stopped before writing them.</summary>
    TooLarge,
}

/// <summary>
/// An allocation-free RFC 1951 (DEFLATE) decoder for small, complete, in-memory inputs: the whole output goes into one
/// growable pooled buffer, which is also the window of back-references, so there is no separate 32 KiB window and no
/// native inflater state to set up (the runtime's <c>ZLibStream</c> costs microseconds of setup per stream, more than
/// decoding a typical subject).
/// </summary>
/// <remarks>
/// <para>
/// It checks what zlib checks: block type 3, stored-block LEN/NLEN, more than 286 literal/length or 30 distance codes,
/// a code-length repeat with nothing to repeat or past the end, a missing end-of-block code, over-subscribed code-length
/// sets, incomplete ones except a single code of one bit (as zlib allows), literal/length symbols 286-287 and distance
/// symbols 30-31, a distance before the start of the output, and any read past the end of the input.
/// </para>
/// <para>
/// Huffman codes are decoded through a table indexed by the next bits of the input (9 bits for literals/lengths,
/// 6 for distances, as zlib's <c>inflate_table</c>, with second-level tables for longer codes); each entry carries the
/// code length and the decoded literal, or the base and the extra-bit count of a length or distance. Dynamic tables live
/// on the stack and are built with about one write per code (see <see cref="TryBuildTable"/>); the fixed-Huffman tables
/// are built once. The bit buffer is 64 bits wide and refilled eight bytes at a time, so one refill covers a whole
/// length/distance pair.
/// </para>
/// </remarks>
// Every stackalloc here is written before it is read (a table only where its codes reach); zeroing the 6 KB of a dynamic
// block's tables cost about a tenth of decoding a typical subject.
[SkipLocalsInit]
internal static class Inflater
{
    // Table entry: bits 0-3 the code bits consumed at this level; bits 4-7 extra bits (Base) or second-level index bits
    // (SubTable); bits 8-11 the kind; bits 16-31 the literal, length or distance base, or the second-level offset.
    private const uint KindLiteral = 0x000;
    private const uint KindBase = 0x100;
    private const uint KindEndOfBlock = 0x200;
    private const uint KindSubTable = 0x400;
    private const uint KindInvalid = 0x800;
    private const uint KindMask = 0xF00;

    private const int LiteralRootBits = 9;
    private const int DistanceRootBits = 6;
    private const int CodeLengthRootBits = 7;

    // The most entries a table can need (zlib's ENOUGH_LENS and ENOUGH_DISTS, computed by its examples/enough.c for
    // 286 symbols and 9 root bits, and for 30 symbols and 6 root bits; both with codes of at most 15 bits).
    private const int LiteralTableSize = 852;
    private const int DistanceTableSize = 592;
    private const int CodeLengthTableSize = 1 << CodeLengthRootBits;

    private const int MaxLiteralLengthCodes = 286;
    private const int MaxDistanceCodes = 30;
    private const int CodeLengthCodes = 19;
    private const int MaxCodeBits = 15;

    // The fixed codes are 7 to 9 bits long (literals/lengths) and 5 bits (distances): one level each.
    private const int FixedLiteralBits = 9;
    private const int FixedDistanceBits = 5;

    private static readonly ushort[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly byte[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly ushort[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    private static readonly byte[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

    /// <summary>The order in which a dynamic block lists the code lengths of the code-length alphabet.</summary>
    private static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>The table entry of each symbol, without its code length (what the symbol decodes to).</summary>
    private static readonly uint[] LiteralEntries = BuildLiteralEntries();
    private static readonly uint[] DistanceEntries = BuildDistanceEntries();
    private static readonly uint[] CodeLengthEntries = [.. Enumerable.Range(0, CodeLengthCodes).Select(symbol => KindLiteral | ((uint)symbol << 16))];

    private static readonly uint[] FixedLiteralTable = BuildFixedTable(literals: true, FixedLiteralBits);
    private static readonly uint[] FixedDistanceTable = BuildFixedTable(literals: false, FixedDistanceBits);

    /// <summary>How <see cref="DecodeCodesInBuffer"/> stopped.</summary>
    private enum CodesResult
    {
        EndOfBlock,
        InvalidData,
        NeedsRoom,
    }

    /// <summary>
    /// Decodes the DEFLATE stream <paramref name="input"/> into <paramref name="buffer"/> from index 0.
    /// </summary>
    /// <param name="input">The stream; it must end where its final block ends (see <paramref name="consumed"/>).</param>
    /// <param name="maxOutput">The most bytes the stream may produce; one more is <see cref="InflaterStatus.TooLarge"/>.</param>
    /// <param name="buffer">
    /// A buffer rented from <see cref="ArrayPool{T}.Shared"/>. When it is full it is replaced by a larger rented one
    /// (at most <paramref name="maxOutput"/> bytes are asked for) and returned; whatever the status, the caller owns the
    /// buffer left here.
    /// </param>
    /// <param name="written">The bytes produced, <c>buffer[..written]</c>.</param>
    /// <param name="consumed">
    /// On <see cref="InflaterStatus.Ok"/>, the input bytes the stream took, counting the partly used last byte; a
    /// container that expects nothing after the stream compares it with the input length.
    /// </param>
    public static InflaterStatus Inflate(ReadOnlySpan<byte> input, int maxOutput, ref byte[] buffer, out int written, out int consumed)
    {
        var state = new State(input, buffer, maxOutput);
        InflaterStatus status;
        while (true)
        {
            Refill(state.Input, ref state.Position, ref state.Bits, ref state.BitCount);
            if (state.BitCount < 3)
            {
                status = InflaterStatus.InvalidData;
                break;
            }

            var header = (int)state.Bits & 7;
            state.Bits >>= 3;
            state.BitCount -= 3;
            status = (header >> 1) switch
            {
                0 => DecodeStored(ref state),
                1 => DecodeCodes(ref state, FixedLiteralTable, FixedLiteralBits, FixedDistanceTable, FixedDistanceBits),
                2 => DecodeDynamic(ref state),
                _ => InflaterStatus.InvalidData,
            };

            if (status != InflaterStatus.Ok || (header & 1) != 0)
            {
                break;
            }
        }

        buffer = state.Buffer;
        written = state.Written;
        consumed = state.Position - (state.BitCount >> 3);
        return status;
    }

    /// <summary>A stored block: byte-aligned LEN, NLEN (its ones' complement), then LEN bytes as they are.</summary>
    private static InflaterStatus DecodeStored(ref State state)
    {
        // Go back to the first byte not yet consumed (the rest of the current byte is padding).
        var position = state.Position - (state.BitCount >> 3);
        state.Position = position;
        state.Bits = 0;
        state.BitCount = 0;
        var input = state.Input;
        if (input.Length - position < 4)
        {
            return InflaterStatus.InvalidData;
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(input[position..]);
        var complement = BinaryPrimitives.ReadUInt16LittleEndian(input[(position + 2)..]);
        position += 4;
        if (length != (ushort)~complement || input.Length - position < length)
        {
            return InflaterStatus.InvalidData;
        }

        if (length > state.Limit - state.Written && !TryGrow(ref state, length))
        {
            return InflaterStatus.TooLarge;
        }

        input.Slice(position, length).CopyTo(state.Buffer.AsSpan(state.Written));
        state.Written += length;
        state.Position = position + length;
        return InflaterStatus.Ok;
    }

    /// <summary>A dynamic-Huffman block: the code-length code, the literal/length and distance code lengths, then the data.</summary>
    private static InflaterStatus DecodeDynamic(ref State state)
    {
        // The bit buffer in locals while the header is read.
        var input = state.Input;
        var position = state.Position;
        var bitBuffer = state.Bits;
        var bitCount = state.BitCount;
        Refill(input, ref position, ref bitBuffer, ref bitCount);
        if (bitCount < 14)
        {
            return InflaterStatus.InvalidData;
        }

        var literalCount = (int)(bitBuffer & 0x1F) + 257;
        var distanceCount = (int)((bitBuffer >> 5) & 0x1F) + 1;
        var codeLengthCount = (int)((bitBuffer >> 10) & 0xF) + 4;
        bitBuffer >>= 14;
        bitCount -= 14;
        if (literalCount > MaxLiteralLengthCodes || distanceCount > MaxDistanceCodes)
        {
            return InflaterStatus.InvalidData;
        }

        // The code-length code. Here and below the symbols with a code are also listed, in increasing order, so that
        // building a table visits only them, not every symbol of the alphabet.
        Span<byte> codeLengthLengths = stackalloc byte[CodeLengthCodes];
        codeLengthLengths.Clear();
        for (var i = 0; i < codeLengthCount; i++)
        {
            Refill(input, ref position, ref bitBuffer, ref bitCount);
            if (bitCount < 3)
            {
                return InflaterStatus.InvalidData;
            }

            codeLengthLengths[CodeLengthOrder[i]] = (byte)(bitBuffer & 7);
            bitBuffer >>= 3;
            bitCount -= 3;
        }

        Span<ushort> coded = stackalloc ushort[MaxLiteralLengthCodes + MaxDistanceCodes];
        Span<ushort> sorted = stackalloc ushort[MaxLiteralLengthCodes + 2];
        var codedCount = 0;
        for (var symbol = 0; symbol < CodeLengthCodes; symbol++)
        {
            coded[codedCount] = (ushort)symbol;
            codedCount += codeLengthLengths[symbol] != 0 ? 1 : 0;
        }

        Span<uint> codeLengthTable = stackalloc uint[CodeLengthTableSize];
        var codeLengthBits = CodeLengthRootBits;
        if (!TryBuildTable(CodeLengthEntries, codeLengthLengths, coded[..codedCount], 0, allowSingleOneBitCode: false, sorted, codeLengthTable, ref codeLengthBits))
        {
            return InflaterStatus.InvalidData;
        }

        // The literal/length and distance code lengths, one sequence (a repeat may run from one into the other).
        state.Position = position;
        state.Bits = bitBuffer;
        state.BitCount = bitCount;
        Span<byte> lengths = stackalloc byte[MaxLiteralLengthCodes + MaxDistanceCodes];
        lengths = lengths[..(literalCount + distanceCount)];
        codedCount = ReadCodeLengths(ref state, codeLengthTable, (1u << codeLengthBits) - 1, lengths, coded);
        if (codedCount < 0)
        {
            return InflaterStatus.InvalidData;
        }

        // Without an end-of-block code the block could not end.
        if (lengths[256] == 0)
        {
            return InflaterStatus.InvalidData;
        }

        var codedLiterals = 0;
        while (codedLiterals < codedCount && coded[codedLiterals] < literalCount)
        {
            codedLiterals++;
        }

        Span<uint> literalTable = stackalloc uint[LiteralTableSize];
        Span<uint> distanceTable = stackalloc uint[DistanceTableSize];
        var literalBits = LiteralRootBits;
        var distanceBits = DistanceRootBits;
        if (!TryBuildTable(LiteralEntries, lengths, coded[..codedLiterals], 0, allowSingleOneBitCode: true, sorted, literalTable, ref literalBits)
            || !TryBuildTable(DistanceEntries, lengths, coded[codedLiterals..codedCount], literalCount, allowSingleOneBitCode: true, sorted, distanceTable, ref distanceBits))
        {
            return InflaterStatus.InvalidData;
        }

        return DecodeCodes(ref state, literalTable, literalBits, distanceTable, distanceBits);
    }

    /// <summary>
    /// Reads the code lengths of a dynamic block with the code-length code, into <paramref name="lengths"/> (all of it);
    /// lists the indexes of the non-zero ones, in increasing order, in <paramref name="coded"/> and returns how many
    /// there are, or -1 for invalid data.
    /// </summary>
    private static int ReadCodeLengths(ref State state, scoped ReadOnlySpan<uint> table, uint mask, scoped Span<byte> lengths, scoped Span<ushort> coded)
    {
        var input = state.Input;
        var position = state.Position;
        var bitBuffer = state.Bits;
        var bitCount = state.BitCount;
        var codedCount = 0;
        var index = 0;
        while (index < lengths.Length)
        {
            // A code-length code has at most 7 bits and its repeat count at most 7 more; refilling only below 14 bits,
            // the lookup does not wait for the refill.
            var entry = table[(int)(bitBuffer & mask)];
            if (bitCount < 14)
            {
                Refill(input, ref position, ref bitBuffer, ref bitCount);
                entry = table[(int)(bitBuffer & mask)];
            }

            var bits = (int)(entry & 15);
            if ((entry & KindMask) != KindLiteral || bits > bitCount)
            {
                return -1;
            }

            bitBuffer >>= bits;
            bitCount -= bits;
            var symbol = (int)(entry >> 16);
            if (symbol < 16)
            {
                lengths[index] = (byte)symbol;
                coded[codedCount] = (ushort)index;
                codedCount += symbol != 0 ? 1 : 0;
                index++;
                continue;
            }

            byte repeated = 0;
            int extraBits, repeatBase;
            if (symbol == 16)
            {
                if (index == 0)
                {
                    return -1;
                }

                repeated = lengths[index - 1];
                (extraBits, repeatBase) = (2, 3);
            }
            else
            {
                (extraBits, repeatBase) = symbol == 17 ? (3, 3) : (7, 11);
            }

            if (extraBits > bitCount)
            {
                return -1;
            }

            var count = repeatBase + (int)(bitBuffer & ((1u << extraBits) - 1));
            bitBuffer >>= extraBits;
            bitCount -= extraBits;
            if (count > lengths.Length - index)
            {
                return -1;
            }

            lengths.Slice(index, count).Fill(repeated);
            if (repeated != 0)
            {
                for (var i = index; i < index + count; i++)
                {
                    coded[codedCount++] = (ushort)i;
                }
            }

            index += count;
        }

        state.Position = position;
        state.Bits = bitBuffer;
        state.BitCount = bitCount;
        return codedCount;
    }

    /// <summary>The compressed data of a Huffman block, up to and including its end-of-block code.</summary>
    private static InflaterStatus DecodeCodes(ref State state, scoped ReadOnlySpan<uint> literalTable, int literalBits, scoped ReadOnlySpan<uint> distanceTable, int distanceBits)
    {
        var literalMask = (1u << literalBits) - 1;
        var distanceMask = (1u << distanceBits) - 1;
        while (true)
        {
            switch (DecodeCodesInBuffer(ref state, literalTable, literalMask, distanceTable, distanceMask, out var needed))
            {
                case CodesResult.EndOfBlock:
                    return InflaterStatus.Ok;
                case CodesResult.InvalidData:
                    return InflaterStatus.InvalidData;
            }

            // The next symbol did not fit: grow (it is decoded again), or stop at the bound.
            if (!TryGrow(ref state, needed))
            {
                return InflaterStatus.TooLarge;
            }
        }
    }

    /// <summary>
    /// Decodes symbols until the end of the block, invalid data, or a symbol whose output does not fit in the buffer
    /// (<see cref="CodesResult.NeedsRoom"/>: nothing of that symbol is consumed, <paramref name="needed"/> is its output
    /// length). There is no call in the loop, so that the JIT keeps the bit buffer and the output position in registers.
    /// </summary>
    private static CodesResult DecodeCodesInBuffer(
        ref State state,
        scoped ReadOnlySpan<uint> literalTable,
        uint literalMask,
        scoped ReadOnlySpan<uint> distanceTable,
        uint distanceMask,
        out int needed)
    {
        var input = state.Input;
        var position = state.Position;
        var bitBuffer = state.Bits;
        var bitCount = state.BitCount;
        var output = state.Buffer.AsSpan();
        var written = state.Written;
        var limit = state.Limit;
        CodesResult result;
        needed = 0;
        while (true)
        {
            // Top up to at least 56 bits while the input lasts: one length code (15 bits), its extra bits (5), one
            // distance code (15) and its extra bits (13) need 48, so nothing below refills. The refill only adds bits
            // above the ones there, so with a whole code's worth there already the lookup need not wait for it.
            var entry = literalTable[(int)(bitBuffer & literalMask)];
            if (bitCount <= 56)
            {
                var had = bitCount;
                Refill(input, ref position, ref bitBuffer, ref bitCount);
                if (had < MaxCodeBits)
                {
                    entry = literalTable[(int)(bitBuffer & literalMask)];
                }
            }
            int codeBits;
            if ((entry & KindMask) == KindSubTable)
            {
                var root = (int)(entry & 15);
                var subMask = (1u << (int)((entry >> 4) & 15)) - 1;
                entry = literalTable[(int)(entry >> 16) + (int)((bitBuffer >> root) & subMask)];
                codeBits = root + (int)(entry & 15);
            }
            else
            {
                codeBits = (int)(entry & 15);
            }

            if (codeBits > bitCount)
            {
                result = CodesResult.InvalidData;
                break;
            }

            var kind = entry & KindMask;
            if (kind == KindLiteral)
            {
                if (written == limit)
                {
                    (needed, result) = (1, CodesResult.NeedsRoom);
                    break;
                }

                bitBuffer >>= codeBits;
                bitCount -= codeBits;
                output[written++] = (byte)(entry >> 16);
                continue;
            }

            if (kind != KindBase)
            {
                bitBuffer >>= codeBits;
                bitCount -= codeBits;
                result = kind == KindEndOfBlock ? CodesResult.EndOfBlock : CodesResult.InvalidData;
                break;
            }

            // A length: look at its extra bits before consuming anything, in case it does not fit.
            var extraBits = (int)((entry >> 4) & 15);
            if (codeBits + extraBits > bitCount)
            {
                result = CodesResult.InvalidData;
                break;
            }

            var length = (int)(entry >> 16) + (int)((bitBuffer >> codeBits) & ((1u << extraBits) - 1));
            if (length > limit - written)
            {
                (needed, result) = (length, CodesResult.NeedsRoom);
                break;
            }

            bitBuffer >>= codeBits + extraBits;
            bitCount -= codeBits + extraBits;

            entry = distanceTable[(int)(bitBuffer & distanceMask)];
            if ((entry & KindMask) == KindSubTable)
            {
                var root = (int)(entry & 15);
                var subMask = (1u << (int)((entry >> 4) & 15)) - 1;
                entry = distanceTable[(int)(entry >> 16) + (int)((bitBuffer >> root) & subMask)];
                codeBits = root + (int)(entry & 15);
            }
            else
            {
                codeBits = (int)(entry & 15);
            }

            extraBits = (int)((entry >> 4) & 15);
            if ((entry & KindMask) != KindBase || codeBits + extraBits > bitCount)
            {
                result = CodesResult.InvalidData;
                break;
            }

            var distance = (int)(entry >> 16) + (int)((bitBuffer >> codeBits) & ((1u << extraBits) - 1));
            bitBuffer >>= codeBits + extraBits;
            bitCount -= codeBits + extraBits;
            if (distance > written)
            {
                result = CodesResult.InvalidData;
                break;
            }

            // Copy the match. From 8 bytes back or more, 8 bytes at a time (each word is read after the earlier ones
            // were written, so overlapping matches repeat correctly), when the buffer has room for the last word's
            // overshoot past the match (written over later, or never part of the output).
            var source = written - distance;
            if (distance >= 8 && output.Length - written >= length + 8)
            {
                for (var i = 0; i < length; i += 8)
                {
                    MemoryMarshal.Write(output[(written + i)..], MemoryMarshal.Read<ulong>(output[(source + i)..]));
                }
            }
            else
            {
                for (var i = 0; i < length; i++)
                {
                    output[written + i] = output[source + i];
                }
            }

            written += length;
        }

        state.Position = position;
        state.Bits = bitBuffer;
        state.BitCount = bitCount;
        state.Written = written;
        return result;
    }

    /// <summary>Loads input bytes into the bit buffer while it holds at most 56 bits and input remains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Refill(ReadOnlySpan<byte> input, ref int position, ref ulong bitBuffer, ref int bitCount)
    {
        if (position <= input.Length - 8)
        {
            // Eight bytes at once; the bytes that do not fit whole are loaded again next time (the same bits).
            bitBuffer |= BinaryPrimitives.ReadUInt64LittleEndian(input[position..]) << bitCount;
            position += (63 - bitCount) >> 3;
            bitCount |= 56;
        }
        else
        {
            while (bitCount <= 56 && position < input.Length)
            {
                bitBuffer |= (ulong)input[position++] << bitCount;
                bitCount += 8;
            }
        }
    }

    /// <summary><see cref="TryGrow(ref byte[], ref int, int, int, int)"/> on the state's buffer.</summary>
    private static bool TryGrow(ref State state, int needed)
    {
        var buffer = state.Buffer;
        var limit = state.Limit;
        if (!TryGrow(ref buffer, ref limit, state.Written, needed, state.MaxOutput))
        {
            return false;
        }

        state.Buffer = buffer;
        state.Limit = limit;
        return true;
    }

    /// <summary>
    /// Makes room for <paramref name="needed"/> more bytes after <paramref name="written"/>, or says there may not be any:
    /// the output may not grow past <paramref name="maxOutput"/>, and nothing larger is rented.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryGrow(ref byte[] buffer, ref int limit, int written, int needed, int maxOutput)
    {
        var required = (long)written + needed;
        if (required > maxOutput)
        {
            return false;
        }

        if (required > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(buffer.Length * 2L, required), maxOutput));
            buffer.AsSpan(0, written).CopyTo(larger);
            PooledArrays.Return(buffer);
            buffer = larger;
        }

        limit = Math.Min(buffer.Length, maxOutput);
        return true;
    }

    /// <summary>
    /// Builds the decoding table of a canonical Huffman code: a root table indexed by the next
    /// <paramref name="rootBits"/> input bits (fewer when no code is that long), and second-level tables for longer
    /// codes, sized as zlib's <c>inflate_table</c> sizes them. Returns false for an over-subscribed set, or an incomplete
    /// one other than a single one-bit code (when that is allowed at all). A set with no codes gives a table in which
    /// every code is invalid.
    /// </summary>
    /// <remarks>
    /// Codes up to the root length are written once each into a table of 2^length entries, which is doubled (copied to
    /// its upper half) whenever the length grows, rather than written at every index they own; so building costs about
    /// one write per code plus a few block copies, which matters when the block itself holds only a few hundred symbols.
    /// </remarks>
    /// <param name="symbolEntries">The table entry of each symbol, without its code length.</param>
    /// <param name="lengths">The code lengths, symbol <c>s</c> at <c>firstSymbol + s</c>.</param>
    /// <param name="coded">The indexes into <paramref name="lengths"/> of the symbols with a code, in increasing order.</param>
    /// <param name="firstSymbol">The index in <paramref name="lengths"/> of symbol 0.</param>
    /// <param name="allowSingleOneBitCode">Whether a lone one-bit code is accepted (zlib: yes, except for the code-length code).</param>
    /// <param name="sorted">Scratch space for <paramref name="coded"/> sorted by code length.</param>
    /// <param name="table">Where the table goes; large enough for the alphabet and root size (zlib's ENOUGH).</param>
    /// <param name="rootBits">In: the root size wanted; out: the root size used, the index bits of the decoder's first lookup.</param>
    private static bool TryBuildTable(
        ReadOnlySpan<uint> symbolEntries,
        ReadOnlySpan<byte> lengths,
        ReadOnlySpan<ushort> coded,
        int firstSymbol,
        bool allowSingleOneBitCode,
        Span<ushort> sorted,
        Span<uint> table,
        ref int rootBits)
    {
        const int MaxBits = MaxCodeBits;
        Span<ushort> count = stackalloc ushort[MaxBits + 1];
        count.Clear();
        foreach (var symbol in coded)
        {
            count[lengths[symbol]]++;
        }

        var max = MaxBits;
        while (max >= 1 && count[max] == 0)
        {
            max--;
        }

        if (max == 0)
        {
            table[0] = KindInvalid | 1;
            table[1] = KindInvalid | 1;
            rootBits = 1;
            return true;
        }

        // Over-subscribed (more codes of some length than the shorter ones leave room for), or incomplete.
        var left = 1;
        for (var length = 1; length <= MaxBits; length++)
        {
            left = (left << 1) - count[length];
            if (left < 0)
            {
                return false;
            }
        }

        if (left > 0)
        {
            // zlib accepts one incomplete code: a single one-bit code (0); the other one-bit code (1) is invalid.
            if (!allowSingleOneBitCode || max != 1)
            {
                return false;
            }

            table[0] = symbolEntries[coded[0] - firstSymbol] | 1;
            table[1] = KindInvalid | 1;
            rootBits = 1;
            return true;
        }

        var min = 1;
        while (count[min] == 0)
        {
            min++;
        }

        var root = Math.Clamp(rootBits, min, max);

        // The symbols sorted by code length, then by value: the order of their canonical codes.
        Span<ushort> offsets = stackalloc ushort[MaxBits + 1];
        var offset = 0;
        for (var length = 1; length <= MaxBits; length++)
        {
            offsets[length] = (ushort)offset;
            offset += count[length];
        }

        foreach (var symbol in coded)
        {
            sorted[offsets[lengths[symbol]]++] = symbol;
        }

        // Walk the codes in canonical order. The codeword is kept bit-reversed (DEFLATE sends codes from the most
        // significant bit, and the table is indexed by the input bits as they come, least significant first), so the
        // next codeword comes from setting the highest clear bit below the length and clearing the bits above it.
        var index = 0;
        var codeword = 0u;
        var current = min;
        var remaining = (int)count[current];
        var tableEnd = 1 << current;
        while (current <= root)
        {
            table[(int)codeword] = symbolEntries[sorted[index++] - firstSymbol] | (uint)current;
            if (codeword == tableEnd - 1)
            {
                // The last codeword (all ones): no code is longer; double the table up to the root size.
                for (; current < root; current++)
                {
                    table[..tableEnd].CopyTo(table[tableEnd..]);
                    tableEnd <<= 1;
                }

                rootBits = root;
                return true;
            }

            var bit = 1u << BitOperations.Log2(codeword ^ (uint)(tableEnd - 1));
            codeword = (codeword & (bit - 1)) | bit;
            if (--remaining == 0)
            {
                do
                {
                    if (++current <= root)
                    {
                        table[..tableEnd].CopyTo(table[tableEnd..]);
                        tableEnd <<= 1;
                    }

                    remaining = count[current];
                }
                while (remaining == 0);
            }
        }

        // Codes longer than the root: the root entry of their first root bits points to a second-level table, indexed
        // by the bits after the root, with as many index bits as the codes under that root entry need.
        var rootMask = (1u << root) - 1;
        var prefix = uint.MaxValue;
        var subStart = 0;
        tableEnd = 1 << root;
        while (true)
        {
            if ((codeword & rootMask) != prefix)
            {
                prefix = codeword & rootMask;
                subStart = tableEnd;
                var subBits = current - root;
                var codespace = remaining;
                while (codespace < 1 << subBits)
                {
                    subBits++;
                    codespace = (codespace << 1) + count[root + subBits];
                }

                tableEnd = subStart + (1 << subBits);
                if (tableEnd > table.Length)
                {
                    return false;
                }

                table[(int)prefix] = KindSubTable | ((uint)subStart << 16) | ((uint)subBits << 4) | (uint)root;
            }

            var entry = symbolEntries[sorted[index++] - firstSymbol] | (uint)(current - root);
            var stride = 1 << (current - root);
            for (var at = subStart + (int)(codeword >> root); at < tableEnd; at += stride)
            {
                table[at] = entry;
            }

            var all = (1u << current) - 1;
            if (codeword == all)
            {
                rootBits = root;
                return true;
            }

            var bit = 1u << BitOperations.Log2(codeword ^ all);
            codeword = (codeword & (bit - 1)) | bit;
            remaining--;
            while (remaining == 0)
            {
                remaining = count[++current];
            }
        }
    }

    /// <summary>The table entries (without code length) of the literal/length symbols 0-287.</summary>
    private static uint[] BuildLiteralEntries()
    {
        var entries = new uint[288];
        for (var symbol = 0; symbol < entries.Length; symbol++)
        {
            entries[symbol] = symbol switch
            {
                < 256 => KindLiteral | ((uint)symbol << 16),
                256 => KindEndOfBlock,
                < 257 + 29 => KindBase | ((uint)LengthBase[symbol - 257] << 16) | ((uint)LengthExtra[symbol - 257] << 4),
                _ => KindInvalid,
            };
        }

        return entries;
    }

    /// <summary>The table entries (without code length) of the distance symbols 0-31.</summary>
    private static uint[] BuildDistanceEntries()
    {
        var entries = new uint[32];
        for (var symbol = 0; symbol < entries.Length; symbol++)
        {
            entries[symbol] = symbol < 30
                ? KindBase | ((uint)DistanceBase[symbol] << 16) | ((uint)DistanceExtra[symbol] << 4)
                : KindInvalid;
        }

        return entries;
    }

    /// <summary>The fixed-Huffman tables of RFC 1951 3.2.6 (all 288 literal/length and 32 distance symbols).</summary>
    private static uint[] BuildFixedTable(bool literals, int expectedBits)
    {
        Span<byte> lengths = stackalloc byte[literals ? 288 : 32];
        var rootBits = expectedBits;
        if (literals)
        {
            lengths[..144].Fill(8);
            lengths[144..256].Fill(9);
            lengths[256..280].Fill(7);
            lengths[280..].Fill(8);
        }
        else
        {
            lengths.Fill(5);
        }

        Span<ushort> coded = stackalloc ushort[lengths.Length];
        for (var symbol = 0; symbol < coded.Length; symbol++)
        {
            coded[symbol] = (ushort)symbol;
        }

        var table = new uint[1 << expectedBits];
        Span<ushort> sorted = stackalloc ushort[lengths.Length];
        if (!TryBuildTable(literals ? LiteralEntries : DistanceEntries, lengths, coded, 0, allowSingleOneBitCode: false, sorted, table, ref rootBits)
            || rootBits != expectedBits)
        {
            throw new InvalidOperationException("The fixed Huffman codes make one complete table level.");
        }

        return table;
    }

    /// <summary>The input, the bit buffer and the output of one <see cref="Inflate"/> call.</summary>
    private ref struct State(ReadOnlySpan<byte> input, byte[] buffer, int maxOutput)
    {
        public readonly ReadOnlySpan<byte> Input = input;
        public readonly int MaxOutput = maxOutput;

        /// <summary>The next input byte not yet in <see cref="Bits"/>.</summary>
        public int Position;

        /// <summary>
        /// The input bits not yet consumed, the next one lowest; <see cref="BitCount"/> of them are valid, and the bits
        /// above them are zero or the input bits that follow (so a lookup may peek past <see cref="BitCount"/>, and a
        /// refill may load the same bits again).
        /// </summary>
        public ulong Bits;
        public int BitCount;

        public byte[] Buffer = buffer;
        public int Written;

        /// <summary>Where the output must stop or grow: the smaller of the buffer's length and the bound.</summary>
        public int Limit = Math.Min(buffer.Length, maxOutput);
    }
}
