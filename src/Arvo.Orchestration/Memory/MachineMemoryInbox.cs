using System.Text.Json;
using System.Text.Json.Serialization;
using Arvo.Events;

namespace Arvo.Memory;

/// <summary>
/// The inbox of one workflow: the ids of the consumed events it has applied, newest last, each with the events that
/// execution emitted. Immutable. The orchestration pipeline consults it before executing: a redelivered event id is not
/// applied again, and the events the first execution emitted are returned instead (identical ids included).
/// </summary>
/// <remarks>
/// <para>Retention: the newest <see cref="DefaultCapacity"/> entries per workflow (configurable per orchestrator).
/// A redelivery of an event older than that is executed again as a new event, so size the capacity above the number
/// of events one workflow can consume while a redelivery is still possible (brokers redeliver within minutes).</para>
/// <para>JSON (what durable stores keep): <c>[{"eventId":"…","emitted":[&lt;ArvoEvent&gt;, …]}, …]</c>.</para>
/// </remarks>
[JsonConverter(typeof(MachineMemoryInboxJsonConverter))]
public sealed class MachineMemoryInbox : IEquatable<MachineMemoryInbox>
{
    /// <summary>How many consumed events a workflow remembers by default: 64.</summary>
    public const int DefaultCapacity = 64;

    private readonly MachineMemoryInboxEntry[] _entries;

    private MachineMemoryInbox(MachineMemoryInboxEntry[] entries) => _entries = entries;

    /// <summary>An inbox that remembers nothing.</summary>
    public static MachineMemoryInbox Empty { get; } = new([]);

    /// <summary>The remembered entries, oldest first.</summary>
    public IReadOnlyList<MachineMemoryInboxEntry> Entries => _entries;

    /// <summary>How many consumed events are remembered.</summary>
    public int Count => _entries.Length;

