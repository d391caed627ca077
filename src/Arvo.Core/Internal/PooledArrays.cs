using System.Buffers;

namespace Arvo.Internal;

/// <summary>
/// Returns rented arrays to <see cref="ArrayPool{T}.Shared"/> only up to a size cap: the shared pool keeps arrays of up
/// to a gigabyte, so one oversized untrusted input (a 16 M-character subject or event) would otherwise stay reachable
/// after it was rejected. Larger arrays are left to the garbage collector.
/// </summary>
internal static class PooledArrays
{
    /// <summary>The largest array handed back to the pool: 1 MiB of bytes, or 512 Ki chars.</summary>
    public const int MaxPooledBytes = 1024 * 1024;

    public static void Return(byte[] array)
    {
        if (array.Length <= MaxPooledBytes)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    public static void Return(char[] array)
    {
        if (array.Length <= MaxPooledBytes / sizeof(char))
        {
            ArrayPool<char>.Shared.Return(array);
        }
    }
}
