using System.Buffers;
using Arvo.Internal;

namespace Arvo.Tests.Internal;

/// <summary>Oversized rented arrays (from untrusted input) are not kept by the shared pool.</summary>
public sealed class PooledArraysTests
{
    [Fact]
    public void Return_SmallArray_GoesBackToTheSharedPool()
    {
        var small = ArrayPool<byte>.Shared.Rent(4096);

        PooledArrays.Return(small);

        // The same thread renting the same size gets the array it returned (the pool's per-thread slot).
        ArrayPool<byte>.Shared.Rent(4096).Should().BeSameAs(small);
    }

    [Fact]
    public void Return_ArrayOverTheCap_IsLeftToTheGarbageCollector()
    {
        var big = ArrayPool<byte>.Shared.Rent(PooledArrays.MaxPooledBytes * 4);

        PooledArrays.Return(big);

        ArrayPool<byte>.Shared.Rent(PooledArrays.MaxPooledBytes * 4).Should().NotBeSameAs(big);
    }

    [Fact]
    public void Return_CharArrayOverTheCap_IsLeftToTheGarbageCollector()
    {
        var big = ArrayPool<char>.Shared.Rent(PooledArrays.MaxPooledBytes);

        PooledArrays.Return(big);

        ArrayPool<char>.Shared.Rent(PooledArrays.MaxPooledBytes).Should().NotBeSameAs(big);
    }
}
