using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Memory;

namespace Arvo.Tests.Memory;

/// <summary>Behaviour of <see cref="SimpleMachineMemory{T}"/> beyond the shared specification.</summary>
public sealed class SimpleMachineMemoryTests
{
    private static readonly MachineMemoryLockToken Owner = new("owner");

    [Fact]
    public async Task WriteAsync_CallerMutatesWrittenObject_StoreIsUnchanged()
    {
        var memory = new SimpleMachineMemory<JsonObject>();
        var state = new JsonObject { ["value"] = "", ["nested"] = new JsonObject { ["count"] = 1 } };
        await memory.WriteAsync("test", New(state));

        state["value"] = "modified";
        state["nested"]!["count"] = 2;

        var read = await memory.ReadRecordAsync("test");
        read!["value"]!.GetValue<string>().Should().Be("");
        read["nested"]!["count"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task ReadAsync_CallerMutatesReadObject_StoreIsUnchanged()
    {
        var memory = new SimpleMachineMemory<JsonObject>();
        await memory.WriteAsync("test", New(new JsonObject { ["value"] = "" }));

        var first = await memory.ReadRecordAsync("test");
        first!["value"] = "modified";

        (await memory.ReadRecordAsync("test"))!["value"]!.GetValue<string>().Should().Be("");
    }

    [Fact]
    public async Task WriteAsync_MutatedReadObjectWithItsVersion_ReplacesRecordOnce()
    {
        var memory = new SimpleMachineMemory<JsonObject>();
        await memory.WriteAsync("test", New(new JsonObject { ["count"] = 1 }));
        var read = (await memory.ReadAsync("test"))!;
        read.Record["count"] = 2;

        await memory.WriteAsync("test", new MachineMemoryWrite<JsonObject> { Record = read.Record, ExpectedVersion = read.Version });
        var again = async () => await memory.WriteAsync("test", new MachineMemoryWrite<JsonObject> { Record = read.Record, ExpectedVersion = read.Version });

        await again.Should().ThrowAsync<MachineMemoryConflictException>();
        (await memory.ReadRecordAsync("test"))!["count"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public async Task WriteAsync_Versions_CountWritesFromOne()
    {
        var memory = new SimpleMachineMemory<JsonObject>();

        (await memory.WriteAsync("test", New(new JsonObject { ["a"] = 1 }))).Should().Be(1);
        (await memory.WriteAsync("test", new MachineMemoryWrite<JsonObject> { Record = new JsonObject { ["a"] = 2 }, ExpectedVersion = 1 })).Should().Be(2);

        (await memory.ReadAsync("test"))!.Version.Should().Be(2);
    }

    [Fact]
    public async Task ClearId_DropsThatWorkflowsPendingOutboxEvents()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var failure = new MachineMemoryFailureRecord { Subject = "s", Error = new MachineMemoryError("Error", "boom", null) };
        var evt = ArvoEvent.Create(new ArvoEventInit { Source = "com.test.source", Type = "com.test.event", Subject = "s", Data = new { } });
        await memory.WriteAsync("test1", new MachineMemoryWrite<MachineMemoryRecord> { Record = failure, Outbox = [evt] });
        await memory.WriteAsync("test2", new MachineMemoryWrite<MachineMemoryRecord> { Record = failure, Outbox = [evt] });

        memory.Clear("test1");

        (await memory.ReadPendingOutboxAsync(10)).Select(e => e.WorkflowId).Should().Equal("test2");
    }

    [Fact]
    public async Task ClearId_RemovesOnlyThatRecordAndLock()
    {
        var memory = new SimpleMachineMemory<JsonObject>();
        await memory.WriteAsync("test1", New(new JsonObject()));
        await memory.WriteAsync("test2", New(new JsonObject()));
        await memory.LockAsync("test1", Owner);
        await memory.LockAsync("test2", Owner);

        memory.Clear("test1");

        (await memory.ReadAsync("test1")).Should().BeNull();
        (await memory.ReadAsync("test2")).Should().NotBeNull();
        (await memory.LockAsync("test1", Owner)).Should().BeTrue();
        (await memory.LockAsync("test2", Owner)).Should().BeFalse();
    }

    private static MachineMemoryWrite<JsonObject> New(JsonObject record) => new() { Record = record };

    [Fact]
    public void Constructor_DefaultOptions_UsesFiveSecondLocks()
    {
        new SimpleMachineMemory<JsonObject>().LockTimeToLive.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Constructor_NonPositiveTimeToLive_Throws()
    {
        var act = () => new SimpleMachineMemory<JsonObject>(new SimpleMachineMemoryOptions { LockTimeToLive = TimeSpan.Zero });

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task ReadAsync_CancelledToken_ThrowsOperationCanceled()
    {
        var memory = new SimpleMachineMemory<JsonObject>();

        var act = async () => await memory.ReadAsync("test", new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void LockToken_Default_IsEmptyAndNewTokensDiffer()
    {
        default(MachineMemoryLockToken).IsEmpty.Should().BeTrue();
        MachineMemoryLockToken.NewToken().Should().NotBe(MachineMemoryLockToken.NewToken());
        var act = () => new MachineMemoryLockToken("");
        act.Should().Throw<ArgumentException>();
    }
}
