using System.Text;
using System.Text.Json;
using Arvo.Events;
using Npgsql;

namespace Arvo.Memory.PostgreSql.Tests;

/// <summary>What the specification cannot see: tables and names, DDL, several hosts, the database clock, PostgreSQL's limits, purging.</summary>
public sealed class PostgreSqlMachineMemoryTests : IAsyncLifetime
{
    private static readonly MachineMemoryLockToken OwnerA = new("owner-a");
    private static readonly MachineMemoryLockToken OwnerB = new("owner-b");

    private readonly string _schema = PostgreSqlTestDatabase.NewSchemaName();
    private readonly List<NpgsqlDataSource> _dataSources = [];
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync() => _db = await NewHostAsync();

    public async Task DisposeAsync()
    {
        await PostgreSqlTestDatabase.DropSchemaAsync(_db, _schema);
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    // ---- Construction ----

    [Theory]
    [InlineData("")]
    [InlineData("1schema")]
    [InlineData("my-schema")]
    [InlineData("my\"schema")]
    [InlineData("schema\n")]
    [InlineData("sch ema")]
    public void New_SchemaNotAnIdentifier_ThrowsArgumentExceptionNamingTheField(string schema)
    {
        var act = () => new PostgreSqlMachineMemory<MachineMemoryRecord>(_db, new PostgreSqlMachineMemoryOptions { Schema = schema });

        act.Should().Throw<ArgumentException>()
            .WithMessage("PostgreSqlMachineMemoryOptions.Schema must be a SQL identifier ([A-Za-z_][A-Za-z0-9_]*)*")
            .Which.ParamName.Should().Be("options");
    }

    [Theory]
    [InlineData("")]
    [InlineData("arvo-")]
    [InlineData("9_")]
    public void New_TablePrefixNotAnIdentifier_ThrowsArgumentExceptionNamingTheField(string prefix)
    {
        var act = () => new PostgreSqlMachineMemory<MachineMemoryRecord>(_db, new PostgreSqlMachineMemoryOptions { TablePrefix = prefix });

        act.Should().Throw<ArgumentException>().WithMessage("PostgreSqlMachineMemoryOptions.TablePrefix must be a SQL identifier*");
    }

    [Fact]
    public void New_TablePrefixTooLongForPostgreSqlNames_ThrowsArgumentException()
    {
        var act = () => new PostgreSqlMachineMemory<MachineMemoryRecord>(_db, new PostgreSqlMachineMemoryOptions { TablePrefix = new string('p', 43) });

        act.Should().Throw<ArgumentException>().WithMessage("PostgreSqlMachineMemoryOptions.TablePrefix must be at most 42 characters*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void New_NonPositiveLockTimeToLive_ThrowsArgumentOutOfRange(int seconds)
    {
        var act = () => new PostgreSqlMachineMemory<MachineMemoryRecord>(_db, new PostgreSqlMachineMemoryOptions { LockTimeToLive = TimeSpan.FromSeconds(seconds) });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("PostgreSqlMachineMemoryOptions.LockTimeToLive must be positive*");
    }

    [Fact]
    public async Task New_UnreachableServer_DoesNotConnectUntilFirstUse()
    {
        await using var nowhere = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2");

        var memory = new PostgreSqlMachineMemory<MachineMemoryRecord>(nowhere);
        var act = async () => await memory.ReadAsync("test");

        await act.Should().ThrowAsync<NpgsqlException>();
    }

    // ---- Tables and DDL ----

    [Fact]
    public async Task EnsureCreatedAsync_ConfiguredSchemaAndPrefix_CreatesExactlyThoseTablesAndIndexes()
    {
        await Store(prefix: "wf_").EnsureCreatedAsync();

        (await ColumnAsync<string>("SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", _schema))
            .Should().Equal("wf_leases", "wf_outbox", "wf_records", "wf_schema");
        (await ColumnAsync<string>("SELECT indexname::text FROM pg_indexes WHERE schemaname = $1 AND tablename = 'wf_outbox' ORDER BY 1", _schema))
            .Should().Equal("wf_outbox_pending_seq", "wf_outbox_pkey", "wf_outbox_workflow_event");
        (await ColumnAsync<string>("SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'wf_outbox_pending_seq'", _schema))
            .Should().ContainSingle().Which.Should().EndWith("(seq) WHERE (status = 'pending'::text)");
    }

    [Fact]
    public async Task EnsureCreatedAsync_RecordsLeasesAndOutbox_HaveTheDocumentedColumns()
    {
        await Store().EnsureCreatedAsync();

        (await ColumnAsync<string>(
            "SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position", _schema))
            .Should().Equal(
                "arvo_leases.id:text", "arvo_leases.owner:text", "arvo_leases.expires_at:timestamp with time zone",
                "arvo_outbox.seq:bigint", "arvo_outbox.workflow_id:text", "arvo_outbox.event_id:text", "arvo_outbox.event:json",
                "arvo_outbox.status:text", "arvo_outbox.created_at:timestamp with time zone", "arvo_outbox.published_at:timestamp with time zone",
                "arvo_records.id:text", "arvo_records.version:bigint", "arvo_records.record:json", "arvo_records.inbox:json",
                "arvo_records.updated_at:timestamp with time zone",
                "arvo_schema.id:smallint", "arvo_schema.version:integer", "arvo_schema.updated_at:timestamp with time zone");
    }

    [Fact]
    public async Task EnsureCreatedAsync_MixedCaseSchema_IsQuotedAndKeepsItsCase()
    {
        var mixed = "Arvo_Mixed_" + Guid.NewGuid().ToString("N");
        try
        {
            var memory = Store(schema: mixed);
            await memory.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord()));

            (await ColumnAsync<string>("SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'arvo_records'", mixed))
                .Should().Equal("arvo_records");
            (await memory.ReadAsync("test")).Should().NotBeNull();
        }
        finally
        {
            await PostgreSqlTestDatabase.DropSchemaAsync(_db, mixed);
        }
    }

    [Fact]
    public async Task EnsureCreatedAsync_FourHostsAtOnce_CreatesTheTablesOnceWithSchemaVersion1()
    {
        var hosts = new List<PostgreSqlMachineMemory<MachineMemoryRecord>>();
        for (var i = 0; i < 4; i++)
        {
            hosts.Add(Store(dataSource: await NewHostAsync()));
        }

        await Task.WhenAll(hosts.Select(host => host.EnsureCreatedAsync().AsTask()));

        (await ColumnAsync<string>($"SELECT id || ':' || version FROM \"{_schema}\".arvo_schema")).Should().Equal("1:1");
        (await ColumnAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1", _schema)).Should().Equal(4L);
    }

    [Fact]
    public async Task EnsureCreatedAsync_CalledTwice_KeepsTheData()
    {
        var memory = Store();
        await memory.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord(count: 7)));

        await memory.EnsureCreatedAsync();
        await Store().EnsureCreatedAsync();

        (await memory.ReadAsync("test"))!.Version.Should().Be(1);
    }