    /// <summary>Creates an inbox from entries, oldest first.</summary>
    /// <param name="entries">The entries; each event id at most once.</param>
    /// <returns>The inbox.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> or an entry is null.</exception>
    /// <exception cref="ArgumentException">An event id appears twice.</exception>
    public static MachineMemoryInbox From(IEnumerable<MachineMemoryInboxEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        MachineMemoryInboxEntry[] copy = [.. entries];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in copy)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            if (!seen.Add(entry.EventId))
            {
                throw new ArgumentException($"The inbox lists the event id '{entry.EventId}' twice.", nameof(entries));
            }
        }

        return copy.Length == 0 ? Empty : new MachineMemoryInbox(copy);
    }

    /// <summary>Finds the entry of a consumed event id.</summary>
    /// <param name="eventId">The consumed event's id.</param>
    /// <param name="entry">The entry, when found.</param>
    /// <returns>True when the event was applied.</returns>
    public bool TryGet(string eventId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MachineMemoryInboxEntry? entry)
    {
        // Newest first: a redelivery is most likely of the latest event.
        for (var i = _entries.Length - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].EventId, eventId, StringComparison.Ordinal))
            {
                entry = _entries[i];
                return true;
            }
        }

        entry = null;
        return false;
    }

    /// <summary>Returns a new inbox that also remembers <paramref name="eventId"/>, dropping the oldest entries beyond <paramref name="capacity"/>.</summary>
    /// <param name="eventId">The consumed event's id (replaces an existing entry of the same id).</param>
    /// <param name="emitted">The events its execution emitted.</param>
    /// <param name="capacity">The most entries to keep; positive.</param>
    /// <returns>The new inbox.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public MachineMemoryInbox Append(string eventId, IReadOnlyList<ArvoEvent> emitted, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var added = new MachineMemoryInboxEntry(eventId, emitted);
        var kept = 0;
        var start = 0;
        var existing = -1;
        for (var i = 0; i < _entries.Length; i++)
        {
            if (string.Equals(_entries[i].EventId, eventId, StringComparison.Ordinal))
            {
                existing = i;
            }
        }

        var others = _entries.Length - (existing >= 0 ? 1 : 0);
        if (others + 1 > capacity)
        {
            start = others + 1 - capacity;
        }

        var result = new MachineMemoryInboxEntry[others - start + 1];
        var skipped = 0;
        for (var i = 0; i < _entries.Length; i++)
        {
            if (i == existing)
            {
                continue;
            }

            if (skipped < start)
            {
                skipped++;
                continue;
            }

            result[kept++] = _entries[i];
        }

        result[kept] = added;
        return new MachineMemoryInbox(result);
    }

    /// <inheritdoc />
    public bool Equals(MachineMemoryInbox? other) =>
        other is not null && (ReferenceEquals(this, other) || _entries.AsSpan().SequenceEqual(other._entries));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MachineMemoryInbox);

    /// <inheritdoc />
    public override int GetHashCode() => _entries.Length;

    /// <summary>Writes the inbox as JSON (see the remarks).</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var entry in _entries)
        {
            writer.WriteStartObject();
            writer.WriteString("eventId", entry.EventId);
            writer.WriteStartArray("emitted");
            foreach (var evt in entry.Emitted)
            {
                ArvoEventJson.Write(writer, evt);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Serializes the inbox to UTF-8 JSON.</summary>
    /// <returns>The JSON.</returns>
    public byte[] ToUtf8Json()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(_entries.Length == 0 ? 8 : 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an inbox written by <see cref="WriteTo"/>.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <returns>The inbox.</returns>
    /// <exception cref="JsonException">The JSON is not an inbox.</exception>
    public static MachineMemoryInbox Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        reader.Read();
        var inbox = Read(ref reader);
        if (reader.Read())
        {
            throw new JsonException("Unexpected data after the inbox array.");
        }

        return inbox;
    }

    internal static MachineMemoryInbox Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return Empty;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"An inbox must be a JSON array, found {reader.TokenType}.");
        }

        var entries = new List<MachineMemoryInboxEntry>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"An inbox entry must be a JSON object, found {reader.TokenType}.");
            }

            string? eventId = null;
            List<ArvoEvent>? emitted = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "eventId":
                        eventId = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("An inbox entry's eventId must be a string.");
                        break;
                    case "emitted":
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            throw new JsonException("An inbox entry's emitted must be an array of events.");
                        }

                        emitted = [];
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            emitted.Add(ArvoEventJson.Read(ref reader));
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (string.IsNullOrEmpty(eventId))
            {
                throw new JsonException("An inbox entry has no eventId.");
            }

            entries.Add(new MachineMemoryInboxEntry(eventId, emitted ?? []));
        }

        return From(entries);
    }
}

/// <summary>One remembered consumed event: its id and the events its execution emitted (in order, all domains).</summary>
public sealed record MachineMemoryInboxEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="eventId">The consumed event's id.</param>
    /// <param name="emitted">The events its execution emitted; copied.</param>
    /// <exception cref="ArgumentException"><paramref name="eventId"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="emitted"/> is null.</exception>
    public MachineMemoryInboxEntry(string eventId, IReadOnlyList<ArvoEvent> emitted)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentNullException.ThrowIfNull(emitted);
        EventId = eventId;
        Emitted = emitted is ArvoEvent[] array ? array : [.. emitted];
    }

    /// <summary>The consumed event's id.</summary>
    public string EventId { get; }

    /// <summary>The events its execution emitted.</summary>
    public IReadOnlyList<ArvoEvent> Emitted { get; }

    /// <inheritdoc />
    public bool Equals(MachineMemoryInboxEntry? other) =>
        other is not null && string.Equals(EventId, other.EventId, StringComparison.Ordinal) && Emitted.SequenceEqual(other.Emitted);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EventId, Emitted.Count);
}

/// <summary>System.Text.Json support for <see cref="MachineMemoryInbox"/>.</summary>
internal sealed class MachineMemoryInboxJsonConverter : JsonConverter<MachineMemoryInbox>
{
    public override MachineMemoryInbox Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => MachineMemoryInbox.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, MachineMemoryInbox value, JsonSerializerOptions options) => value.WriteTo(writer);
}
