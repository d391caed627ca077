using System.Text;
using System.Text.Json;
using Arvo.Memory;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Arvo.Testing.Memory;

/// <summary>
/// The specification every <see cref="IMachineMemory{T}"/> backend must pass (memory-and-locking.md 8; scenarios M-1 … M-5,
/// versioned compare-and-set, owned expiring leases, inbox and outbox, byte-for-byte round trips, corrupted data, real
/// concurrency, isolation). Ship a store, inherit this class in an xunit test project, implement three members.
/// </summary>
/// <remarks>
/// <para>To test a backend, inherit this class and implement <see cref="CreateMemoryAsync"/> and <see cref="ClearAsync"/>
/// (and <see cref="CorruptStoredRecordAsync"/> for a store that serializes records). xunit creates one instance per test,
/// so every test gets a fresh memory; a backend over a shared database should start from an empty store (e.g. a table or
/// schema of its own per test class, cleared in <see cref="CreateMemoryAsync"/>).</para>
/// <para>Time: the suite owns a <see cref="FakeTimeProvider"/> (<see cref="Time"/>) and hands it to the factory.
/// A backend whose lease expiry uses another clock (the database's <c>now()</c>) ignores it, asks for
/// <see cref="LockTimeToLive"/> as given and overrides <see cref="AdvanceTimeAsync"/> to wait in real time; override
/// <see cref="LockTimeToLive"/> to keep such tests short.</para>
/// <para>Empty-id error texts are the reference's; .NET appends <c>(Parameter 'id')</c>, so messages are matched as prefixes.</para>
/// </remarks>
/// <typeparam name="TMemory">The memory under test.</typeparam>
public abstract class MachineMemorySpecification<TMemory> : IAsyncLifetime
    where TMemory : IMachineMemory<MachineMemoryRecord>
{
    /// <summary>Owner tokens used by the tests.</summary>
    protected static readonly MachineMemoryLockToken OwnerA = new("owner-a");

    /// <summary>A second owner.</summary>
    protected static readonly MachineMemoryLockToken OwnerB = new("owner-b");

    /// <summary>A third owner.</summary>
    protected static readonly MachineMemoryLockToken OwnerC = new("owner-c");

    private TMemory? _memory;

    /// <summary>The lease time-to-live the suite asks for (default 30 s); expiry tests wait just below and just above it.</summary>
    protected virtual TimeSpan LockTimeToLive => TimeSpan.FromSeconds(30);

    /// <summary>The margin the expiry tests keep around <see cref="LockTimeToLive"/> (default 1 s).</summary>
    protected virtual TimeSpan ExpiryMargin => TimeSpan.FromSeconds(1);

    /// <summary>The clock handed to <see cref="CreateMemoryAsync"/>.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The memory under test (fresh for every test).</summary>
    protected TMemory Memory => _memory ?? throw new InvalidOperationException("The memory is created in InitializeAsync.");

    /// <summary>Creates an empty memory whose leases live <paramref name="lockTimeToLive"/> on <paramref name="timeProvider"/>'s clock (or the store's own).</summary>
    /// <param name="timeProvider">The suite's fake clock (<see cref="Time"/>).</param>
    /// <param name="lockTimeToLive">The lease time-to-live to configure.</param>
    /// <returns>The memory.</returns>
    protected abstract ValueTask<TMemory> CreateMemoryAsync(TimeProvider timeProvider, TimeSpan lockTimeToLive);

    /// <summary>Removes every record, lease and outbox event of <paramref name="memory"/> (scenario M-4, the reference's <c>clear()</c>).</summary>
    /// <param name="memory">The memory.</param>
    /// <returns>A task.</returns>
    protected abstract ValueTask ClearAsync(TMemory memory);

    /// <summary>
    /// Overwrites the stored record of <paramref name="id"/> with data that is not a record (e.g. invalid JSON) behind the
    /// store's back. Returns false for a store that keeps no serialized form (in-process instances), which makes the
    /// corruption tests pass without checking anything for that store.
    /// </summary>
    /// <param name="memory">The memory.</param>
    /// <param name="id">The workflow id.</param>
    /// <returns>True when the stored data was corrupted.</returns>
    protected virtual ValueTask<bool> CorruptStoredRecordAsync(TMemory memory, string id) => ValueTask.FromResult(false);

    /// <summary>Moves the memory's clock forward (the fake clock by default; override to wait for a store's own clock).</summary>
    /// <param name="by">How far.</param>
    /// <returns>A task.</returns>
    protected virtual ValueTask AdvanceTimeAsync(TimeSpan by)
    {
        Time.Advance(by);
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases the memory after a test; disposes it when it is disposable.</summary>
    /// <param name="memory">The memory.</param>
    /// <returns>A task.</returns>
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

    /// <summary>The scenarios' valid record (<see cref="MachineMemoryTestData.StateRecord"/>).</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="value">The state value.</param>
    /// <param name="count">A counter kept in the state.</param>
    /// <returns>The record.</returns>
    protected static MachineMemoryStateRecord ValidRecord(string subject = "test", string value = "", int count = 0) =>
        MachineMemoryTestData.StateRecord(subject, value, count);

    /// <summary>A write that creates a workflow (<see cref="MachineMemoryTestData.Create"/>).</summary>
    /// <param name="record">The record.</param>
    /// <param name="outbox">Events for the outbox.</param>
    /// <returns>The write.</returns>
    protected static MachineMemoryWrite<MachineMemoryRecord> Create(MachineMemoryRecord record, params ArvoEvent[] outbox) =>
        MachineMemoryTestData.Create(record, outbox);

    /// <summary>A write that replaces what <paramref name="read"/> returned (<see cref="MachineMemoryTestData.Replace"/>).</summary>
    /// <param name="read">The entry that was read.</param>
    /// <param name="record">The new record.</param>
    /// <param name="outbox">Events for the outbox.</param>
    /// <returns>The write.</returns>
    protected static MachineMemoryWrite<MachineMemoryRecord> Replace(MachineMemoryEntry<MachineMemoryRecord> read, MachineMemoryRecord record, params ArvoEvent[] outbox) =>
        MachineMemoryTestData.Replace(read, record, outbox);

    /// <summary>Valid events (<see cref="MachineMemoryTestData.Events"/>).</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="ids">The event ids.</param>
    /// <returns>The events.</returns>
    protected static ArvoEvent[] Events(string subject, params string[] ids) => MachineMemoryTestData.Events(subject, ids);

    private static int CountOf(MachineMemoryEntry<MachineMemoryRecord>? entry) => MachineMemoryTestData.CountOf(entry?.Record);

#pragma warning disable CS1591 // Each test's name states the rule it checks.

    // ---- M-1 Read/write ----

    [Fact]
    public async Task WriteAsync_EmptyId_ThrowsMachineIdRequired()
    {
        var act = async () => await Memory.WriteAsync("", Create(ValidRecord()));

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("Machine ID is required for write operation*");
    }

    [Fact]
    public async Task WriteAsync_NullWrite_ThrowsDataRequired()
    {
        var act = async () => await Memory.WriteAsync("test", null!);

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
    public async Task ReadAsync_AfterWrite_ReturnsEqualRecordWithTheWrittenVersion()
    {
        var record = ValidRecord();

        var version = await Memory.WriteAsync("test", Create(record));

        var read = await Memory.ReadAsync("test");
        read!.Record.Should().Be(record);
        read.Version.Should().Be(version).And.BePositive();
        read.Inbox.Should().Be(MachineMemoryInbox.Empty);
    }

    [Fact]
    public async Task ReadAsync_AfterFailureRecordWrite_ReturnsEqualFailureRecord()
    {
        var record = new MachineMemoryFailureRecord { Subject = "test", Error = new MachineMemoryError("Error", "boom", "Error: boom") };

        await Memory.WriteAsync("test", Create(record));

        (await Memory.ReadAsync("test"))!.Record.Should().BeOfType<MachineMemoryFailureRecord>().Which.Should().Be(record);
    }

    [Fact]
    public async Task WriteAsync_OneId_LeavesOtherIdsUnknown()
    {
        await Memory.WriteAsync("test1", Create(ValidRecord("test1")));

        (await Memory.ReadAsync("test2")).Should().BeNull();
    }

    // ---- M-2 Copy on write / isolation ----

    [Fact]
    public async Task ReadAsync_AfterCallerDerivesModifiedRecord_ReturnsStoredValue()
    {
        var record = ValidRecord();
        await Memory.WriteAsync("test", Create(record));

        var modified = record with { Value = JsonSerializer.SerializeToElement("modified") };

        modified.Value!.Value.GetString().Should().Be("modified");
        var read = (MachineMemoryStateRecord)(await Memory.ReadAsync("test"))!.Record;
        read.Value!.Value.GetString().Should().Be("");
    }

    [Fact]
    public async Task ReadAsync_RecordReadEarlier_IsNotChangedByLaterWrites()
    {
        var original = ValidRecord(value: "one");
        await Memory.WriteAsync("test", Create(original));
        var read = (await Memory.ReadAsync("test"))!;

        await Memory.WriteAsync("test", Replace(read, ValidRecord(value: "two")));

        ((MachineMemoryStateRecord)read.Record).Value!.Value.GetString().Should().Be("one");
        read.Record.Should().Be(original);
    }

    // ---- Compare-and-set on the version ----

    [Fact]
    public async Task WriteAsync_NewWorkflowWhenRecordExists_ThrowsConflictAndKeepsRecord()
    {
        var first = ValidRecord(value: "first");
        await Memory.WriteAsync("test", Create(first));

        var act = async () => await Memory.WriteAsync("test", Create(ValidRecord(value: "second"), Events("test", "e-1")));

        (await act.Should().ThrowAsync<MachineMemoryConflictException>()).Which.Id.Should().Be("test");
        (await Memory.ReadAsync("test"))!.Record.Should().Be(first);
        (await Memory.ReadPendingOutboxAsync(10)).Should().BeEmpty("a rejected write adds nothing to the outbox");
    }

    [Fact]
    public async Task WriteAsync_ExpectedVersionIsStored_ReplacesRecordAndChangesVersion()
    {
        await Memory.WriteAsync("test", Create(ValidRecord(count: 1)));
        var read = (await Memory.ReadAsync("test"))!;

        var version = await Memory.WriteAsync("test", Replace(read, ValidRecord(count: 2)));

        var again = await Memory.ReadAsync("test");
        CountOf(again).Should().Be(2);
        again!.Version.Should().Be(version).And.NotBe(read.Version);
    }

    [Fact]
    public async Task WriteAsync_StaleVersion_ThrowsConflictAndKeepsNewerRecord()
    {
        await Memory.WriteAsync("test", Create(ValidRecord(count: 1)));
        var readByA = (await Memory.ReadAsync("test"))!;
        var readByB = (await Memory.ReadAsync("test"))!;
        await Memory.WriteAsync("test", Replace(readByA, ValidRecord(count: 2)));

        var act = async () => await Memory.WriteAsync("test", Replace(readByB, ValidRecord(count: 3), Events("test", "e-stale")));

        (await act.Should().ThrowAsync<MachineMemoryConflictException>()).Which.Id.Should().Be("test");
        CountOf(await Memory.ReadAsync("test")).Should().Be(2);
        (await Memory.ReadPendingOutboxAsync(10)).Should().BeEmpty("a rejected write adds nothing to the outbox");
    }

    [Fact]
    public async Task WriteAsync_VersionGivenButNoRecordStored_ThrowsConflict()
    {
        var act = async () => await Memory.WriteAsync("test", new MachineMemoryWrite<MachineMemoryRecord> { Record = ValidRecord(count: 2), ExpectedVersion = 7 });

        await act.Should().ThrowAsync<MachineMemoryConflictException>();
        (await Memory.ReadAsync("test")).Should().BeNull();
    }

    [Fact]
    public async Task WriteAsync_FailureRecordOverReadVersion_ReplacesStateRecord()
    {
        await Memory.WriteAsync("test", Create(ValidRecord()));
        var read = (await Memory.ReadAsync("test"))!;
        var failure = new MachineMemoryFailureRecord { Subject = "test", Error = new MachineMemoryError("Error", "boom", null) };

        await Memory.WriteAsync("test", Replace(read, failure));

        (await Memory.ReadAsync("test"))!.Record.Should().Be(failure);
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
                await Memory.WriteAsync("test", Create(ValidRecord(count: i), Events("test", $"e-{i}")));
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
        var winner = Array.IndexOf(results, true);
        CountOf(await Memory.ReadAsync("test")).Should().Be(winner);
        (await Memory.ReadPendingOutboxAsync(100)).Select(e => e.Event.Id).Should().Equal($"e-{winner}");
    }

    [Fact]
    public async Task WriteAsync_ConcurrentReadModifyWriteWithRetryOnConflict_LosesNoUpdate()
    {
        const int workers = 8;
        const int incrementsPerWorker = 20;
        await Memory.WriteAsync("test", Create(ValidRecord(count: 0)));
        using var gate = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            for (var done = 0; done < incrementsPerWorker;)
            {
                var read = (await Memory.ReadAsync("test"))!;
                try
                {
                    await Memory.WriteAsync("test", Replace(read, ValidRecord(count: CountOf(read) + 1)));
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

    // ---- Inbox ----

    [Fact]
    public async Task WriteAsync_Inbox_IsReadBackEntryForEntry()
    {
        var inbox = MachineMemoryInbox.Empty
            .Append("consumed-1", Events("test", "out-1", "out-2"))
            .Append("consumed-2", []);

        await Memory.WriteAsync("test", new MachineMemoryWrite<MachineMemoryRecord> { Record = ValidRecord(), Inbox = inbox });

        var read = (await Memory.ReadAsync("test"))!;
        read.Inbox.Should().Be(inbox);
        read.Inbox.TryGet("consumed-1", out var first).Should().BeTrue();
        first!.Emitted.Select(e => e.Id).Should().Equal("out-1", "out-2");
        first.Emitted[0].Should().Be(Events("test", "out-1")[0]);
        read.Inbox.TryGet("consumed-2", out var second).Should().BeTrue();
        second!.Emitted.Should().BeEmpty();
        read.Inbox.TryGet("consumed-3", out _).Should().BeFalse();
    }

    [Fact]
    public async Task WriteAsync_Inbox_ReplacesTheStoredInbox()
    {
        await Memory.WriteAsync("test", new MachineMemoryWrite<MachineMemoryRecord>
        {
            Record = ValidRecord(),
            Inbox = MachineMemoryInbox.Empty.Append("consumed-1", Events("test", "out-1")),
        });
        var read = (await Memory.ReadAsync("test"))!;

        var trimmed = read.Inbox.Append("consumed-2", Events("test", "out-2"), capacity: 1);
        await Memory.WriteAsync("test", Replace(read, ValidRecord(count: 1)) with { Inbox = trimmed });

        var again = (await Memory.ReadAsync("test"))!;
        again.Inbox.Entries.Select(e => e.EventId).Should().Equal("consumed-2");
    }

    // ---- Outbox ----

    [Fact]
    public async Task ReadPendingOutboxAsync_AfterWrites_ListsEveryEventOnceInWriteOrder()
    {
        await Memory.WriteAsync("wf-a", Create(ValidRecord("wf-a"), Events("wf-a", "a-1", "a-2")));
        await Memory.WriteAsync("wf-b", Create(ValidRecord("wf-b"), Events("wf-b", "b-1")));
        var a = (await Memory.ReadAsync("wf-a"))!;
        await Memory.WriteAsync("wf-a", Replace(a, ValidRecord("wf-a", count: 1), Events("wf-a", "a-3")));

        var pending = await Memory.ReadPendingOutboxAsync(100);

        pending.Select(e => (e.WorkflowId, e.Event.Id)).Should().Equal(("wf-a", "a-1"), ("wf-a", "a-2"), ("wf-b", "b-1"), ("wf-a", "a-3"));
        pending.Select(e => e.Sequence).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        pending[0].Event.Should().Be(Events("wf-a", "a-1")[0]);
    }

    [Fact]
    public async Task ReadPendingOutboxAsync_MaxCount_ReturnsTheOldest()
    {
        await Memory.WriteAsync("test", Create(ValidRecord(), Events("test", "e-1", "e-2", "e-3")));

        (await Memory.ReadPendingOutboxAsync(2)).Select(e => e.Event.Id).Should().Equal("e-1", "e-2");
    }

    [Fact]
    public async Task ReadPendingOutboxAsync_NonPositiveMaxCount_Throws()
    {
        var act = async () => await Memory.ReadPendingOutboxAsync(0);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task MarkPublishedAsync_PendingEvents_LeaveThePendingList()
    {
        await Memory.WriteAsync("test", Create(ValidRecord(), Events("test", "e-1", "e-2", "e-3")));

        (await Memory.MarkPublishedAsync("test", ["e-1", "e-3"])).Should().Be(2);

        (await Memory.ReadPendingOutboxAsync(10)).Select(e => e.Event.Id).Should().Equal("e-2");
    }

    [Fact]
    public async Task MarkPublishedAsync_Twice_IsIdempotent()
    {
        await Memory.WriteAsync("test", Create(ValidRecord(), Events("test", "e-1")));
        await Memory.MarkPublishedAsync("test", ["e-1"]);

        (await Memory.MarkPublishedAsync("test", ["e-1"])).Should().Be(0);
        (await Memory.MarkPublishedAsync("test", ["unknown"])).Should().Be(0);
        (await Memory.MarkPublishedAsync("other-workflow", ["e-1"])).Should().Be(0);
        (await Memory.ReadPendingOutboxAsync(10)).Should().BeEmpty();
    }

    [Fact]
    public async Task MarkPublishedAsync_OtherWorkflowsEvents_AreNotTouched()
    {
        await Memory.WriteAsync("wf-a", Create(ValidRecord("wf-a"), Events("wf-a", "same-id")));
        await Memory.WriteAsync("wf-b", Create(ValidRecord("wf-b"), Events("wf-b", "same-id")));

        (await Memory.MarkPublishedAsync("wf-a", ["same-id"])).Should().Be(1);

        (await Memory.ReadPendingOutboxAsync(10)).Select(e => e.WorkflowId).Should().Equal("wf-b");
    }

    [Fact]
    public async Task OutboxRelay_PendingEvents_ArePublishedInOrderAndMarked()
    {
        await Memory.WriteAsync("wf-a", Create(ValidRecord("wf-a"), Events("wf-a", "a-1", "a-2")));
        await Memory.WriteAsync("wf-b", Create(ValidRecord("wf-b"), Events("wf-b", "b-1")));
        var published = new List<string>();
        var relay = new ArvoOutboxRelay(Memory, (evt, _) =>
        {
            published.Add(evt.Id);
            return ValueTask.CompletedTask;
        }, batchSize: 2);

        (await relay.RelayPendingAsync()).Should().Be(3);

        published.Should().Equal("a-1", "a-2", "b-1");
        (await Memory.ReadPendingOutboxAsync(10)).Should().BeEmpty();
        (await relay.RelayPendingAsync()).Should().Be(0);
    }

    [Fact]
    public async Task OutboxRelay_PublishFails_LeavesTheFailedAndLaterEventsPending()
    {
        await Memory.WriteAsync("test", Create(ValidRecord(), Events("test", "e-1", "e-2", "e-3")));
        var relay = new ArvoOutboxRelay(Memory, (evt, _) =>
            evt.Id == "e-2" ? throw new IOException("broker down") : ValueTask.CompletedTask);

        var act = async () => await relay.RelayPendingAsync();

        await act.Should().ThrowAsync<IOException>().WithMessage("broker down");
        (await Memory.ReadPendingOutboxAsync(10)).Select(e => e.Event.Id).Should().Equal("e-2", "e-3");
    }

    // ---- Byte-for-byte round trips and corrupted data ----

    [Fact]
    public async Task ReadAsync_Record_RoundTripsByteForByte()
    {
        var record = ValidRecord(value: "caf\u00e9 \u2603 \"q\" \\ </script>", count: 12345) with
        {
            ParentSubject = "parent",
            Events = new MachineMemoryEvents { Consumed = Events("test", "consumed")[0], Produced = Events("test", "p-1", "p-2") },
        };
        var inbox = MachineMemoryInbox.Empty.Append("consumed", Events("test", "p-1", "p-2"));

        await Memory.WriteAsync("test", new MachineMemoryWrite<MachineMemoryRecord> { Record = record, Inbox = inbox });

        var read = (await Memory.ReadAsync("test"))!;
        Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(read.Record)).Should().Be(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes<MachineMemoryRecord>(record)));
        Encoding.UTF8.GetString(read.Inbox.ToUtf8Json()).Should().Be(Encoding.UTF8.GetString(inbox.ToUtf8Json()));
    }

    [Fact]
    public async Task ReadAsync_CorruptedRecord_ThrowsTypedErrorNamingTheWorkflowAndLeavesTheRow()
    {
        await Memory.WriteAsync("corrupted", Create(ValidRecord("corrupted")));
        if (!await CorruptStoredRecordAsync(Memory, "corrupted"))
        {
            return; // The store keeps no serialized form (see CorruptStoredRecordAsync).
        }

        var act = async () => await Memory.ReadAsync("corrupted");

        var error = (await act.Should().ThrowAsync<MachineMemoryCorruptedException>()).Which;
        error.Id.Should().Be("corrupted");
        error.Message.Should().Contain("'corrupted'");
        (await act.Should().ThrowAsync<MachineMemoryCorruptedException>()).Which.Id.Should().Be("corrupted", "the row is left as it was");
        (await Memory.ReadAsync("test")).Should().BeNull();
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

        await AdvanceTimeAsync(LockTimeToLive - ExpiryMargin);

        (await Memory.LockAsync("test", OwnerB)).Should().BeFalse();
    }

    [Fact]
    public async Task LockAsync_HeldLockAfterTimeToLive_IsAcquiredByAnotherOwner()
    {
        await Memory.LockAsync("test", OwnerA);

        await AdvanceTimeAsync(LockTimeToLive + ExpiryMargin);

        (await Memory.LockAsync("test", OwnerB)).Should().BeTrue();
    }

    [Fact]
    public async Task UnlockAsync_OldOwnerAfterExpiryAndReacquire_DoesNotReleaseNewOwnersLock()
    {
        await Memory.LockAsync("test", OwnerA);
        await AdvanceTimeAsync(LockTimeToLive + ExpiryMargin);
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
        await AdvanceTimeAsync(LockTimeToLive + ExpiryMargin);
        await Memory.LockAsync("test", OwnerB);

        await AdvanceTimeAsync(LockTimeToLive - ExpiryMargin);

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
        await Memory.WriteAsync("test", Create(ValidRecord(count: 0)));
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
                await Memory.WriteAsync("test", Replace(read!, ValidRecord(count: CountOf(read) + 1)));
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
        await Memory.WriteAsync("test1", Create(ValidRecord("test1"), Events("test1", "e-1")));
        await Memory.WriteAsync("test2", Create(ValidRecord("test2")));
        await Memory.LockAsync("test3", OwnerA);

        await ClearAsync(Memory);

        (await Memory.ReadAsync("test1")).Should().BeNull();
        (await Memory.ReadAsync("test2")).Should().BeNull();
        (await Memory.LockAsync("test3", OwnerB)).Should().BeTrue();
        (await Memory.ReadPendingOutboxAsync(10)).Should().BeEmpty();
    }

    // ---- M-5 integrated cycle ----

    [Fact]
    public async Task FullCycle_WriteReadLockUnlock_BehavesAsReference()
    {
        var record = ValidRecord();

        await Memory.WriteAsync("test", Create(record));
        (await Memory.ReadAsync("test"))!.Record.Should().Be(record);
        (await Memory.LockAsync("test", OwnerA)).Should().BeTrue();
        (await Memory.LockAsync("test", OwnerB)).Should().BeFalse();
        (await Memory.UnlockAsync("test", OwnerA)).Should().BeTrue();
        (await Memory.LockAsync("test", OwnerB)).Should().BeTrue();
    }

    // ---- Reference records ----

    /// <summary>The records of the reference's <c>memory-records.json</c>, by name.</summary>
    public static TheoryData<string> ReferenceRecords => ReferenceMemoryRecords.Names;

    [Theory]
    [MemberData(nameof(ReferenceRecords))]
    public async Task ReadAsync_ReferenceRecord_RoundTripsThroughStore(string name)
    {
        var record = ReferenceMemoryRecords.Parse(name);

        await Memory.WriteAsync(record.Subject, Create(record));

        var read = (await Memory.ReadAsync(record.Subject))!.Record;
        read.Should().Be(record);
        JsonElement.DeepEquals(JsonSerializer.SerializeToElement(read), ReferenceMemoryRecords.Json(name)).Should().BeTrue();
    }
}