    [Fact]
    public async Task EnsureCreatedAsync_NewerStoredSchemaVersion_ThrowsTypedErrorAndChangesNothing()
    {
        await Store().EnsureCreatedAsync();
        await ExecuteAsync($"UPDATE \"{_schema}\".arvo_schema SET version = 99");

        var act = async () => await Store().EnsureCreatedAsync();

        var error = (await act.Should().ThrowAsync<MachineMemorySchemaException>()).Which;
        error.FoundVersion.Should().Be(99);
        error.SupportedVersion.Should().Be(1);
        error.SchemaTable.Should().Be($"\"{_schema}\".\"arvo_schema\"");
        error.Message.Should().StartWith($"The machine memory tables are at schema version 99 (in \"{_schema}\".\"arvo_schema\"), but this version of Arvo.Memory.PostgreSql supports version 1 at most.");
        (await ColumnAsync<int>($"SELECT version FROM \"{_schema}\".arvo_schema")).Should().Equal(99);
    }

    [Fact]
    public async Task ReadAsync_NewerStoredSchemaVersion_ThrowsTheSchemaErrorOnFirstUse()
    {
        await Store().EnsureCreatedAsync();
        await ExecuteAsync($"UPDATE \"{_schema}\".arvo_schema SET version = 99");

        var act = async () => await Store().ReadAsync("test");

        (await act.Should().ThrowAsync<MachineMemorySchemaException>()).Which.FoundVersion.Should().Be(99);
    }

