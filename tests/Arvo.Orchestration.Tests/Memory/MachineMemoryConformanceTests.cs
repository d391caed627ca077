using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Arvo.Tests.Memory;

/// <summary>
/// The specification every <see cref="IMachineMemory{T}"/> backend must pass (memory-and-locking.md 8; scenarios M-1 … M-5,
/// compare-and-set, owned expiring locks, real concurrency, isolation).
/// </summary>
/// <remarks>
/// <para>To test a backend, inherit this class (project-reference this test project, or link this file) and implement
/// <see cref="CreateMemoryAsync"/> and <see cref="ClearAsync"/>. xunit creates one instance per test, so every test
/// gets a fresh memory; a backend over a shared database should start from an empty store (e.g. clear it in
/// <see cref="CreateMemoryAsync"/>).</para>
/// <para>Time: the suite owns a <see cref="FakeTimeProvider"/> (<see cref="Time"/>) and hands it to the factory.
/// A backend whose expiry uses another clock (e.g. the database's <c>now()</c>) overrides
/// <see cref="AdvanceTimeAsync"/>.</para>
/// <para>Empty-id error texts are the reference's; .NET appends <c>(Parameter 'id')</c>, so messages are matched as prefixes.</para>
/// </remarks>
/// <typeparam name="TMemory">The memory under test.</typeparam>
public abstract class MachineMemoryConformanceTests<TMemory> : IAsyncLifetime
    where TMemory : IMachineMemory<MachineMemoryRecord>
{
    /// <summary>The lock time-to-live the suite asks for.</summary>
    protected static readonly TimeSpan LockTimeToLive = TimeSpan.FromSeconds(30);

    /// <summary>Owner tokens used by the tests.</summary>
    protected static readonly MachineMemoryLockToken OwnerA = new("owner-a");

    /// <summary>A second owner.</summary>
    protected static readonly MachineMemoryLockToken OwnerB = new("owner-b");

    /// <summary>A third owner.</summary>
    protected static readonly MachineMemoryLockToken OwnerC = new("owner-c");

    private TMemory? _memory;

    /// <summary>The clock handed to <see cref="CreateMemoryAsync"/>.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The memory under test (fresh for every test).</summary>
    protected TMemory Memory => _memory ?? throw new InvalidOperationException("The memory is created in InitializeAsync.");

    /// <summary>Creates an empty memory whose locks live <paramref name="lockTimeToLive"/> on <paramref name="timeProvider"/>'s clock.</summary>
    protected abstract ValueTask<TMemory> CreateMemoryAsync(TimeProvider timeProvider, TimeSpan lockTimeToLive);

    /// <summary>Removes every record and lock of <paramref name="memory"/> (scenario M-4, the reference's <c>clear()</c>).</summary>
    protected abstract ValueTask ClearAsync(TMemory memory);

    /// <summary>Moves the memory's clock forward.</summary>
    protected virtual ValueTask AdvanceTimeAsync(TimeSpan by)
    {
        Time.Advance(by);
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases the memory after a test; disposes it when it is disposable.</summary>
    protected virtual async ValueTask DisposeMemoryAsync(TMemory memory)
    {
        switch (memory)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    async Task IAsyncLifetime.InitializeAsync() => _memory = await CreateMemoryAsync(Time, LockTimeToLive);

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_memory is { } memory)
        {
            await DisposeMemoryAsync(memory);
        }
    }

    /// <summary>The scenarios' valid record, with an optional subject and value.</summary>
    protected static MachineMemoryStateRecord ValidRecord(string subject = "test", string value = "", int count = 0) => new()
    {
        InitEventId = string.Empty,
        Subject = subject,
        State = JsonSerializer.SerializeToElement(new { count }),
        ParentSubject = null,
        Status = "active",
        Value = JsonSerializer.SerializeToElement(value),
        MachineDefinition = null,
        Events = MachineMemoryEvents.Empty,
    };

    private static int CountOf(MachineMemoryRecord? record) =>
        record is MachineMemoryStateRecord state ? state.State.GetProperty("count").GetInt32() : throw new InvalidOperationException("No state record.");

    // ---- M-1 Read/write ----

    [Fact]
    public async Task WriteAsync_EmptyId_ThrowsMachineIdRequired()
    {
        var act = async () => await Memory.WriteAsync("", ValidRecord(), null);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("Machine ID is required for write operation*");
    }

    [Fact]
    public async Task WriteAsync_NullData_ThrowsDataRequired()
    {
        var act = async () => await Memory.WriteAsync("test", null!, null);

        await act.Should().ThrowAsync<ArgumentNullException>().WithMessage("Data is required for write operation*");
    }

    [Fact]
    public async Task ReadAsync_EmptyId_ThrowsMachineIdRequired()
    {
        var act = async () => await Memory.ReadAsync("");

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("Machine ID is required for read operation*");
    }

    [Fact]
    public async Task ReadAsync_UnknownId_ReturnsNull()
    {
        (await Memory.ReadAsync("nonexistent")).Should().BeNull();
    }

    [Fact]
    public async Task ReadAsync_AfterWrite_ReturnsEqualRecord()
    {
        var record = ValidRecord();

        await Memory.WriteAsync("test", record, null);

        (await Memory.ReadAsync("test")).Should().Be(record);
    }

    [Fact]
    public async Task ReadAsync_AfterFailureRecordWrite_ReturnsEqualFailureRecord()
    {
        var record = new MachineMemoryFailureRecord { Subject = "test", Error = new MachineMemoryError("Error", "boom", "Error: boom") };

        await Memory.WriteAsync("test", record, null);

        (await Memory.ReadAsync("test")).Should().BeOfType<MachineMemoryFailureRecord>().Which.Should().Be(record);
    }

    [Fact]
    public async Task WriteAsync_OneId_LeavesOtherIdsUnknown()
    {
        await Memory.WriteAsync("test1", ValidRecord("test1"), null);

        (await Memory.ReadAsync("test2")).Should().BeNull();
    }

    // ---- M-2 Copy on write / isolation ----

    [Fact]
    public async Task ReadAsync_AfterCallerDerivesModifiedRecord_ReturnsStoredValue()
    {
        var record = ValidRecord();
        await Memory.WriteAsync("test", record, null);

        var modified = record with { Value = JsonSerializer.SerializeToElement("modified") };

        modified.Value!.Value.GetString().Should().Be("modified");
        var read = (MachineMemoryStateRecord)(await Memory.ReadAsync("test"))!;
        read.Value!.Value.GetString().Should().Be("");
    }

    [Fact]
    public async Task ReadAsync_RecordReadEarlier_IsNotChangedByLaterWrites()
    {
        var original = ValidRecord(value: "one");
        await Memory.WriteAsync("test", original, null);
        var read = (MachineMemoryStateRecord)(await Memory.ReadAsync("test"))!;

        await Memory.WriteAsync("test", ValidRecord(value: "two"), read);

        read.Value!.Value.GetString().Should().Be("one");
        read.Should().Be(original);
    }

    // ---- Compare-and-set ----

    [Fact]
    public async Task WriteAsync_NewWorkflowWhenRecordExists_ThrowsConflictAndKeepsRecord()
    {
        var first = ValidRecord(value: "first");
        await Memory.WriteAsync("test", first, null);

        var act = async () => await Memory.WriteAsync("test", ValidRecord(value: "second"), null);

        (await act.Should().ThrowAsync<MachineMemoryConflictException>()).Which.Id.Should().Be("test");
        (await Memory.ReadAsync("test")).Should().Be(first);
    }

    [Fact]
    public async Task WriteAsync_PreviousIsStoredRecord_ReplacesRecord()
    {
        await Memory.WriteAsync("test", ValidRecord(count: 1), null);
        var read = await Memory.ReadAsync("test");

        await Memory.WriteAsync("test", ValidRecord(count: 2), read);

        CountOf(await Memory.ReadAsync("test")).Should().Be(2);
    }

    [Fact]
    public async Task WriteAsync_StalePrevious_ThrowsConflictAndKeepsNewerRecord()
    {
        await Memory.WriteAsync("test", ValidRecord(count: 1), null);
        var readByA = await Memory.ReadAsync("test");
        var readByB = await Memory.ReadAsync("test");
        await Memory.WriteAsync("test", ValidRecord(count: 2), readByA);

        var act = async () => await Memory.WriteAsync("test", ValidRecord(count: 3), readByB);

        await act.Should().ThrowAsync<MachineMemoryConflictException>();
        CountOf(await Memory.ReadAsync("test")).Should().Be(2);
    }

    [Fact]
    public async Task WriteAsync_PreviousGivenButNoRecordStored_ThrowsConflict()
    {
        var act = async () => await Memory.WriteAsync("test", ValidRecord(count: 2), ValidRecord(count: 1));

        await act.Should().ThrowAsync<MachineMemoryConflictException>();
        (await Memory.ReadAsync("test")).Should().BeNull();
    }

    [Fact]
    public async Task WriteAsync_FailureRecordWithReadRecordAsPrevious_ReplacesStateRecord()
    {
        await Memory.WriteAsync("test", ValidRecord(), null);
        var read = await Memory.ReadAsync("test");
        var failure = new MachineMemoryFailureRecord { Subject = "test", Error = new MachineMemoryError("Error", "boom", null) };

        await Memory.WriteAsync("test", failure, read);

        (await Memory.ReadAsync("test")).Should().Be(failure);
    }

    [Fact]
    public async Task WriteAsync_ConcurrentCreates_ExactlyOneSucceeds()
    {
        const int writers = 16;
        using var gate = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            gate.Wait();
            try
            {
                await Memory.WriteAsync("test", ValidRecord(count: i), null);
                return true;
            }
            catch (MachineMemoryConflictException)
            {
                return false;
            }
        })).ToArray();

        gate.Set();
        var results = await Task.WhenAll(attempts);

        results.Count(won => won).Should().Be(1);
        CountOf(await Memory.ReadAsync("test")).Should().Be(Array.IndexOf(results, true));
    }

    [Fact]
    public async Task WriteAsync_ConcurrentReadModifyWriteWithRetryOnConflict_LosesNoUpdate()
    {
        const int workers = 8;
        const int incrementsPerWorker = 20;
        await Memory.WriteAsync("test", ValidRecord(count: 0), null);
        using var gate = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            for (var done = 0; done < incrementsPerWorker;)
            {
                var read = await Memory.ReadAsync("test");
                try
                {
                    await Memory.WriteAsync("test", ValidRecord(count: CountOf(read) + 1), read);
                    done++;
                }
                catch (MachineMemoryConflictException)
                {
                    await Task.Yield();
                }
            }
        })).ToArray();

        gate.Set();
        await Task.WhenAll(tasks);

        CountOf(await Memory.ReadAsync("test")).Should().Be(workers * incrementsPerWorker);
    }

    // ---- M-3 Locks ----

    [Fact]
    public async Task LockAsync_EmptyId_ThrowsMachineIdRequired()
    {
        var act = async () => await Memory.LockAsync("", OwnerA);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("Machine ID is required for lock operation*");
    }

    [Fact]
    public async Task UnlockAsync_EmptyId_ThrowsMachineIdRequired()
    {
        var act = async () => await Memory.UnlockAsync("", OwnerA);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("Machine ID is required for unlock operation*");
    }

    [Fact]
    public async Task LockAsync_EmptyOwner_ThrowsArgumentException()
    {
        var act = async () => await Memory.LockAsync("test", default);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task UnlockAsync_EmptyOwner_ThrowsArgumentException()
    {
        var act = async () => await Memory.UnlockAsync("test", default);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task LockAsync_FreeId_ReturnsTrue()
    {
        (await Memory.LockAsync("test", OwnerA)).Should().BeTrue();
    }

    [Fact]
    public async Task LockAsync_HeldByAnotherOwner_ReturnsFalse()
    {
        await Memory.LockAsync("test", OwnerA);

        (await Memory.LockAsync("test", OwnerB)).Should().BeFalse();
    }

    [Fact]
    public async Task LockAsync_HeldBySameOwner_ReturnsFalse()
    {
        await Memory.LockAsync("test", OwnerA);

        (await Memory.LockAsync("test", OwnerA)).Should().BeFalse();
    }

    [Fact]
    public async Task LockAsync_DifferentIds_AreIndependent()
    {
        await Memory.LockAsync("test1", OwnerA);

        (await Memory.LockAsync("test2", OwnerB)).Should().BeTrue();
    }

    [Fact]
    public async Task UnlockAsync_LockedByOwner_ReturnsTrue()
    {
        await Memory.LockAsync("test", OwnerA);

        (await Memory.UnlockAsync("test", OwnerA)).Should().BeTrue();
    }

    [Fact]
    public async Task UnlockAsync_NeverLockedId_ReturnsTrue()
    {
        (await Memory.UnlockAsync("never-locked", OwnerA)).Should().BeTrue();
    }

    [Fact]
    public async Task UnlockAsync_Twice_ReturnsTrueBothTimes()
    {
        await Memory.LockAsync("test", OwnerA);

        (await Memory.UnlockAsync("test", OwnerA)).Should().BeTrue();
        (await Memory.UnlockAsync("test", OwnerA)).Should().BeTrue();
    }

    [Fact]
    public async Task LockAsync_AfterUnlock_ReturnsTrue()
    {
        await Memory.LockAsync("test", OwnerA);
        await Memory.UnlockAsync("test", OwnerA);

        (await Memory.LockAsync("test", OwnerA)).Should().BeTrue();
    }

    [Fact]
    public async Task UnlockAsync_NonOwnerWhileLockIsLive_ReturnsFalseAndKeepsLock()
    {
        await Memory.LockAsync("test", OwnerA);

        (await Memory.UnlockAsync("test", OwnerB)).Should().BeFalse();
        (await Memory.LockAsync("test", OwnerC)).Should().BeFalse();
    }

    // ---- Expiry and owner-safe release ----

    [Fact]
    public async Task LockAsync_HeldLockBeforeTimeToLive_IsStillDenied()
    {
        await Memory.LockAsync("test", OwnerA);

        await AdvanceTimeAsync(LockTimeToLive - TimeSpan.FromSeconds(1));

        (await Memory.LockAsync("test", OwnerB)).Should().BeFalse();
    }

    [Fact]
    public async Task LockAsync_HeldLockAfterTimeToLive_IsAcquiredByAnotherOwner()
    {
        await Memory.LockAsync("test", OwnerA);

        await AdvanceTimeAsync(LockTimeToLive + TimeSpan.FromSeconds(1));

        (await Memory.LockAsync("test", OwnerB)).Should().BeTrue();
    }

    [Fact]
    public async Task UnlockAsync_OldOwnerAfterExpiryAndReacquire_DoesNotReleaseNewOwnersLock()
    {
        await Memory.LockAsync("test", OwnerA);
        await AdvanceTimeAsync(LockTimeToLive + TimeSpan.FromSeconds(1));
        await Memory.LockAsync("test", OwnerB);

        (await Memory.UnlockAsync("test", OwnerA)).Should().BeFalse();

        (await Memory.LockAsync("test", OwnerC)).Should().BeFalse();
        (await Memory.UnlockAsync("test", OwnerB)).Should().BeTrue();
        (await Memory.LockAsync("test", OwnerC)).Should().BeTrue();
    }

    [Fact]
    public async Task LockAsync_ReacquiredLock_GetsAFreshTimeToLive()
    {
        await Memory.LockAsync("test", OwnerA);
        await AdvanceTimeAsync(LockTimeToLive + TimeSpan.FromSeconds(1));
        await Memory.LockAsync("test", OwnerB);

        await AdvanceTimeAsync(LockTimeToLive - TimeSpan.FromSeconds(1));

        (await Memory.LockAsync("test", OwnerC)).Should().BeFalse();
    }

    // ---- Real concurrency ----

    [Fact]
    public async Task LockAsync_ManyConcurrentOwners_ExactlyOneWins()
    {
        const int contenders = 32;
        using var gate = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, contenders).Select(i => Task.Run(async () =>
        {
            gate.Wait();
            return await Memory.LockAsync("test", new MachineMemoryLockToken($"owner-{i}"));
        })).ToArray();

        gate.Set();
        var results = await Task.WhenAll(attempts);

        results.Count(acquired => acquired).Should().Be(1);
    }

    [Fact]
    public async Task LockReadWriteUnlock_ConcurrentIncrements_LoseNoUpdate()
    {
        const int workers = 8;
        const int incrementsPerWorker = 20;
        await Memory.WriteAsync("test", ValidRecord(count: 0), null);
        using var gate = new ManualResetEventSlim();
        var inside = 0;
        var overlaps = 0;

        var tasks = Enumerable.Range(0, workers).Select(i => Task.Run(async () =>
        {
            var owner = new MachineMemoryLockToken($"worker-{i}");
            gate.Wait();
            for (var done = 0; done < incrementsPerWorker; done++)
            {
                while (!await Memory.LockAsync("test", owner))
                {
                    await Task.Yield();
                }

                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                var read = await Memory.ReadAsync("test");
                await Memory.WriteAsync("test", ValidRecord(count: CountOf(read) + 1), read);
                Interlocked.Decrement(ref inside);
                (await Memory.UnlockAsync("test", owner)).Should().BeTrue();
            }
        })).ToArray();

        gate.Set();
        await Task.WhenAll(tasks);

        overlaps.Should().Be(0);
        CountOf(await Memory.ReadAsync("test")).Should().Be(workers * incrementsPerWorker);
    }

    // ---- M-4 clear ----

    [Fact]
    public async Task Clear_RemovesRecordsAndLocks()
    {
        await Memory.WriteAsync("test1", ValidRecord("test1"), null);
        await Memory.WriteAsync("test2", ValidRecord("test2"), null);
        await Memory.LockAsync("test3", OwnerA);

        await ClearAsync(Memory);

        (await Memory.ReadAsync("test1")).Should().BeNull();
        (await Memory.ReadAsync("test2")).Should().BeNull();
        (await Memory.LockAsync("test3", OwnerB)).Should().BeTrue();
    }

    // ---- M-5 integrated cycle ----

    [Fact]
    public async Task FullCycle_WriteReadLockUnlock_BehavesAsReference()
    {
        var record = ValidRecord();

        await Memory.WriteAsync("test", record, null);
        (await Memory.ReadAsync("test")).Should().Be(record);
        (await Memory.LockAsync("test", OwnerA)).Should().BeTrue();
        (await Memory.LockAsync("test", OwnerB)).Should().BeFalse();
        (await Memory.UnlockAsync("test", OwnerA)).Should().BeTrue();
        (await Memory.LockAsync("test", OwnerB)).Should().BeTrue();
    }

    // ---- Reference records ----

    [Theory]
    [MemberData(nameof(MemoryRecordVectors.Records), MemberType = typeof(MemoryRecordVectors))]
    public async Task ReadAsync_ReferenceRecord_RoundTripsThroughStore(string name)
    {
        var record = MemoryRecordVectors.Parse(name);

        await Memory.WriteAsync(record.Subject, record, null);

        var read = await Memory.ReadAsync(record.Subject);
        read.Should().Be(record);
        JsonElement.DeepEquals(JsonSerializer.SerializeToElement(read), MemoryRecordVectors.Json(name)).Should().BeTrue();
    }
}
