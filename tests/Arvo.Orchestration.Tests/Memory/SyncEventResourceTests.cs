using Arvo.Memory;

namespace Arvo.Tests.Memory;

/// <summary><see cref="SyncEventResource{T}"/> (memory-and-locking.md 3).</summary>
public sealed class SyncEventResourceTests
{
    private static readonly MachineMemoryLockToken Owner = new("owner");
    private static readonly string Subject = ArvoOrchestrationSubject.New("arvo.orc.test", "0.0.1", "com.test.env");
    private static readonly ArvoEvent Event = HelloFixture.Event(subject: Subject);

    private readonly RecordingMemory _memory = new();

    [Fact]
    public async Task AcquireLockAsync_LockingNotRequired_ReturnsNoopWithoutCallingMemory()
    {
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: false);

        (await resource.AcquireLockAsync(Event, Owner)).Should().Be(AcquiredLockStatus.Noop);
        _memory.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task AcquireLockAsync_LockGranted_ReturnsAcquired()
    {
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: true);

        (await resource.AcquireLockAsync(Event, Owner)).Should().Be(AcquiredLockStatus.Acquired);
        _memory.Calls.Should().Equal($"lock {Subject} owner");
    }

    [Fact]
    public async Task AcquireLockAsync_LockDenied_ReturnsNotAcquired()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        await memory.LockAsync(Subject, new MachineMemoryLockToken("other"));
        var resource = new SyncEventResource<MachineMemoryRecord>(memory, requiresResourceLocking: true);

        (await resource.AcquireLockAsync(Event, Owner)).Should().Be(AcquiredLockStatus.NotAcquired);
    }

    [Fact]
    public async Task AcquireLockAsync_MemoryThrows_ThrowsLockFailureViolation()
    {
        _memory.FailWith = "lock";
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: true);

        var act = async () => await resource.AcquireLockAsync(Event, Owner);

        var violation = (await act.Should().ThrowAsync<TransactionViolation>()).Which;
        violation.Cause.Should().Be(TransactionViolationCause.LockMachineMemoryFailure);
        violation.Message.Should().Be($"ViolationError<OrchestratorTransaction> [LOCK_MACHINE_MEMORY_FAILURE] Error acquiring lock for event (subject={Subject}): lock failed");
        violation.InitiatingEvent.Should().BeSameAs(Event);
        violation.InnerException.Should().BeOfType<InvalidOperationException>();
    }

    [Fact]
    public async Task AcquireStateAsync_MemoryThrows_ThrowsReadFailureViolation()
    {
        _memory.FailWith = "read";
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: true);

        var act = async () => await resource.AcquireStateAsync(Event);

        (await act.Should().ThrowAsync<TransactionViolation>()).Which.Message.Should()
            .Be($"ViolationError<OrchestratorTransaction> [READ_MACHINE_MEMORY_FAILURE] Error reading state for event (subject={Subject}): read failed");
    }

    [Fact]
    public async Task AcquireStateAsync_NoRecord_ReturnsNull()
    {
        var resource = new SyncEventResource<MachineMemoryRecord>(new SimpleMachineMemory<MachineMemoryRecord>(), requiresResourceLocking: false);

        (await resource.AcquireStateAsync(Event)).Should().BeNull();
    }

    [Fact]
    public async Task PersistStateAsync_MemoryThrows_ThrowsWriteFailureViolation()
    {
        _memory.FailWith = "write";
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: true);

        var act = async () => await resource.PersistStateAsync(Event, new MachineMemoryWrite<MachineMemoryRecord> { Record = Failure() });

        (await act.Should().ThrowAsync<TransactionViolation>()).Which.Message.Should()
            .Be($"ViolationError<OrchestratorTransaction> [WRITE_MACHINE_MEMORY_FAILURE] Error writing state for event (subject={Subject}): write failed");
    }

    [Fact]
    public async Task PersistStateAsync_CompareAndSetConflict_ThrowsWriteFailureViolation()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var resource = new SyncEventResource<MachineMemoryRecord>(memory, requiresResourceLocking: false);
        await resource.PersistStateAsync(Event, new MachineMemoryWrite<MachineMemoryRecord> { Record = Failure() });

        var act = async () => await resource.PersistStateAsync(Event, new MachineMemoryWrite<MachineMemoryRecord> { Record = Failure() });

        (await act.Should().ThrowAsync<TransactionViolation>()).Which.InnerException.Should().BeOfType<MachineMemoryConflictException>();
    }

    [Fact]
    public async Task PersistStateAsync_ThenAcquireState_ReturnsRecord()
    {
        var resource = new SyncEventResource<MachineMemoryRecord>(new SimpleMachineMemory<MachineMemoryRecord>(), requiresResourceLocking: false);

        await resource.PersistStateAsync(Event, new MachineMemoryWrite<MachineMemoryRecord> { Record = Failure() });

        (await resource.AcquireStateAsync(Event))!.Record.Should().Be(Failure());
    }

    [Fact]
    public void ValidateEventSubject_InvalidSubject_ThrowsExecutionViolation()
    {
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: true);
        var evt = HelloFixture.Event(subject: "test-subject");

        var act = () => resource.ValidateEventSubject(evt);

        act.Should().Throw<ExecutionViolation>().Which.Message.Should().Be(
            $"ViolationError<Execution> Invalid event (id={evt.Id}) subject format. Expected an ArvoOrchestrationSubject but received 'test-subject'. The subject must follow the format specified by ArvoOrchestrationSubject schema");
        _memory.Calls.Should().BeEmpty();
    }

    [Fact]
    public void ValidateEventSubject_OrchestrationSubject_DoesNotThrow()
    {
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: true);

        var act = () => resource.ValidateEventSubject(Event);

        act.Should().NotThrow();
    }

    [Theory]
    [InlineData(AcquiredLockStatus.Noop)]
    [InlineData(AcquiredLockStatus.NotAcquired)]
    public async Task ReleaseLockAsync_NotAcquired_ReturnsNoopWithoutCallingMemory(AcquiredLockStatus acquired)
    {
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: true);

        (await resource.ReleaseLockAsync(Event, acquired, Owner)).Should().Be(ReleasedLockStatus.Noop);
        _memory.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task ReleaseLockAsync_Acquired_UnlocksWithOwnerAndReturnsReleased()
    {
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var resource = new SyncEventResource<MachineMemoryRecord>(memory, requiresResourceLocking: true);
        var acquired = await resource.AcquireLockAsync(Event, Owner);

        (await resource.ReleaseLockAsync(Event, acquired, Owner)).Should().Be(ReleasedLockStatus.Released);
        (await memory.LockAsync(Subject, new MachineMemoryLockToken("next"))).Should().BeTrue();
    }

    [Fact]
    public async Task ReleaseLockAsync_UnlockReturnsFalse_StillReturnsReleased()
    {
        _memory.UnlockResult = false;
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: true);

        (await resource.ReleaseLockAsync(Event, AcquiredLockStatus.Acquired, Owner)).Should().Be(ReleasedLockStatus.Released);
    }

    [Fact]
    public async Task ReleaseLockAsync_MemoryThrows_ReturnsErrorWithoutThrowing()
    {
        _memory.FailWith = "unlock";
        var resource = new SyncEventResource<MachineMemoryRecord>(_memory, requiresResourceLocking: true);

        (await resource.ReleaseLockAsync(Event, AcquiredLockStatus.Acquired, Owner)).Should().Be(ReleasedLockStatus.Error);
    }

    [Fact]
    public async Task AcquireStateAsync_Cancelled_ThrowsOperationCanceledNotViolation()
    {
        var resource = new SyncEventResource<MachineMemoryRecord>(new SimpleMachineMemory<MachineMemoryRecord>(), requiresResourceLocking: false);

        var act = async () => await resource.AcquireStateAsync(Event, new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static MachineMemoryFailureRecord Failure() =>
        new() { Subject = Subject, Error = new MachineMemoryError("Error", "boom", null) };

    /// <summary>Records calls; fails the operation named by <see cref="FailWith"/> with <c>&lt;op&gt; failed</c>.</summary>
    private sealed class RecordingMemory : IMachineMemory<MachineMemoryRecord>
    {
        public List<string> Calls { get; } = [];

        public string? FailWith { get; set; }

        public bool UnlockResult { get; set; } = true;

        public ValueTask<MachineMemoryEntry<MachineMemoryRecord>?> ReadAsync(string id, CancellationToken cancellationToken = default)
        {
            Record("read", id);
            return ValueTask.FromResult<MachineMemoryEntry<MachineMemoryRecord>?>(null);
        }

        public ValueTask<long> WriteAsync(string id, MachineMemoryWrite<MachineMemoryRecord> write, CancellationToken cancellationToken = default)
        {
            Record("write", id);
            return ValueTask.FromResult(1L);
        }

        public ValueTask<IReadOnlyList<MachineMemoryOutboxEntry>> ReadPendingOutboxAsync(int maxCount, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<MachineMemoryOutboxEntry>>([]);

        public ValueTask<int> MarkPublishedAsync(string id, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(0);

        public ValueTask<bool> LockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
        {
            Record("lock", $"{id} {owner}");
            return ValueTask.FromResult(true);
        }

        public ValueTask<bool> UnlockAsync(string id, MachineMemoryLockToken owner, CancellationToken cancellationToken = default)
        {
            Record("unlock", $"{id} {owner}");
            return ValueTask.FromResult(UnlockResult);
        }

        private void Record(string operation, string detail)
        {
            Calls.Add($"{operation} {detail}");
            if (FailWith == operation)
            {
                throw new InvalidOperationException($"{operation} failed");
            }
        }
    }
}
