using MachineStep = Arvo.ArvoOrchestrator.MachineStep;

namespace Arvo.Tests.Orchestration;

/// <summary>The per-thread snapshot buffer of the orchestrator's record step is capped (64 KiB).</summary>
public sealed class SnapshotBufferTests
{
    [Fact]
    public void ReturnSnapshotWriter_AfterALargeSnapshot_DropsTheLargeBuffer()
    {
        var writer = MachineStep.RentSnapshotWriter(out var buffer);
        writer.WriteStringValue(new string('x', 1_000_000));
        writer.Flush();
        buffer.Capacity.Should().BeGreaterThan(MachineStep.MaxRetainedSnapshotBufferBytes);

        MachineStep.ReturnSnapshotWriter(buffer);

        MachineStep.RetainedSnapshotBufferCapacity.Should().BeNull();
        var next = MachineStep.RentSnapshotWriter(out var nextBuffer);
        nextBuffer.Should().NotBeSameAs(buffer);
        nextBuffer.Capacity.Should().BeLessThanOrEqualTo(MachineStep.MaxRetainedSnapshotBufferBytes);
        next.Should().NotBeSameAs(writer);
        MachineStep.ReturnSnapshotWriter(nextBuffer);
    }

    [Fact]
    public void ReturnSnapshotWriter_AfterASmallSnapshot_KeepsTheBufferForTheNextOne()
    {
        var writer = MachineStep.RentSnapshotWriter(out var buffer);
        writer.WriteStringValue(new string('x', 10_000));
        writer.Flush();
        MachineStep.ReturnSnapshotWriter(buffer);

        MachineStep.RetainedSnapshotBufferCapacity.Should().Be(buffer.Capacity);
        var next = MachineStep.RentSnapshotWriter(out var nextBuffer);
        nextBuffer.Should().BeSameAs(buffer);
        nextBuffer.WrittenCount.Should().Be(0);
        next.Should().BeSameAs(writer);
        MachineStep.ReturnSnapshotWriter(nextBuffer);
    }

    [Fact]
    public void RentSnapshotWriter_WhileTheThreadsBufferIsInUse_LendsASeparateBufferAndLeavesTheFirstIntact()
    {
        var outer = MachineStep.RentSnapshotWriter(out var outerBuffer);
        outer.WriteStartObject();
        outer.WriteString("outer", "kept");

        var inner = MachineStep.RentSnapshotWriter(out var innerBuffer);
        innerBuffer.Should().NotBeSameAs(outerBuffer);
        inner.Should().NotBeSameAs(outer);
        inner.WriteStringValue("inner");
        inner.Flush();
        MachineStep.ReturnSnapshotWriter(innerBuffer);

        outer.WriteEndObject();
        outer.Flush();
        System.Text.Encoding.UTF8.GetString(outerBuffer.WrittenSpan).Should().Be("{\"outer\":\"kept\"}");
        MachineStep.ReturnSnapshotWriter(outerBuffer);

        MachineStep.RentSnapshotWriter(out var again);
        again.Should().BeSameAs(outerBuffer);
        MachineStep.ReturnSnapshotWriter(again);
    }

    [Fact]
    public void MaxRetainedSnapshotBufferBytes_Is64KiB()
    {
        MachineStep.MaxRetainedSnapshotBufferBytes.Should().Be(64 * 1024);
    }
}
