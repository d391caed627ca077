using System.Buffers;
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

    /// <summary>
    /// Decodes <paramref name="text"/> into a pooled buffer. On <see cref="ZlibBase64Status.Ok"/> the
    /// caller owns <paramref name="rented"/> (return it to <see cref="ArrayPool{T}.Shared"/>) and the
    /// content is <c>rented[..length]</c>. Never inflates more than <paramref name="maxInflatedBytes"/>.
    /// </summary>
    public static ZlibBase64Status TryDecode(string text, int maxInflatedBytes, out byte[] rented, out int length)
    {
        rented = [];
        length = 0;
        if (string.IsNullOrEmpty(text))
        {
            return ZlibBase64Status.InvalidBase64;
        }

        // Normalise URL-safe characters and missing padding into a pooled char buffer.
        var padded = (text.Length + 3) & ~3;
        var chars = ArrayPool<char>.Shared.Rent(padded);
        var compressed = ArrayPool<byte>.Shared.Rent(padded / 4 * 3);
        try
        {
            var count = 0;
            foreach (var c in text)
            {
                chars[count++] = c switch { '-' => '+', '_' => '/', _ => c };
            }

            if (count % 4 == 1)
            {
                return ZlibBase64Status.InvalidBase64;
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
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private static ZlibBase64Status Inflate(byte[] compressed, int compressedLength, int maxInflatedBytes, out byte[] rented, out int length)
    {
        length = 0;
        // A valid zlib header: CM = 8 (deflate) and the header checksum holds.
        if (compressedLength < 6 || (compressed[0] & 0x0F) != 8 || ((compressed[0] << 8) | compressed[1]) % 31 != 0)
        {
            rented = [];
            return ZlibBase64Status.InvalidZlib;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(compressedLength * 4, 256), maxInflatedBytes + 1));
        try
        {
            using var source = new MemoryStream(compressed, 0, compressedLength, writable: false);
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxInflatedBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        rented = [];
                        return ZlibBase64Status.TooLarge;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxInflatedBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = zlib.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxInflatedBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    rented = [];
                    length = 0;
                    return ZlibBase64Status.TooLarge;
                }
            }

            rented = buffer;
            return ZlibBase64Status.Ok;
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            rented = [];
            length = 0;
            return ZlibBase64Status.InvalidZlib;
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