    [Fact]
    public async Task EnsureCreatedAsync_AfterAFailedAttempt_TriesAgain()
    {
        await Store().EnsureCreatedAsync();
        await ExecuteAsync($"UPDATE \"{_schema}\".arvo_schema SET version = 99");
        var memory = Store();
        var act = async () => await memory.EnsureCreatedAsync();
        await act.Should().ThrowAsync<MachineMemorySchemaException>();

        await ExecuteAsync($"UPDATE \"{_schema}\".arvo_schema SET version = 1");

        await memory.EnsureCreatedAsync();
        (await memory.ReadAsync("test")).Should().BeNull();
    }

    // ---- Several hosts ----

    [Fact]
    public async Task LockAsync_TwoHosts_SeeEachOthersLeases()
    {
        var hostA = Store(dataSource: await NewHostAsync());
        var hostB = Store(dataSource: await NewHostAsync());

        (await hostA.LockAsync("test", OwnerA)).Should().BeTrue();

        (await hostB.LockAsync("test", OwnerB)).Should().BeFalse();
        (await hostB.UnlockAsync("test", OwnerB)).Should().BeFalse();
        (await hostA.UnlockAsync("test", OwnerA)).Should().BeTrue();
        (await hostB.LockAsync("test", OwnerB)).Should().BeTrue();
    }

