using System.Diagnostics;
using System.Text.Json;
using Arvo.Memory;
using Arvo.Telemetry;

namespace Arvo.Tests.Memory;

/// <summary>
/// M-6: <see cref="TelemetryMachineMemory{T}"/> over <see cref="SimpleMachineMemory{T}"/> passes the whole memory
/// specification with a listener recording every span, and creates the reference's spans. Not parallel: an
/// <see cref="ActivityListener"/> sees every test's spans.
/// </summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class TelemetryMachineMemoryConformanceTests : MachineMemorySpecification<TelemetryMachineMemory<MachineMemoryRecord>>, IDisposable
{
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public TelemetryMachineMemoryConformanceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArvoTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    protected override ValueTask<TelemetryMachineMemory<MachineMemoryRecord>> CreateMemoryAsync(TimeProvider timeProvider, TimeSpan lockTimeToLive) =>
        ValueTask.FromResult(new TelemetryMachineMemory<MachineMemoryRecord>(new SimpleMachineMemory<MachineMemoryRecord>(new SimpleMachineMemoryOptions
        {
            TimeProvider = timeProvider,
            LockTimeToLive = lockTimeToLive,
        })));

    protected override ValueTask ClearAsync(TelemetryMachineMemory<MachineMemoryRecord> memory)
    {
        ((SimpleMachineMemory<MachineMemoryRecord>)memory.Inner).Clear();
        return ValueTask.CompletedTask;
    }

    private Activity SingleSpan(string name)
    {
        lock (_stopped)
        {
            return _stopped.Should().ContainSingle(a => a.OperationName == name).Subject;
        }
    }

    [Fact]
    public async Task Operations_EachCreateTheirInternalSpanWithMemoryId()
    {
        await Memory.WriteAsync("test", Create(ValidRecord()));
        await Memory.ReadAsync("test");
        await Memory.LockAsync("test", OwnerA);
        await Memory.UnlockAsync("test", OwnerA);

        foreach (var name in new[] { "Write Simple Memory", "Read Simple Memory", "Lock Simple Memory", "Unlock Simple Memory" })
        {
            var span = SingleSpan(name);
            span.Kind.Should().Be(ActivityKind.Internal);
            span.Status.Should().Be(ActivityStatusCode.Ok);
            span.GetTagItem("arvo.memory.id").Should().Be("test");
            span.GetTagItem("arvo.span.kind").Should().Be("internal");
        }
    }

    [Fact]
    public async Task WriteAsync_Record_TagsUtf8JsonByteLength()
    {
        var record = ValidRecord();

        await Memory.WriteAsync("test", Create(record));

        var bytes = JsonSerializer.SerializeToUtf8Bytes<MachineMemoryRecord>(record).LongLength;
        bytes.Should().BeGreaterThan(0);
        SingleSpan("Write Simple Memory").GetTagItem("arvo.memory.record.bytes").Should().Be(bytes);
    }

    [Fact]
    public async Task WriteAsync_NullData_TagsZeroBytesAndMarksSpanError()
    {
        var act = async () => await Memory.WriteAsync("test", null!);

        await act.Should().ThrowAsync<ArgumentNullException>();
        var span = SingleSpan("Write Simple Memory");
        span.GetTagItem("arvo.memory.record.bytes").Should().Be(0L);
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.StatusDescription.Should().StartWith("Data is required for write operation");
    }

    [Fact]
    public async Task ReadAsync_EmptyId_MarksSpanErrorAndPropagates()
    {
        var act = async () => await Memory.ReadAsync("");

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("Machine ID is required for read operation*");
        SingleSpan("Read Simple Memory").Status.Should().Be(ActivityStatusCode.Error);
    }

    [Fact]
    public async Task WriteAsync_Conflict_MarksSpanError()
    {
        await Memory.WriteAsync("test", Create(ValidRecord()));

        var act = async () => await Memory.WriteAsync("test", Create(ValidRecord()));

        await act.Should().ThrowAsync<MachineMemoryConflictException>();
        _stopped.Where(a => a.OperationName == "Write Simple Memory").Select(a => a.Status)
            .Should().Equal(ActivityStatusCode.Ok, ActivityStatusCode.Error);
    }

    [Fact]
    public async Task Constructor_MemoryName_NamesTheSpans()
    {
        var memory = new TelemetryMachineMemory<MachineMemoryRecord>(new SimpleMachineMemory<MachineMemoryRecord>(), "Postgres");

        await memory.LockAsync("test", OwnerA);

        SingleSpan("Lock Postgres Memory").GetTagItem("arvo.memory.id").Should().Be("test");
    }

    [Fact]
    public async Task ReadAsync_UnderAmbientSpan_IsAChildSpan()
    {
        using var source = new ActivitySource(ArvoTelemetry.ActivitySourceName + ".test-parent");
        using var parentListener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(parentListener);

        using (var parent = source.StartActivity("parent"))
        {
            await Memory.ReadAsync("test");
            SingleSpan("Read Simple Memory").ParentSpanId.Should().Be(parent!.SpanId);
        }
    }
}
