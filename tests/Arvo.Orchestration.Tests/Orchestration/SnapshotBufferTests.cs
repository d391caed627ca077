using Arvo.Machines;

namespace Arvo.Tests.Orchestration;

/// <summary>The per-thread snapshot buffer of the orchestrator's record step is capped (64 KiB).</summary>
public sealed class SnapshotBufferTests
{
    [Fact]
    public void ReturnSnapshotWriter_AfterALargeSnapshot_DropsTheLargeBuffer()
    {
        var writer = SnapshotScratch.Rent(out var buffer);
        writer.WriteStringValue(new string('x', 1_000_000));
        writer.Flush();
        buffer.Capacity.Should().BeGreaterThan(SnapshotScratch.MaxRetainedBufferBytes);

        SnapshotScratch.Return(buffer);

        SnapshotScratch.RetainedCapacity.Should().BeNull();
        var next = SnapshotScratch.Rent(out var nextBuffer);
        nextBuffer.Should().NotBeSameAs(buffer);
        nextBuffer.Capacity.Should().BeLessThanOrEqualTo(SnapshotScratch.MaxRetainedBufferBytes);
        next.Should().NotBeSameAs(writer);
        SnapshotScratch.Return(nextBuffer);
    }

    [Fact]
    public void ReturnSnapshotWriter_AfterASmallSnapshot_KeepsTheBufferForTheNextOne()
    {
        var writer = SnapshotScratch.Rent(out var buffer);
        writer.WriteStringValue(new string('x', 10_000));
        writer.Flush();
        SnapshotScratch.Return(buffer);

        SnapshotScratch.RetainedCapacity.Should().Be(buffer.Capacity);
        var next = SnapshotScratch.Rent(out var nextBuffer);
        nextBuffer.Should().BeSameAs(buffer);
        nextBuffer.WrittenCount.Should().Be(0);
        next.Should().BeSameAs(writer);
        SnapshotScratch.Return(nextBuffer);
    }

    [Fact]
    public void RentSnapshotWriter_WhileTheThreadsBufferIsInUse_LendsASeparateBufferAndLeavesTheFirstIntact()
    {
        var outer = SnapshotScratch.Rent(out var outerBuffer);
        outer.WriteStartObject();
        outer.WriteString("outer", "kept");

        var inner = SnapshotScratch.Rent(out var innerBuffer);
        innerBuffer.Should().NotBeSameAs(outerBuffer);
        inner.Should().NotBeSameAs(outer);
        inner.WriteStringValue("inner");
        inner.Flush();
        SnapshotScratch.Return(innerBuffer);

        outer.WriteEndObject();
        outer.Flush();
        System.Text.Encoding.UTF8.GetString(outerBuffer.WrittenSpan).Should().Be("{\"outer\":\"kept\"}");
        SnapshotScratch.Return(outerBuffer);

        SnapshotScratch.Rent(out var again);
        again.Should().BeSameAs(outerBuffer);
        SnapshotScratch.Return(again);
    }

    [Fact]
    public void MaxRetainedSnapshotBufferBytes_Is64KiB()
    {
        SnapshotScratch.MaxRetainedBufferBytes.Should().Be(64 * 1024);
    }
}
