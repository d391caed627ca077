using System.Buffers;
using System.IO.Compression;
using Arvo.Events;
using Arvo.Internal;
using BenchmarkDotNet.Attributes;

namespace Arvo.Benchmarks;

/// <summary>
/// <c>base64(zlib(json))</c> decoding in isolation: the base64 and inflate steps of every uncached subject parse
/// (<see cref="SubjectBenchmarks.ParseUncached"/> adds the JSON read and the content objects). The baseline inflates the
/// same bytes with the runtime's <see cref="ZLibStream"/>, as <c>ZlibBase64</c> did before it had its own inflater.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Arvo.Benchmarks -- --filter '*ZlibBenchmarks*'</c>.</remarks>
[MemoryDiagnoser]
public class ZlibBenchmarks
{
    private static readonly Dictionary<string, string> RedirectMeta = new() { ["redirectto"] = "com.test.other.service" };

    private string _typical = string.Empty;
    private byte[] _deflate = [];

    [GlobalSetup]
    public void Setup()
    {
        _typical = ArvoOrchestrationSubject.New("arvo.orc.counter", "0.0.1", "com.test.service", meta: RedirectMeta, idGenerator: new FixedIdGenerator("3f2a6c1e-8b4d-4c1a-9e7f-0a1b2c3d4e5f"));
        _deflate = Convert.FromBase64String(_typical)[2..^4];
    }

    /// <summary>
    /// The runtime's inflater on the same subject: base64 into a pooled buffer, then a <see cref="MemoryStream"/> and a
    /// <see cref="ZLibStream"/> per call, reading into a pooled buffer, and the Adler-32 check.
    /// </summary>
    [Benchmark(Baseline = true)]
    public int DecodeWithZLibStream()
    {
        var compressed = ArrayPool<byte>.Shared.Rent(_typical.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            Convert.TryFromBase64String(_typical, compressed, out var compressedLength);
            using var source = new MemoryStream(compressed, 0, compressedLength, writable: false);
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            var written = 0;
            int read;
            while ((read = zlib.Read(buffer, written, buffer.Length - written)) > 0)
            {
                written += read;
            }

            var trailer = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(compressedLength - 4, 4));
            return trailer == ZlibBase64.Adler32(buffer.AsSpan(0, written)) ? written : -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decode a typical subject (base64, inflate, Adler-32) into a pooled buffer and return the buffer.</summary>
    [Benchmark]
    public int Decode()
    {
        if (ZlibBase64.TryDecode(_typical, 64 * 1024, out var rented, out var length) != ZlibBase64Status.Ok)
        {
            throw new InvalidOperationException("The subject did not decode.");
        }

        ArrayPool<byte>.Shared.Return(rented);
        return length;
    }

    /// <summary>Only the DEFLATE data of the typical subject through <see cref="Inflater"/> (no base64, no Adler-32).</summary>
    [Benchmark]
    public int Inflate()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        Inflater.Inflate(_deflate, 64 * 1024, ref buffer, out var written, out _);
        ArrayPool<byte>.Shared.Return(buffer);
        return written;
    }

    private sealed class FixedIdGenerator(string id) : IArvoIdGenerator
    {
        public string NewId() => id;
    }
}
