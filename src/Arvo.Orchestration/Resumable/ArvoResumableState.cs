using System.Text.Json;
using System.Text.Json.Serialization;
using Arvo.Memory;
using Arvo.Orchestration;

namespace Arvo.Resumable;

/// <summary>
/// The record an <see cref="ArvoResumable"/> keeps in <see cref="IMachineMemory{T}"/> per workflow (reference
/// <c>ArvoResumableState</c>, resumable.md 2): a normal record (<see cref="MachineExecutionStatus.Normal"/>) holds the
/// handler-owned context (<c>state$$</c>), the status and the expected-event map; a failure record
/// (<see cref="MachineExecutionStatus.Failure"/>) holds only the subject and the error. JSON field names follow the
/// reference.
/// </summary>
public sealed record ArvoResumableState : IOrchestrationRecord
{
    /// <summary><c>normal</c>, or <c>failure</c> after a non-violation error (the workflow ignores later events).</summary>
    [JsonPropertyName("executionStatus")]
    [JsonConverter(typeof(ExecutionStatusConverter))]
    public MachineExecutionStatus ExecutionStatus { get; init; }

    /// <summary><c>active</c>, or <c>done</c> once the handler returned an output; null in a failure record.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>The id of the init event; null in a failure record.</summary>
    [JsonPropertyName("initEventId")]
    public string? InitEventId { get; init; }

    /// <summary>The parent workflow's subject, or null for a root workflow.</summary>
    [JsonPropertyName("parentSubject")]
    public string? ParentSubject { get; init; }

    /// <summary>The workflow subject.</summary>
    [JsonPropertyName("subject")]
    public required string Subject { get; init; }

    /// <summary>The last consumed event, the events of the last execution and the expected responses; null in a failure record.</summary>
    [JsonPropertyName("events")]
    public ArvoResumableEvents? Events { get; init; }

    /// <summary>The handler-owned context (<c>state$$</c>), or null.</summary>
    [JsonPropertyName("state$$")]
    public JsonElement? State { get; init; }

    /// <summary>The error of a failure record, else null.</summary>
    [JsonPropertyName("error")]
    public MachineMemoryError? Error { get; init; }

    /// <summary>True for a failure record.</summary>
    [JsonIgnore]
    public bool IsFailure => ExecutionStatus == MachineExecutionStatus.Failure;

    /// <summary>True once the workflow completed (<c>status = done</c>).</summary>
    [JsonIgnore]
    public bool IsDone => Status == ArvoResumable.DoneStatus;

    private sealed class ExecutionStatusConverter : JsonConverter<MachineExecutionStatus>
    {
        public override MachineExecutionStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? MachineExecutionStatus.Normal : reader.GetString() switch
            {
                "normal" => MachineExecutionStatus.Normal,
                "failure" => MachineExecutionStatus.Failure,
                var other => throw new JsonException($"Unknown resumable executionStatus '{other}'; expected 'normal' or 'failure'."),
            };

        public override void Write(Utf8JsonWriter writer, MachineExecutionStatus value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value == MachineExecutionStatus.Failure ? "failure" : "normal");
    }
}
