using System.Text.Json.Nodes;

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
        await memory.WriteAsync("test", state, null);

        state["value"] = "modified";
        state["nested"]!["count"] = 2;

        var read = await memory.ReadAsync("test");
        read!["value"]!.GetValue<string>().Should().Be("");
        read["nested"]!["count"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task ReadAsync_CallerMutatesReadObject_StoreIsUnchanged()
    {
        var memory = new SimpleMachineMemory<JsonObject>();
        await memory.WriteAsync("test", new JsonObject { ["value"] = "" }, null);

        var first = await memory.ReadAsync("test");
        first!["value"] = "modified";

        (await memory.ReadAsync("test"))!["value"]!.GetValue<string>().Should().Be("");
    }

    [Fact]
    public async Task WriteAsync_MutatedReadObjectAsPrevious_ThrowsConflict()
    {
        var memory = new SimpleMachineMemory<JsonObject>();
        await memory.WriteAsync("test", new JsonObject { ["count"] = 1 }, null);
        var read = await memory.ReadAsync("test");
        read!["count"] = 2;

        var act = async () => await memory.WriteAsync("test", read, read);

        await act.Should().ThrowAsync<MachineMemoryConflictException>();
    }

    [Fact]
    public async Task WriteAsync_PreviousWithDifferentPropertyOrder_IsAccepted()
    {
        var memory = new SimpleMachineMemory<JsonObject>();
        await memory.WriteAsync("test", new JsonObject { ["a"] = 1, ["b"] = 2 }, null);

        await memory.WriteAsync("test", new JsonObject { ["a"] = 3 }, new JsonObject { ["b"] = 2, ["a"] = 1 });

        (await memory.ReadAsync("test"))!["a"]!.GetValue<int>().Should().Be(3);
    }

    [Fact]
    public async Task ClearId_RemovesOnlyThatRecordAndLock()
    {
        var memory = new SimpleMachineMemory<JsonObject>();
        await memory.WriteAsync("test1", new JsonObject(), null);
        await memory.WriteAsync("test2", new JsonObject(), null);
        await memory.LockAsync("test1", Owner);
        await memory.LockAsync("test2", Owner);

        memory.Clear("test1");

        (await memory.ReadAsync("test1")).Should().BeNull();
        (await memory.ReadAsync("test2")).Should().NotBeNull();
        (await memory.LockAsync("test1", Owner)).Should().BeTrue();
        (await memory.LockAsync("test2", Owner)).Should().BeFalse();
    }

    [Fact]
    public void Constructor_DefaultOptions_UsesThirtySecondLocks()
    {
        new SimpleMachineMemory<JsonObject>().LockTimeToLive.Should().Be(TimeSpan.FromSeconds(30));
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
