using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Memory;
using Arvo.Resumable;

namespace Arvo.Tests.Resumable;

public sealed class ArvoResumableStateTests
{
    [Fact]
    public void Serialize_FailureState_UsesTheReferenceFieldNames()
    {
        var state = new ArvoResumableState
        {
            ExecutionStatus = MachineExecutionStatus.Failure,
            Subject = "subject-1",
            Error = new MachineMemoryError("InvalidOperationException", "boom", null),
        };

        var json = JsonNode.Parse(JsonSerializer.Serialize(state))!.AsObject();

        json["subject"]!.GetValue<string>().Should().Be("subject-1");
        JsonNode.DeepEquals(json["error"], JsonNode.Parse("""{"name":"InvalidOperationException","message":"boom","stack":null}""")).Should().BeTrue(json.ToJsonString());
        JsonSerializer.Deserialize<ArvoResumableState>(json.ToJsonString())!.Error.Should().Be(state.Error);
    }
}