    [Fact]
    public async Task WriteAsync_TwoHostsFromTheSameVersion_SecondGetsStaleVersionConflict()
    {
        var hostA = Store(dataSource: await NewHostAsync());
        var hostB = Store(dataSource: await NewHostAsync());
        await hostA.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord(count: 1)));
        var readByB = (await hostB.ReadAsync("test"))!;

        (await hostA.WriteAsync("test", MachineMemoryTestData.Update(readByB.Version, MachineMemoryTestData.StateRecord(count: 2)))).Should().Be(2);
        var act = async () => await hostB.WriteAsync("test", MachineMemoryTestData.Update(readByB.Version, MachineMemoryTestData.StateRecord(count: 3)));

        (await act.Should().ThrowAsync<MachineMemoryConflictException>()).Which.Message.Should()
            .Be("Cannot update the record of machine 'test': the write expected version 1 but version 2 is stored; another execution wrote it first.");
        (await hostB.ReadAsync("test"))!.Version.Should().Be(2);
    }

    [Fact]
    public async Task WriteAsync_CreateOnTwoHosts_SecondGetsRecordExists()
    {
        var hostA = Store(dataSource: await NewHostAsync());
        var hostB = Store(dataSource: await NewHostAsync());
        await hostA.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord()));

        var act = async () => await hostB.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord(), MachineMemoryTestData.Events("test", "e-1")));

        (await act.Should().ThrowAsync<MachineMemoryConflictException>()).Which.Message.Should()
            .Be("Cannot create the record of machine 'test': a record already exists (the write expected no record, version 0).");
        (await CountAsync("arvo_outbox")).Should().Be(0);
    }

    [Fact]
    public async Task WriteAsync_UpdateWithoutRecord_ThrowsNoRecordConflict()
    {
        var act = async () => await Store().WriteAsync("test", MachineMemoryTestData.Update(3, MachineMemoryTestData.StateRecord()));

        (await act.Should().ThrowAsync<MachineMemoryConflictException>()).Which.Message.Should()
            .Be("Cannot update the record of machine 'test': no record is stored, but the write expected version 3.");
    }

    [Fact]
    public async Task WriteAsync_Versions_CountUpFromOne()
    {
        var memory = Store();

        (await memory.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord()))).Should().Be(1);
        (await memory.WriteAsync("test", MachineMemoryTestData.Update(1, MachineMemoryTestData.StateRecord()))).Should().Be(2);
        (await memory.WriteAsync("test", MachineMemoryTestData.Update(2, MachineMemoryTestData.StateRecord()))).Should().Be(3);
    }

    // ---- The database clock ----

    [Fact]
    public async Task LockAsync_LeaseExpiredOnTheDatabaseClock_IsTakenOverAtOnce()
    {
        var memory = Store(lockTimeToLive: TimeSpan.FromHours(1));
        await memory.EnsureCreatedAsync();
        await ExecuteAsync($"INSERT INTO \"{_schema}\".arvo_leases VALUES ('test', 'other-host', now() - interval '1 millisecond')");

        (await memory.UnlockAsync("test", OwnerB)).Should().BeTrue("an expired lease of another owner blocks nobody");
        (await memory.LockAsync("test", OwnerA)).Should().BeTrue();

        (await ColumnAsync<string>($"SELECT owner FROM \"{_schema}\".arvo_leases WHERE id = 'test'")).Should().Equal("owner-a");
    }

    [Fact]
    public async Task LockAsync_LeaseLiveOnTheDatabaseClock_IsDeniedAndKept()
    {
        var memory = Store();
        await memory.EnsureCreatedAsync();
        await ExecuteAsync($"INSERT INTO \"{_schema}\".arvo_leases VALUES ('test', 'other-host', now() + interval '1 hour')");

        (await memory.LockAsync("test", OwnerA)).Should().BeFalse();
        (await memory.UnlockAsync("test", OwnerA)).Should().BeFalse();

        (await ColumnAsync<string>($"SELECT owner FROM \"{_schema}\".arvo_leases WHERE id = 'test'")).Should().Equal("other-host");
    }

    [Fact]
    public async Task LockAsync_Lease_ExpiresAtTheDatabaseNowPlusTheTimeToLive()
    {
        var memory = Store(lockTimeToLive: TimeSpan.FromHours(1));

        await memory.LockAsync("test", OwnerA);

        var remaining = (await ColumnAsync<TimeSpan>($"SELECT expires_at - now() FROM \"{_schema}\".arvo_leases WHERE id = 'test'")).Single();
        remaining.Should().BeGreaterThan(TimeSpan.FromMinutes(59)).And.BeLessThanOrEqualTo(TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task LockAsync_AfterTheTimeToLiveInRealTime_IsTakenOverByAnotherOwner()
    {
        var memory = Store(lockTimeToLive: TimeSpan.FromSeconds(1));
        await memory.LockAsync("test", OwnerA);
        (await memory.LockAsync("test", OwnerB)).Should().BeFalse();

        await Task.Delay(TimeSpan.FromMilliseconds(1300)); // the database clock cannot be faked

        (await memory.LockAsync("test", OwnerB)).Should().BeTrue();
        (await memory.UnlockAsync("test", OwnerA)).Should().BeFalse("the old owner never releases the new owner's lease");
    }

    // ---- What PostgreSQL cannot store, and what json keeps ----

    [Fact]
    public async Task WriteAsync_IdWithNul_ThrowsArgumentExceptionAndStoresNothing()
    {
        var memory = Store();
        await memory.EnsureCreatedAsync();

        var act = async () => await memory.WriteAsync("wf\0x", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord(), MachineMemoryTestData.Events("wf", "e-1")));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should()
            .Be("Machine ID must not contain the character U+0000: PostgreSQL text cannot store it. Nothing was written. (Parameter 'id')");
        (await CountAsync("arvo_records")).Should().Be(0);
        (await CountAsync("arvo_outbox")).Should().Be(0);
    }

    [Fact]
    public async Task LockAsync_OwnerWithNul_ThrowsArgumentException()
    {
        var act = async () => await Store().LockAsync("test", new MachineMemoryLockToken("owner\0"));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("owner");
    }

    [Fact]
    public async Task WriteAsync_JsonStringsWithNulAndKeyOrder_RoundTripByteForByte()
    {
        var memory = Store();
        var record = MachineMemoryTestData.StateRecord(value: "a\u0000b") with
        {
            State = JsonSerializer.SerializeToElement(new { zeta = 1, alpha = "\u0000", count = 2 }),
        };
        var outbox = MachineMemoryTestData.Events("test", "e-1");

        await memory.WriteAsync("test", MachineMemoryTestData.Create(record, outbox));

        var read = (await memory.ReadAsync("test"))!;
        Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(read.Record))
            .Should().Be(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes<MachineMemoryRecord>(record)));
        ((MachineMemoryStateRecord)read.Record).Value!.Value.GetString().Should().Be("a\u0000b");
        var pending = (await memory.ReadPendingOutboxAsync(10)).Single();
        ArvoEventJson.Serialize(pending.Event).Should().Be(ArvoEventJson.Serialize(outbox[0]));
    }

    // ---- Corrupted rows ----

    [Fact]
    public async Task ReadAsync_RecordWithUnknownExecutionStatus_ThrowsCorruptedRecord()
    {
        var memory = Store();
        await memory.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord()));
        await ExecuteAsync($"UPDATE \"{_schema}\".arvo_records SET record = '{{\"executionStatus\":\"bogus\"}}'");

        var act = async () => await memory.ReadAsync("test");

        var error = (await act.Should().ThrowAsync<MachineMemoryCorruptedException>()).Which;
        (error.Id, error.Part).Should().Be(("test", "record"));
        (await ColumnAsync<string>($"SELECT record::text FROM \"{_schema}\".arvo_records")).Should().Equal("{\"executionStatus\":\"bogus\"}");
    }

    [Fact]
    public async Task ReadAsync_InboxNotAnArray_ThrowsCorruptedInbox()
    {
        var memory = Store();
        await memory.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord()));
        await ExecuteAsync($"UPDATE \"{_schema}\".arvo_records SET inbox = '{{\"not\":\"an inbox\"}}'");

        var act = async () => await memory.ReadAsync("test");

        var error = (await act.Should().ThrowAsync<MachineMemoryCorruptedException>()).Which;
        (error.Id, error.Part).Should().Be(("test", "inbox"));
    }

    [Fact]
    public async Task ReadPendingOutboxAsync_EventNotAnEvent_ThrowsCorruptedNamingWorkflowAndSequence()
    {
        var memory = Store();
        await memory.WriteAsync("wf-1", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord("wf-1"), MachineMemoryTestData.Events("wf-1", "e-1")));
        var sequence = (await memory.ReadPendingOutboxAsync(1)).Single().Sequence;
        await ExecuteAsync($"UPDATE \"{_schema}\".arvo_outbox SET event = '{{\"id\":\"e-1\"}}'");

        var act = async () => await memory.ReadPendingOutboxAsync(10);

        var error = (await act.Should().ThrowAsync<MachineMemoryCorruptedException>()).Which;
        (error.Id, error.Part).Should().Be(("wf-1", $"outbox event {sequence}"));
    }

    // ---- Outbox bookkeeping ----

    [Fact]
    public async Task MarkPublishedAsync_PendingRows_BecomePublishedWithATime()
    {
        var memory = Store();
        await memory.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord(), MachineMemoryTestData.Events("test", "e-1", "e-2")));

        (await memory.MarkPublishedAsync("test", ["e-2"])).Should().Be(1);

        (await ColumnAsync<string>($"SELECT event_id || ':' || status || ':' || (published_at IS NOT NULL) FROM \"{_schema}\".arvo_outbox ORDER BY seq"))
            .Should().Equal("e-1:pending:false", "e-2:published:true");
    }

    [Fact]
    public async Task PurgePublishedOutboxAsync_DeletesOnlyPublishedRowsOlderThanTheAge()
    {
        var memory = Store();
        await memory.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord(), MachineMemoryTestData.Events("test", "old", "recent", "pending")));
        await memory.MarkPublishedAsync("test", ["old", "recent"]);
        await ExecuteAsync($"UPDATE \"{_schema}\".arvo_outbox SET published_at = now() - interval '2 hours' WHERE event_id = 'old'");

        (await memory.PurgePublishedOutboxAsync(TimeSpan.FromHours(1))).Should().Be(1);
        (await ColumnAsync<string>($"SELECT event_id FROM \"{_schema}\".arvo_outbox ORDER BY seq")).Should().Equal("recent", "pending");

        (await memory.PurgePublishedOutboxAsync(TimeSpan.Zero)).Should().Be(1);
        (await ColumnAsync<string>($"SELECT event_id FROM \"{_schema}\".arvo_outbox ORDER BY seq")).Should().Equal("pending");
        (await memory.ReadPendingOutboxAsync(10)).Select(e => e.Event.Id).Should().Equal("pending");
    }

    [Fact]
    public async Task PurgePublishedOutboxAsync_NegativeAge_ThrowsArgumentOutOfRange()
    {
        var act = async () => await Store().PurgePublishedOutboxAsync(TimeSpan.FromSeconds(-1));

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task ClearAsync_EmptiesTheThreeTablesAndKeepsTheSchemaVersion()
    {
        var memory = Store();
        await memory.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord(), MachineMemoryTestData.Events("test", "e-1")));
        await memory.LockAsync("test", OwnerA);

        await memory.ClearAsync();

        (await CountAsync("arvo_records")).Should().Be(0);
        (await CountAsync("arvo_leases")).Should().Be(0);
        (await CountAsync("arvo_outbox")).Should().Be(0);
        (await ColumnAsync<int>($"SELECT version FROM \"{_schema}\".arvo_schema")).Should().Equal(1);
    }

    [Fact]
    public async Task Store_AfterUse_LeavesTheCallersDataSourceOpen()
    {
        await using var dataSource = await PostgreSqlTestDatabase.CreateDataSourceAsync();
        var memory = Store(dataSource: dataSource);
        await memory.WriteAsync("test", MachineMemoryTestData.Create(MachineMemoryTestData.StateRecord()));

        await using var command = dataSource.CreateCommand("SELECT 1");
        (await command.ExecuteScalarAsync()).Should().Be(1);
    }

    [Fact]
    public async Task ReadAsync_CancelledToken_ThrowsOperationCanceled()
    {
        var memory = Store();
        await memory.EnsureCreatedAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = async () => await memory.ReadAsync("test", cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private async Task<NpgsqlDataSource> NewHostAsync()
    {
        var dataSource = await PostgreSqlTestDatabase.CreateDataSourceAsync();
        _dataSources.Add(dataSource);
        return dataSource;
    }

    private PostgreSqlMachineMemory<MachineMemoryRecord> Store(
        NpgsqlDataSource? dataSource = null, string? schema = null, string prefix = "arvo_", TimeSpan? lockTimeToLive = null) =>
        new(dataSource ?? _db, new PostgreSqlMachineMemoryOptions
        {
            Schema = schema ?? _schema,
            TablePrefix = prefix,
            LockTimeToLive = lockTimeToLive ?? PostgreSqlMachineMemoryOptions.DefaultLockTimeToLive,
        });

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string table) =>
        (await ColumnAsync<long>($"SELECT count(*) FROM \"{_schema}\".\"{table}\"")).Single();

    private async Task<List<TValue>> ColumnAsync<TValue>(string sql, params string[] parameters)
    {
        await using var command = _db.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<TValue>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<TValue>(0));
        }

        return values;
    }
}
