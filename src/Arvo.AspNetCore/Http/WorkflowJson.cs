using System.Buffers;
using System.Text.Json;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Subjects;

namespace Arvo.AspNetCore.Http;

/// <summary>
/// The JSON of one stored workflow: <c>subject</c>, <c>orchestrator</c>, <c>version</c>, <c>executionStatus</c>
/// (<c>normal</c> or <c>failure</c>), <c>status</c> (<c>active</c>, <c>done</c>, … or <c>failed</c>), <c>value</c>
/// (the machine's state value; null for a resumable), <c>context</c>, <c>output</c>, <c>error</c> (<c>{name, message}</c>
/// of a failed workflow, without its stack), <c>parentSubject</c>, <c>initEventId</c> and <c>recordVersion</c> (the
/// store's opaque version of the record).
/// </summary>
internal static class WorkflowJson
{
    public const string FailedStatus = "failed";

    public static ReadOnlyMemory<byte> Machine(string subject, ArvoOrchestrationSubjectContent content, MachineMemoryEntry<MachineMemoryRecord> entry) =>
        Write(writer =>
        {
            Start(writer, subject, content, entry.Record.ExecutionStatus);
            if (entry.Record is MachineMemoryStateRecord state)
            {
                var snapshot = ArvoMachineSnapshot.Parse(state.State);
                writer.WriteString("status", state.Status);
                Element(writer, "value", snapshot.StateValue);
                Element(writer, "context", snapshot.Context);
                Element(writer, "output", snapshot.Output);
                writer.WriteNull("error");
                End(writer, state.ParentSubject, state.InitEventId, entry.Version);
            }
            else
            {
                var failure = (MachineMemoryFailureRecord)entry.Record;
                writer.WriteString("status", FailedStatus);
                writer.WriteNull("value");
                writer.WriteNull("context");
                writer.WriteNull("output");
                Error(writer, failure.Error);
                End(writer, null, null, entry.Version);
            }
        });

    public static ReadOnlyMemory<byte> Resumable(string subject, ArvoOrchestrationSubjectContent content, MachineMemoryEntry<ArvoResumableState> entry, string completeEventType) =>
        Write(writer =>
        {
            var record = entry.Record;
            Start(writer, subject, content, record.ExecutionStatus);
            writer.WriteString("status", record.IsFailure ? FailedStatus : record.Status);
            writer.WriteNull("value");
            Element(writer, "context", record.State);
            var completion = record.IsDone ? record.Events?.Produced.FirstOrDefault(produced => produced.Type == completeEventType) : null;
            Element(writer, "output", completion?.Data);
            if (record.Error is { } error)
            {
                Error(writer, error);
            }
            else
            {
                writer.WriteNull("error");
            }

            End(writer, record.ParentSubject, record.InitEventId, entry.Version);
        });

    private static void Start(Utf8JsonWriter writer, string subject, ArvoOrchestrationSubjectContent content, MachineExecutionStatus executionStatus)
    {
        writer.WriteStartObject();
        writer.WriteString("subject", subject);
        writer.WriteString("orchestrator", content.Orchestrator.Name);
        writer.WriteString("version", content.Orchestrator.Version);
        writer.WriteString("executionStatus", executionStatus == MachineExecutionStatus.Failure ? "failure" : "normal");
    }

    private static void End(Utf8JsonWriter writer, string? parentSubject, string? initEventId, long recordVersion)
    {
        writer.WriteString("parentSubject", parentSubject);
        writer.WriteString("initEventId", initEventId);
        writer.WriteNumber("recordVersion", recordVersion);
        writer.WriteEndObject();
    }

    private static void Element(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        writer.WritePropertyName(name);
        if (value is { } element)
        {
            element.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void Error(Utf8JsonWriter writer, MachineMemoryError error)
    {
        writer.WriteStartObject("error");
        writer.WriteString("name", error.Name);
        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
    }

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(output, JsonBytesResult.WriterOptions))
        {
            write(writer);
        }

        return output.WrittenMemory;
    }
}
