using System.Text.Json;
using System.Text.Json.Serialization;
using Arvo.Events;

namespace Arvo.Memory;

/// <summary>
/// Reads and writes <see cref="MachineMemoryRecord"/> and its subtypes with the reference's JSON field names
/// (orchestrator.md 13), discriminated by <c>executionStatus</c> (absent = <c>normal</c>).
/// </summary>
internal sealed class MachineMemoryRecordJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeof(MachineMemoryRecord).IsAssignableFrom(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(RecordConverter<>).MakeGenericType(typeToConvert))!;

    internal static MachineMemoryRecord Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A machine memory record must be a JSON object, received {root.ValueKind}.");
        }

        var subject = RequiredString(root, "subject");
        var status = root.TryGetProperty("executionStatus", out var statusElement) && statusElement.ValueKind != JsonValueKind.Null
            ? statusElement.GetString()
            : "normal";

        switch (status)
        {
            case "normal":
                return new MachineMemoryStateRecord
                {
                    Subject = subject,
                    InitEventId = OptionalString(root, "initEventId") ?? string.Empty,
                    ParentSubject = OptionalString(root, "parentSubject"),
                    Status = OptionalString(root, "status") ?? string.Empty,
                    Value = root.TryGetProperty("value", out var value) ? value : null,
                    State = root.TryGetProperty("state", out var state) ? state : default(JsonElement?) ?? throw new JsonException("A normal machine memory record requires 'state'."),
                    Events = ReadEvents(root),
                    MachineDefinition = OptionalString(root, "machineDefinition"),
                };
            case "failure":
                return new MachineMemoryFailureRecord { Subject = subject, Error = ReadError(root) };
            default:
                throw new JsonException($"Unknown machine memory record executionStatus '{status}'; expected 'normal' or 'failure'.");
        }
    }

    internal static void Write(Utf8JsonWriter writer, MachineMemoryRecord record)
    {
        writer.WriteStartObject();
        switch (record)
        {
            case MachineMemoryStateRecord normal:
                writer.WriteString("executionStatus", "normal");
                writer.WriteString("initEventId", normal.InitEventId);
                writer.WriteString("subject", normal.Subject);
                WriteNullableString(writer, "parentSubject", normal.ParentSubject);
                writer.WriteString("status", normal.Status);
                writer.WritePropertyName("value");
                if (normal.Value is { } stateValue)
                {
                    stateValue.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }

                writer.WritePropertyName("state");
                normal.State.WriteTo(writer);
                writer.WriteStartObject("events");
                writer.WritePropertyName("consumed");
                if (normal.Events.Consumed is { } consumed)
                {
                    ArvoEventJson.Write(writer, consumed);
                }
                else
                {
                    writer.WriteNullValue();
                }

                writer.WriteStartArray("produced");
                foreach (var produced in normal.Events.Produced)
                {
                    ArvoEventJson.Write(writer, produced);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                WriteNullableString(writer, "machineDefinition", normal.MachineDefinition);
                break;
            case MachineMemoryFailureRecord failure:
                writer.WriteString("executionStatus", "failure");
                writer.WriteString("subject", failure.Subject);
                writer.WriteStartObject("error");
                writer.WriteString("name", failure.Error.Name);
                writer.WriteString("message", failure.Error.Message);
                WriteNullableString(writer, "stack", failure.Error.Stack);
                writer.WriteEndObject();
                break;
            default:
                throw new JsonException($"Unsupported machine memory record type '{record.GetType().Name}'.");
        }

        writer.WriteEndObject();
    }

    private static MachineMemoryEvents ReadEvents(JsonElement root)
    {
        if (!root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Object)
        {
            return MachineMemoryEvents.Empty;
        }

        var consumed = events.TryGetProperty("consumed", out var consumedElement) && consumedElement.ValueKind == JsonValueKind.Object
            ? ArvoEventJson.Parse(consumedElement)
            : null;
        var produced = new List<ArvoEvent>();
        if (events.TryGetProperty("produced", out var producedElement) && producedElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in producedElement.EnumerateArray())
            {
                produced.Add(ArvoEventJson.Parse(item));
            }
        }

        return new MachineMemoryEvents { Consumed = consumed, Produced = produced };
    }

    private static MachineMemoryError ReadError(JsonElement root)
    {
        if (!root.TryGetProperty("error", out var error) || error.ValueKind == JsonValueKind.Null)
        {
            return new MachineMemoryError(string.Empty, string.Empty, null);
        }

        if (error.ValueKind == JsonValueKind.String)
        {
            return new MachineMemoryError("Error", error.GetString()!, null);
        }

        return new MachineMemoryError(
            OptionalString(error, "name") ?? string.Empty,
            OptionalString(error, "message") ?? string.Empty,
            OptionalString(error, "stack"));
    }

    private static string RequiredString(JsonElement element, string name) =>
        OptionalString(element, name) ?? throw new JsonException($"A machine memory record requires the string '{name}'.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var property) && property.ValueKind != JsonValueKind.Null
            ? property.ValueKind == JsonValueKind.String
                ? property.GetString()
                : throw new JsonException($"Machine memory record field '{name}' must be a string or null, received {property.ValueKind}.")
            : null;

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private sealed class RecordConverter<TRecord> : JsonConverter<TRecord>
        where TRecord : MachineMemoryRecord
    {
        public override TRecord? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return MachineMemoryRecordJsonConverter.Read(document.RootElement) is TRecord record
                ? record
                : throw new JsonException($"The JSON record is not a {typeof(TRecord).Name} (check 'executionStatus').");
        }

        public override void Write(Utf8JsonWriter writer, TRecord value, JsonSerializerOptions options) =>
            MachineMemoryRecordJsonConverter.Write(writer, value);
    }
}
