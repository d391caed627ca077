using System.Text.Json;
using Arvo.Memory;

namespace Arvo.Tests.Memory;

/// <summary>The record types and their JSON (orchestrator.md 13, <c>memory-records.json</c>).</summary>
public sealed class MachineMemoryRecordTests
{
    [Theory]
    [MemberData(nameof(ReferenceMemoryRecords.Names), MemberType = typeof(ReferenceMemoryRecords))]
    public void Serialize_ReferenceRecord_WritesEquivalentJsonInReferenceFieldOrder(string name)
    {
        var expected = ReferenceMemoryRecords.Json(name);

        var written = JsonSerializer.SerializeToElement(ReferenceMemoryRecords.Parse(name));

        JsonElement.DeepEquals(written, expected).Should().BeTrue();
        written.EnumerateObject().Select(p => p.Name).Should().Equal(expected.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Deserialize_HappyPathFinalRecord_ReadsEveryField()
    {
        var record = ReferenceMemoryRecords.Parse("happy_path/2").Should().BeOfType<MachineMemoryStateRecord>().Subject;

        record.ExecutionStatus.Should().Be(MachineExecutionStatus.Normal);
        record.Status.Should().Be("done");
        record.Value!.Value.GetString().Should().Be("done");
        record.ParentSubject.Should().BeNull();
        record.InitEventId.Should().Be("5400a8a1-39e3-47e4-b486-68f54d888e40");
        record.State.GetProperty("status").GetString().Should().Be("done");
        record.Events.Consumed!.Type.Should().Be("evt.number.increment.success");
        record.Events.Produced.Select(e => e.Type).Should().Equal("notif.number.update", "arvo.orc.counter.done");
        record.MachineDefinition.Should().StartWith("{\"id\":\"counter\"");
    }

    [Fact]
    public void Deserialize_HappyPathFirstRecord_ReadsProducedEvents()
    {
        var record = (MachineMemoryStateRecord)ReferenceMemoryRecords.Parse("happy_path/1");

        record.Value!.Value.GetString().Should().Be("increment");
        record.Events.Produced.Should().ContainSingle().Which.Type.Should().Be("com.number.increment");
        record.Events.Consumed!.Id.Should().Be(record.InitEventId);
    }

    [Fact]
    public void Deserialize_FailureRecord_ReadsNameMessageStack()
    {
        var record = ReferenceMemoryRecords.Parse("orchestrator_error_path/failure").Should().BeOfType<MachineMemoryFailureRecord>().Subject;

        record.ExecutionStatus.Should().Be(MachineExecutionStatus.Failure);
        record.Error.Should().Be(new MachineMemoryError(
            "Error",
            "Deliberate failure inside the machine (faulty variant used for the error vector)",
            "Error: Deliberate failure inside the machine (faulty variant used for the error vector)"));
    }

    [Fact]
    public void Deserialize_RecordWithoutExecutionStatus_ReadsAsNormalRecord()
    {
        const string json = """{"initEventId":"","subject":"test","parentSubject":null,"status":"active","value":"","state":{},"events":{"consumed":null,"produced":[]},"machineDefinition":null}""";

        JsonSerializer.Deserialize<MachineMemoryRecord>(json).Should().BeOfType<MachineMemoryStateRecord>()
            .Which.ExecutionStatus.Should().Be(MachineExecutionStatus.Normal);
    }

    [Fact]
    public void Deserialize_UnknownExecutionStatus_ThrowsJsonException()
    {
        var act = () => JsonSerializer.Deserialize<MachineMemoryRecord>("""{"executionStatus":"paused","subject":"test"}""");

        act.Should().Throw<JsonException>().WithMessage("*'paused'*");
    }

    [Fact]
    public void Deserialize_FailureJsonAsStateRecordType_ThrowsJsonException()
    {
        var act = () => JsonSerializer.Deserialize<MachineMemoryStateRecord>(ReferenceMemoryRecords.Text("orchestrator_error_path/failure"));

        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void Serialize_DerivedTypeDirectly_WritesReferenceShape()
    {
        var json = JsonSerializer.Serialize(new MachineMemoryFailureRecord { Subject = "s", Error = new MachineMemoryError("Error", "m", null) });

        json.Should().Be("""{"executionStatus":"failure","subject":"s","error":{"name":"Error","message":"m","stack":null}}""");
    }

    [Fact]
    public void Serialize_NullValue_WritesJsonNull()
    {
        var record = new MachineMemoryStateRecord { Subject = "s", InitEventId = "i", Status = "active", State = JsonSerializer.SerializeToElement(new { }), Value = null };

        JsonSerializer.SerializeToElement<MachineMemoryRecord>(record).GetProperty("value").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void State_FromDisposedDocument_IsClonedOnAssignment()
    {
        MachineMemoryStateRecord record;
        using (var document = JsonDocument.Parse("""{"count":1}"""))
        {
            record = new MachineMemoryStateRecord { Subject = "s", InitEventId = "i", Status = "active", State = document.RootElement };
        }

        record.State.GetProperty("count").GetInt32().Should().Be(1);
    }

    [Fact]
    public void State_Undefined_ThrowsArgumentException()
    {
        var act = () => new MachineMemoryStateRecord { Subject = "s", InitEventId = "i", Status = "active", State = default };

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Equals_SameJsonParsedTwice_IsTrue()
    {
        ReferenceMemoryRecords.Parse("happy_path/1").Should().Be(ReferenceMemoryRecords.Parse("happy_path/1"));
        ReferenceMemoryRecords.Parse("happy_path/1").Should().NotBe(ReferenceMemoryRecords.Parse("happy_path/2"));
    }

    [Fact]
    public void Events_ProducedList_IsCopiedOnAssignment()
    {
        var produced = new List<ArvoEvent> { HelloFixture.Event() };
        var events = new MachineMemoryEvents { Produced = produced };

        produced.Clear();

        events.Produced.Should().HaveCount(1);
    }

    [Fact]
    public void FromException_Violation_UsesViolationName()
    {
        var error = MachineMemoryError.FromException(new ExecutionViolation("stop"));

        error.Name.Should().Be("ViolationError<Execution>");
        error.Message.Should().Be("ViolationError<Execution> stop");
        error.Stack.Should().Contain("stop");
    }

    [Fact]
    public void FromException_PlainException_UsesTypeName()
    {
        MachineMemoryError.FromException(new InvalidOperationException("boom")).Name.Should().Be("InvalidOperationException");
    }

    [Fact]
    public void FromException_ThrownException_StackNamesFilesWithoutDirectories()
    {
        InvalidOperationException thrown;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException exception)
        {
            thrown = exception;
        }

        var directory = Path.GetDirectoryName(SourcePath())!;
        thrown.ToString().Should().Contain(directory, "the test assembly is built with absolute source paths");

        MachineMemoryError.FromException(thrown).Stack.Should()
            .StartWith("System.InvalidOperationException: boom")
            .And.Contain(" in MachineMemoryRecordTests.cs:line ")
            .And.NotContain(directory);
    }

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
