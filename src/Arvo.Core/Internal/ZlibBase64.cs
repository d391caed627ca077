using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Arvo.Internal;

/// <summary>Why a zlib+base64 string could not be decoded.</summary>
internal enum ZlibBase64Status
{
    /// <summary>Decoded.</summary>
    Ok,

    /// <summary>Not base64 (standard or URL-safe alphabet, padding optional).</summary>
    InvalidBase64,

    /// <summary>Not a valid zlib (RFC 1950) stream.</summary>
    InvalidZlib,

    /// <summary>The inflated content is larger than the allowed bound.</summary>
    TooLarge,
}

/// <summary>
/// <c>base64(zlib(bytes))</c>, the encoding of orchestration subjects and ARVO_MANAGED event ids.
/// </summary>
internal static class ZlibBase64
{
    /// <summary>Deflates (zlib container, default level) and base64-encodes with padding.</summary>
    public static string Encode(ReadOnlySpan<byte> content)
    {
        var output = new ArrayBufferWriterStream(content.Length / 2 + 64);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(content);
        }

        return Convert.ToBase64String(output.WrittenSpan);
    }

    /// <summary>The characters of standard base64 text, padding included.</summary>
    private static readonly SearchValues<char> StandardAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    /// <summary>The largest accepted <c>maxInflatedBytes</c> bound (1 GiB).</summary>
    public const int MaxInflatedBytesLimit = 1 << 30;

    /// <summary>
    /// Decodes <paramref name="text"/> into a pooled buffer. On <see cref="ZlibBase64Status.Ok"/> the
    /// caller owns <paramref name="rented"/> (return it to <see cref="ArrayPool{T}.Shared"/>) and the
    /// content is <c>rented[..length]</c>. Inflation stops before more than
    /// <paramref name="maxInflatedBytes"/> bytes would come out, so a compression bomb costs at most that much.
    /// </summary>
    /// <remarks>
    /// Base64: standard or URL-safe alphabet (may be mixed), padding optional; any other character,
    /// including white space, is rejected. Zlib: the whole input must be exactly one RFC 1950 stream
    /// (no preset dictionary) whose Adler-32 trailer matches the inflated bytes, so truncated streams
    /// and trailing bytes are rejected (the runtime's inflater silently accepts both). The DEFLATE data is
    /// decoded by <see cref="Inflater"/>, not the runtime's <c>ZLibStream</c>, whose native setup costs more
    /// than decoding a typical subject. The caller bounds the length of <paramref name="text"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxInflatedBytes"/> is not between 0 and <see cref="MaxInflatedBytesLimit"/>.</exception>
    public static ZlibBase64Status TryDecode(string text, int maxInflatedBytes, out byte[] rented, out int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxInflatedBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxInflatedBytes, MaxInflatedBytesLimit);
        rented = [];
        length = 0;
        if (text.Length == 0 || text.Length % 4 == 1)
        {
            return ZlibBase64Status.InvalidBase64;
        }

        var padded = (text.Length + 3) & ~3;
        var compressed = ArrayPool<byte>.Shared.Rent(padded / 4 * 3);

        // The usual case, the standard alphabet with padding (what Encode writes): decode the text as it is. Only
        // the alphabet is checked here; Convert checks where '=' may be, as on the path below.
        if (text.Length == padded && text.AsSpan().IndexOfAnyExcept(StandardAlphabet) < 0)
        {
            try
            {
                return Convert.TryFromBase64String(text, compressed, out var decodedLength)
                    ? Inflate(compressed, decodedLength, maxInflatedBytes, out rented, out length)
                    : ZlibBase64Status.InvalidBase64;
            }
            finally
            {
                PooledArrays.Return(compressed);
            }
        }

        // Otherwise normalise URL-safe characters and missing padding into a pooled char buffer.
        var chars = ArrayPool<char>.Shared.Rent(padded);
        try
        {
            var count = 0;
            foreach (var c in text)
            {
                char normalised;
                if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')
                {
                    normalised = c;
                }
                else if (c == '-')
                {
                    normalised = '+';
                }
                else if (c == '_')
                {
                    normalised = '/';
                }
                else
                {
                    // Convert would skip white space; a subject never contains any.
                    return ZlibBase64Status.InvalidBase64;
                }

                chars[count++] = normalised;
            }

            while (count % 4 != 0)
            {
                chars[count++] = '=';
            }

            if (!Convert.TryFromBase64Chars(chars.AsSpan(0, count), compressed, out var compressedLength))
            {
                return ZlibBase64Status.InvalidBase64;
            }

            return Inflate(compressed, compressedLength, maxInflatedBytes, out rented, out length);
        }
        finally
        {
            PooledArrays.Return(chars);
            PooledArrays.Return(compressed);
        }
    }

    /// <summary>The Adler-32 checksum of RFC 1950.</summary>
    internal static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Modulus = 65521;
        const int MaxBlock = 5552; // largest n such that 255 n (n + 1) / 2 + (n + 1) (Modulus - 1) fits in 32 bits
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(data.Length, MaxBlock)];
            foreach (var value in block)
            {
                a += value;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[block.Length..];
        }

        return (b << 16) | a;
    }

    private static ZlibBase64Status Inflate(byte[] compressed, int compressedLength, int maxInflatedBytes, out byte[] rented, out int length)
    {
        rented = [];
        length = 0;

        // Header (RFC 1950 2.2): CM = 8 (deflate), CINFO <= 7 (window <= 32 KiB), FCHECK holds, no FDICT.
        // The shortest stream is 2 header bytes, an empty final block (2 bytes) and the 4-byte Adler-32.
        if (compressedLength < 8
            || (compressed[0] & 0x0F) != 8
            || compressed[0] >> 4 > 7
            || ((compressed[0] << 8) | compressed[1]) % 31 != 0
            || (compressed[1] & 0x20) != 0)
        {
            return ZlibBase64Status.InvalidZlib;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(compressedLength * 4L, 256L), maxInflatedBytes + 1L));
        var status = ZlibBase64Status.InvalidZlib;
        try
        {
            // The DEFLATE data lies between the header and the Adler-32; it must end exactly there, so a truncated
            // stream (it runs out of input) and trailing bytes (it ends early) are both rejected.
            var deflate = compressed.AsSpan(2, compressedLength - 6);
            switch (Inflater.Inflate(deflate, maxInflatedBytes, ref buffer, out var written, out var consumed))
            {
                case InflaterStatus.Ok when consumed == deflate.Length:
                    break;
                case InflaterStatus.TooLarge:
                    status = ZlibBase64Status.TooLarge;
                    return status;
                default:
                    return status;
            }

            var trailer = BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(compressedLength - 4, 4));
            if (trailer != Adler32(buffer.AsSpan(0, written)))
            {
                return status;
            }

            status = ZlibBase64Status.Ok;
            rented = buffer;
            length = written;
            return status;
        }
        finally
        {
            if (status != ZlibBase64Status.Ok)
            {
                PooledArrays.Return(buffer);
            }
        }
    }

    /// <summary>A minimal growable write-only stream over a pooled-free array (encode side is not hot).</summary>
    private sealed class ArrayBufferWriterStream(int initialCapacity) : Stream
    {
        private readonly ArrayBufferWriter<byte> _writer = new(initialCapacity);

        public ReadOnlySpan<byte> WrittenSpan => _writer.WrittenSpan;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _writer.WrittenCount;

        public override long Position
        {
            get => _writer.WrittenCount;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _writer.Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => _writer.Write(buffer);
    }
}
