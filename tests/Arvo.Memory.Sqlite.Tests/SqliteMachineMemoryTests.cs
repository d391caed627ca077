using Microsoft.Extensions.Time.Testing;

namespace Arvo.Memory.Sqlite.Tests;

/// <summary>What the SQLite store adds to the conformance suite: durability across instances, its schema, its pragmas and its options.</summary>
public sealed class SqliteMachineMemoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly MachineMemoryLockToken OwnerA = new("owner-a");
    private static readonly MachineMemoryLockToken OwnerB = new("owner-b");

    private readonly TemporaryDatabase _database = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<SqliteMachineMemory<MachineMemoryRecord>> _stores = [];

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _database.Delete();
    }

    // ---- Durability ----

    [Fact]
    public async Task ReadAsync_AfterReopeningTheFile_ReturnsRecordVersionInboxAndPendingOutbox()
    {
        var record = Record("wf", count: 2);
        var inbox = MachineMemoryInbox.Empty.Append("consumed-1", Events("wf", "out-1"));
        var first = Open();
        var created = await first.WriteAsync("wf", new() { Record = Record("wf", count: 1), Outbox = Events("wf", "out-0") });
        var version = await first.WriteAsync("wf", new() { Record = record, ExpectedVersion = created, Inbox = inbox, Outbox = Events("wf", "out-1") });
        await first.MarkPublishedAsync("wf", ["out-0"]);
        await first.DisposeAsync();

        var reopened = Open();

        var read = (await reopened.ReadAsync("wf"))!;
        read.Record.Should().Be(record);
        read.Version.Should().Be(2);
        version.Should().Be(2);
        read.Inbox.Should().Be(inbox);
        var pending = await reopened.ReadPendingOutboxAsync(10);
        pending.Should().ContainSingle();
        pending[0].Should().Be(new MachineMemoryOutboxEntry(2, "wf", Events("wf", "out-1")[0]));
    }

    [Fact]
    public async Task ListIdsAsync_ListsWorkflowsInWriteOrderUpToMaxCount()
    {
        var store = Open();
        await store.WriteAsync("wf-b", new() { Record = Record("wf-b", count: 1) });
        _time.Advance(TimeSpan.FromSeconds(1));
        await store.WriteAsync("wf-a", new() { Record = Record("wf-a", count: 1) });
        _time.Advance(TimeSpan.FromSeconds(1));
        await store.WriteAsync("wf-c", new() { Record = Record("wf-c", count: 1) });

        (await store.ListIdsAsync(10)).Should().Equal("wf-b", "wf-a", "wf-c");
        (await store.ListIdsAsync(2)).Should().Equal("wf-b", "wf-a");
        var act = async () => await store.ListIdsAsync(0);
        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task LockAsync_LeaseTakenBeforeReopening_IsStillHeld()
    {
        var first = Open();
        (await first.LockAsync("wf", OwnerA)).Should().BeTrue();
        await first.DisposeAsync();

        var reopened = Open();

        (await reopened.LockAsync("wf", OwnerB)).Should().BeFalse();
        (await reopened.UnlockAsync("wf", OwnerA)).Should().BeTrue();
        (await reopened.LockAsync("wf", OwnerB)).Should().BeTrue();
    }

    [Fact]
    public async Task WriteAsync_StoresReadableJsonText()
    {
        await Open().WriteAsync("wf", new() { Record = Record("wf"), Outbox = Events("wf", "out-1") });

        _database.Scalar("SELECT typeof(record) || ',' || typeof(inbox) FROM arvo_records").Should().Be("text,text");
        _database.Scalar("SELECT inbox FROM arvo_records").Should().Be("[]");
        _database.Scalar("SELECT json_extract(record, '$.subject') FROM arvo_records").Should().Be("wf");
        _database.Scalar("SELECT json_extract(event, '$.id') || ',' || event_id || ',' || status || ',' || created_at FROM arvo_outbox")
            .Should().Be($"out-1,out-1,pending,{Start.ToUnixTimeMilliseconds()}");
    }

    // ---- Schema ----

    [Fact]
    public async Task EnsureCreatedAsync_Twice_KeepsOneSchemaRowOfVersion1()
    {
        var store = Open();

        await store.EnsureCreatedAsync();
        await store.EnsureCreatedAsync();
        await Open().EnsureCreatedAsync();

        _database.Scalar("SELECT COUNT(*) FROM arvo_schema").Should().Be(1L);
        _database.Scalar("SELECT version FROM arvo_schema").Should().Be(1L);
    }

    [Fact]
    public async Task EnsureCreatedAsync_TwoInstancesAtOnce_BothSucceedWithOneSchemaRow()
    {
        var first = Open();
        var second = Open();

        await Task.WhenAll(
            Task.Run(async () => await first.EnsureCreatedAsync()),
            Task.Run(async () => await second.EnsureCreatedAsync()));

        _database.Scalar("SELECT COUNT(*) || ':' || MAX(version) FROM arvo_schema").Should().Be("1:1");
        (await second.WriteAsync("wf", new() { Record = Record("wf") })).Should().Be(1);
        (await first.ReadAsync("wf"))!.Version.Should().Be(1);
    }

    [Fact]
    public async Task EnsureCreatedAsync_DefaultPrefix_CreatesTheFourTablesAndTheOutboxIndexes()
    {
        await Open().EnsureCreatedAsync();

        ObjectNames().Should().Equal(
            "index:arvo_outbox_status_seq",
            "index:arvo_outbox_workflow_event",
            "table:arvo_leases",
            "table:arvo_outbox",
            "table:arvo_records",
            "table:arvo_schema");
    }

    [Fact]
    public async Task EnsureCreatedAsync_SchemaVersionNewerThanSupported_ThrowsTypedErrorAndChangesNothing()
    {
        _database.Execute("CREATE TABLE arvo_schema (id INTEGER PRIMARY KEY, version INTEGER NOT NULL); INSERT INTO arvo_schema VALUES (1, 99);");
        var store = Open();

        var act = async () => await store.EnsureCreatedAsync();

        var error = (await act.Should().ThrowAsync<MachineMemorySchemaException>()).Which;
        error.FoundVersion.Should().Be(99);
        error.SupportedVersion.Should().Be(1);
        error.SchemaTable.Should().Be("arvo_schema");
        error.Message.Should().Contain("version 99").And.Contain("newer");
        ObjectNames().Should().Equal("table:arvo_schema");
    }

    [Fact]
    public async Task ReadAsync_SchemaVersionNewerThanSupported_ThrowsTypedError()
    {
        await Open().EnsureCreatedAsync();
        _database.Execute("UPDATE arvo_schema SET version = 99;");
        var store = Open();

        var read = async () => await store.ReadAsync("wf");
        var write = async () => await store.WriteAsync("wf", new() { Record = Record("wf") });

        (await read.Should().ThrowAsync<MachineMemorySchemaException>()).Which.FoundVersion.Should().Be(99);
        await write.Should().ThrowAsync<MachineMemorySchemaException>();
        _database.Scalar("SELECT COUNT(*) FROM arvo_records").Should().Be(0L);
    }

    // ---- Pragmas ----

    [Fact]
    public async Task EnsureCreatedAsync_SetsTheJournalModeToWal()
    {
        await Open().EnsureCreatedAsync();

        _database.Scalar("PRAGMA journal_mode").Should().Be("wal");
    }

    // ---- Table prefix ----

    [Fact]
    public async Task EnsureCreatedAsync_CustomTablePrefix_CreatesTablesWithThatPrefixOnly()
    {
        await Open(prefix: "orders_").EnsureCreatedAsync();

        ObjectNames().Should().Equal(
            "index:orders_outbox_status_seq",
            "index:orders_outbox_workflow_event",
            "table:orders_leases",
            "table:orders_outbox",
            "table:orders_records",
            "table:orders_schema");
    }

    [Fact]
    public async Task TwoPrefixesInOneFile_AreIndependentStores()
    {
        var orders = Open(prefix: "orders_");
        var billing = Open(prefix: "billing_");
        await orders.WriteAsync("wf", new() { Record = Record("wf", count: 1), Outbox = Events("wf", "out-1") });
        await orders.LockAsync("wf", OwnerA);

        (await billing.ReadAsync("wf")).Should().BeNull();
        (await billing.ReadPendingOutboxAsync(10)).Should().BeEmpty();
        (await billing.LockAsync("wf", OwnerB)).Should().BeTrue();
        (await billing.WriteAsync("wf", new() { Record = Record("wf", count: 7) })).Should().Be(1);
        await billing.ClearAsync();

        CountOf((await orders.ReadAsync("wf"))!.Record).Should().Be(1);
        (await orders.ReadPendingOutboxAsync(10)).Select(e => e.Event.Id).Should().Equal("out-1");
        (await orders.LockAsync("wf", OwnerB)).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc_")]
    [InlineData("arvo-")]
    [InlineData("arvo ")]
    [InlineData("x; DROP TABLE y; --")]
    [InlineData("caf\u00e9_")]
    public void TablePrefix_NotAnIdentifier_ThrowsArgumentExceptionNamingTablePrefix(string prefix)
    {
        var act = () => _database.Options with { TablePrefix = prefix };

        var error = act.Should().Throw<ArgumentException>().Which;
        error.ParamName.Should().Be("TablePrefix");
        error.Message.Should().StartWith("TablePrefix must match [A-Za-z_][A-Za-z0-9_]*");
    }

    [Theory]
    [InlineData("_")]
    [InlineData("Arvo2_")]
    [InlineData("a")]
    public void TablePrefix_Identifier_IsAccepted(string prefix)
    {
        (_database.Options with { TablePrefix = prefix }).TablePrefix.Should().Be(prefix);
    }

    // ---- Options ----

    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var options = SqliteMachineMemoryOptions.ForFile(_database.Path);

        options.TablePrefix.Should().Be("arvo_");
        options.LockTimeToLive.Should().Be(TimeSpan.FromSeconds(5));
        options.BusyTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.Synchronous.Should().Be(SqliteSynchronousMode.Full);
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
        options.SerializerOptions.Should().BeNull();
        options.ConnectionString.Should().Contain(_database.Path);
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=file.db;Mode=Memory")]
    [InlineData("Data Source=")]
    [InlineData("Not A Keyword=1")]
    public void ConnectionString_NotADatabaseFile_ThrowsArgumentExceptionNamingConnectionString(string connectionString)
    {
        var act = () => new SqliteMachineMemoryOptions { ConnectionString = connectionString };

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("ConnectionString");
    }

    [Fact]
    public void LockTimeToLive_NotPositive_ThrowsArgumentOutOfRange()
    {
        var act = () => _database.Options with { LockTimeToLive = TimeSpan.Zero };

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("LockTimeToLive");
    }

    [Fact]
    public void BusyTimeout_NotPositive_ThrowsArgumentOutOfRange()
    {
        var act = () => _database.Options with { BusyTimeout = TimeSpan.Zero };

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("BusyTimeout");
    }

    [Fact]
    public async Task Synchronous_Normal_StoresAndReadsBack()
    {
        var store = Open(options => options with { Synchronous = SqliteSynchronousMode.Normal });

        await store.WriteAsync("wf", new() { Record = Record("wf", count: 3) });

        CountOf((await store.ReadAsync("wf"))!.Record).Should().Be(3);
    }

    // ---- Outbox history ----

    [Fact]
    public async Task MarkPublishedAsync_KeepsTheRowAsPublishedWithTheStoreTime()
    {
        var store = Open();
        await store.WriteAsync("wf", new() { Record = Record("wf"), Outbox = Events("wf", "out-1") });
        _time.Advance(TimeSpan.FromMinutes(5));

        (await store.MarkPublishedAsync("wf", ["out-1"])).Should().Be(1);

        _database.Scalar("SELECT status || ',' || published_at FROM arvo_outbox WHERE event_id = 'out-1'")
            .Should().Be($"published,{(Start + TimeSpan.FromMinutes(5)).ToUnixTimeMilliseconds()}");
    }

    [Fact]
    public async Task PurgePublishedOutboxAsync_DeletesOnlyPublishedRowsOlderThanTheCutoff()
    {
        var store = Open();
        await store.WriteAsync("wf", new() { Record = Record("wf"), Outbox = Events("wf", "old", "recent", "pending") });
        await store.MarkPublishedAsync("wf", ["old"]);
        _time.Advance(TimeSpan.FromHours(1));
        await store.MarkPublishedAsync("wf", ["recent"]);

        (await store.PurgePublishedOutboxAsync(Start + TimeSpan.FromMinutes(30))).Should().Be(1);

        OutboxRows().Should().Equal("recent:published", "pending:pending");
        (await store.PurgePublishedOutboxAsync(Start + TimeSpan.FromDays(365))).Should().Be(1);
        OutboxRows().Should().Equal("pending:pending");
        (await store.ReadPendingOutboxAsync(10)).Select(e => e.Event.Id).Should().Equal("pending");
    }

    [Fact]
    public async Task PurgePublishedOutboxAsync_CutoffEqualToPublishTime_KeepsTheRow()
    {
        var store = Open();
        await store.WriteAsync("wf", new() { Record = Record("wf"), Outbox = Events("wf", "out-1") });
        await store.MarkPublishedAsync("wf", ["out-1"]);

        (await store.PurgePublishedOutboxAsync(Start)).Should().Be(0);

        OutboxRows().Should().Equal("out-1:published");
    }

    [Fact]
    public async Task ClearAsync_EmptiesAllThreeTablesIncludingPublishedRows()
    {
        var store = Open();
        await store.WriteAsync("wf", new() { Record = Record("wf"), Outbox = Events("wf", "out-1", "out-2") });
        await store.MarkPublishedAsync("wf", ["out-1"]);
        await store.LockAsync("wf", OwnerA);

        await store.ClearAsync();

        _database.Scalar("SELECT (SELECT COUNT(*) FROM arvo_records) + (SELECT COUNT(*) FROM arvo_leases) + (SELECT COUNT(*) FROM arvo_outbox)").Should().Be(0L);
        _database.Scalar("SELECT version FROM arvo_schema").Should().Be(1L);
    }

    [Fact]
    public async Task ReadPendingOutboxAsync_AfterClear_KeepsSequencesIncreasing()
    {
        var store = Open();
        await store.WriteAsync("wf", new() { Record = Record("wf"), Outbox = Events("wf", "out-1", "out-2") });
        await store.ClearAsync();

        await store.WriteAsync("wf", new() { Record = Record("wf"), Outbox = Events("wf", "out-3") });

        (await store.ReadPendingOutboxAsync(10)).Select(e => e.Sequence).Should().Equal(3L);
    }

    // ---- Corrupted data ----

    [Fact]
    public async Task ReadAsync_CorruptedInbox_ThrowsTypedErrorNamingTheInbox()
    {
        var store = Open();
        await store.WriteAsync("wf", new() { Record = Record("wf") });
        _database.Execute("UPDATE arvo_records SET inbox = '[{\"eventId\": 1}]'");

        var act = async () => await store.ReadAsync("wf");

        var error = (await act.Should().ThrowAsync<MachineMemoryCorruptedException>()).Which;
        error.Id.Should().Be("wf");
        error.Part.Should().Be("inbox");
        _database.Scalar("SELECT inbox FROM arvo_records").Should().Be("[{\"eventId\": 1}]");
    }

    [Fact]
    public async Task ReadPendingOutboxAsync_CorruptedEvent_ThrowsTypedErrorNamingTheSequence()
    {
        var store = Open();
        await store.WriteAsync("wf", new() { Record = Record("wf"), Outbox = Events("wf", "out-1") });
        _database.Execute("UPDATE arvo_outbox SET event = '{\"id\": ' WHERE seq = 1");

        var act = async () => await store.ReadPendingOutboxAsync(10);

        var error = (await act.Should().ThrowAsync<MachineMemoryCorruptedException>()).Which;
        error.Id.Should().Be("wf");
        error.Part.Should().Be("outbox event 1");
    }

    // ---- Two instances on one file (two processes) ----

    [Fact]
    public async Task LockAsync_TwoInstancesOnOneFile_SeeEachOthersLeases()
    {
        var processA = Open();
        var processB = OpenAsAnotherProcess();

        (await processA.LockAsync("wf", OwnerA)).Should().BeTrue();

        (await processB.LockAsync("wf", OwnerB)).Should().BeFalse();
        (await processB.UnlockAsync("wf", OwnerB)).Should().BeFalse();
        (await processA.UnlockAsync("wf", OwnerA)).Should().BeTrue();
        (await processB.LockAsync("wf", OwnerB)).Should().BeTrue();
        (await processA.LockAsync("wf", OwnerA)).Should().BeFalse();
    }

    [Fact]
    public async Task WriteAsync_TwoInstancesOnOneFile_SeeEachOthersVersions()
    {
        var processA = Open();
        var processB = OpenAsAnotherProcess();
        await processA.WriteAsync("wf", new() { Record = Record("wf", count: 1) });
        var readByB = (await processB.ReadAsync("wf"))!;
        var readByA = (await processA.ReadAsync("wf"))!;
        (await processA.WriteAsync("wf", new() { Record = Record("wf", count: 2), ExpectedVersion = readByA.Version })).Should().Be(2);

        var stale = async () => await processB.WriteAsync("wf", new() { Record = Record("wf", count: 3), ExpectedVersion = readByB.Version, Outbox = Events("wf", "lost") });
        var create = async () => await processB.WriteAsync("wf", new() { Record = Record("wf", count: 4) });

        (await stale.Should().ThrowAsync<MachineMemoryConflictException>()).Which.Message
            .Should().Be(MachineMemoryConflictException.StaleVersion("wf", 1, 2).Message);
        (await create.Should().ThrowAsync<MachineMemoryConflictException>()).Which.Message
            .Should().Be(MachineMemoryConflictException.RecordExists("wf").Message);
        CountOf((await processB.ReadAsync("wf"))!.Record).Should().Be(2);
        (await processA.ReadPendingOutboxAsync(10)).Should().BeEmpty();
    }

    [Fact]
    public async Task WriteAsync_ConcurrentCreatesFromTwoInstances_ExactlyOneSucceeds()
    {
        var stores = new[] { Open(), OpenAsAnotherProcess() };
        await Task.WhenAll(stores.Select(store => store.EnsureCreatedAsync().AsTask()));
        using var gate = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            gate.Wait();
            try
            {
                await stores[i % 2].WriteAsync("wf", new() { Record = Record("wf", count: i), Outbox = Events("wf", $"e-{i}") });
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
        CountOf((await stores[1 - (winner % 2)].ReadAsync("wf"))!.Record).Should().Be(winner);
        (await stores[0].ReadPendingOutboxAsync(100)).Select(e => e.Event.Id).Should().Equal($"e-{winner}");
    }

    [Fact]
    public async Task WriteAsync_UpdateOfAMissingRecord_ThrowsNoRecordConflict()
    {
        var act = async () => await Open().WriteAsync("wf", new() { Record = Record("wf"), ExpectedVersion = 3 });

        (await act.Should().ThrowAsync<MachineMemoryConflictException>()).Which.Message
            .Should().Be(MachineMemoryConflictException.NoRecord("wf", 3).Message);
    }

    [Fact]
    public async Task LockAsync_ExpiredLeaseOfAnotherInstance_IsTakenOverOnTheSharedClock()
    {
        var processA = Open();
        var processB = OpenAsAnotherProcess();
        await processA.LockAsync("wf", OwnerA);

        _time.Advance(TimeSpan.FromSeconds(30));

        (await processA.UnlockAsync("wf", OwnerB)).Should().BeTrue("an expired lease of another owner blocks nobody");
        (await processB.LockAsync("wf", OwnerB)).Should().BeTrue();
        (await processA.UnlockAsync("wf", OwnerA)).Should().BeFalse();
    }

    // ---- Lifetime ----

    [Fact]
    public async Task ReadAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var store = Open();
        await store.DisposeAsync();

        var act = async () => await store.ReadAsync("wf");

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task ReadmeSnippet_CreatesAWorkingStore()
    {
        // The snippet of src/Arvo.Memory.Sqlite/README.md, on this test's file.
        await using var memory = new SqliteMachineMemory<MachineMemoryRecord>(
            SqliteMachineMemoryOptions.ForFile(_database.Path) with { LockTimeToLive = TimeSpan.FromSeconds(30) });
        await memory.EnsureCreatedAsync();

        (await memory.WriteAsync("wf", new() { Record = Record("wf") })).Should().Be(1);
    }

    private SqliteMachineMemory<MachineMemoryRecord> Open(Func<SqliteMachineMemoryOptions, SqliteMachineMemoryOptions>? configure = null, string prefix = SqliteMachineMemoryOptions.DefaultTablePrefix)
    {
        var options = _database.Options with { TimeProvider = _time, TablePrefix = prefix };
        var store = new SqliteMachineMemory<MachineMemoryRecord>(configure is null ? options : configure(options));
        _stores.Add(store);
        return store;
    }

    /// <summary>A second instance on the same file that shares no pooled SQLite handle with the first, like another process.</summary>
    private SqliteMachineMemory<MachineMemoryRecord> OpenAsAnotherProcess() =>
        Open(options => options with { ConnectionString = options.ConnectionString + ";Pooling=False" });

    private List<string> ObjectNames()
    {
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type || ':' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private List<string> OutboxRows()
    {
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id || ':' || status FROM arvo_outbox ORDER BY seq";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static MachineMemoryStateRecord Record(string subject, int count = 0) => MachineMemoryTestData.StateRecord(subject, count: count);

    private static int CountOf(MachineMemoryRecord record) => MachineMemoryTestData.CountOf(record);

    private static ArvoEvent[] Events(string subject, params string[] ids) => MachineMemoryTestData.Events(subject, ids);
}
