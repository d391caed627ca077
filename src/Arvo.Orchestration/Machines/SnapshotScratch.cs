using System.Buffers;
using System.Text.Json;

namespace Arvo.Machines;

/// <summary>
/// The calling thread's scratch buffer and writer for snapshot JSON, which is written once per execution and parsed
/// into a document that owns an exact copy of it. A nested use on the same thread (a context converter that runs
/// another machine) gets a buffer of its own instead of overwriting the outer one.
/// </summary>
internal static class SnapshotScratch
{
    /// <summary>
    /// The largest snapshot buffer a thread keeps for the next snapshot: 64 KiB. A larger snapshot is written into
    /// a buffer that is dropped afterwards, so a thread that once wrote a 16 M-character context does not keep
    /// tens of MiB reachable for the rest of its life (four such threads kept 640 MiB).
    /// </summary>
    public const int MaxRetainedBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static bool t_inUse;

    /// <summary>Test hook: the capacity of the buffer the calling thread keeps, or null when it keeps none.</summary>
    public static int? RetainedCapacity => t_buffer?.Capacity;

    /// <summary>
    /// Writes one JSON value with <paramref name="write"/> into the calling thread's buffer and parses it into a
    /// document that owns an exact copy of the bytes (the buffer is reused; the returned element is not tied to it).
    /// </summary>
    public static JsonElement WriteAndParse<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var writer = Rent(out var buffer);
        try
        {
            write(writer, state);
            writer.Flush();
            var reader = new Utf8JsonReader(buffer.WrittenSpan);
            return JsonElement.ParseValue(ref reader);
        }
        finally
        {
            Return(buffer);
        }
    }

    /// <summary>The calling thread's buffer (emptied) and a writer reset onto it; hand the buffer back with <see cref="Return"/>.</summary>
    public static Utf8JsonWriter Rent(out ArrayBufferWriter<byte> buffer)
    {
        if (t_inUse)
        {
            buffer = new ArrayBufferWriter<byte>(1024);
            return new Utf8JsonWriter(buffer);
        }

        t_inUse = true;
        buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        return writer;
    }

    /// <summary>
    /// Ends the use of a rented buffer: one that grew beyond <see cref="MaxRetainedBufferBytes"/> is dropped (with the
    /// writer, which references it), so the next snapshot starts from a small buffer again.
    /// </summary>
    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        if (!ReferenceEquals(buffer, t_buffer))
        {
            return;
        }

        t_inUse = false;
        if (buffer.Capacity > MaxRetainedBufferBytes)
        {
            t_writer?.Dispose();
            t_buffer = null;
            t_writer = null;
        }
    }
}
