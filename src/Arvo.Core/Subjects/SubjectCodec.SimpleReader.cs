using System.Text.Json;
using Arvo.Subjects;

namespace Arvo.Internal;

internal static partial class SubjectCodec
{
    /// <summary>
    /// Reads the subject JSON of the usual shape straight into <see cref="SubjectJson"/> with one
    /// <see cref="Utf8JsonReader"/> pass, without the serializer's read stack (an array of large frames per read). It
    /// gives up (null) on anything it does not handle exactly as the serializer does: extra keys, repeated keys, a
    /// null section or meta value, a value of another JSON type, escaped text, malformed JSON. The caller then reads
    /// with the serializer, which also reports the errors, so content and errors are the same either way.
    /// </summary>
    internal static class SimpleReader
    {
        private static readonly JsonReaderOptions Options = new()
        {
            MaxDepth = ArvoSubjectOptions.MaxJsonDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        };

        public static SubjectJson? TryRead(ReadOnlySpan<byte> json)
        {
            try
            {
                var reader = new Utf8JsonReader(json, Options);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                var document = new SubjectJson();
                while (NextName(ref reader))
                {
                    var key = reader.ValueSpan;
                    if (key.SequenceEqual("orchestrator"u8) && !document.HasOrchestrator)
                    {
                        document.Orchestrator = Orchestrator(ref reader);
                    }
                    else if (key.SequenceEqual("execution"u8) && !document.HasExecution)
                    {
                        document.Execution = Execution(ref reader);
                    }
                    else if (key.SequenceEqual("meta"u8) && !document.HasMeta)
                    {
                        document.Meta = Meta(ref reader);
                    }
                    else
                    {
                        return null;
                    }

                    if (document is { HasOrchestrator: true, Orchestrator: null } or { HasExecution: true, Execution: null } or { HasMeta: true, Meta: null })
                    {
                        return null;
                    }
                }

                // Ended by the root's closing brace (not by a stray token), and nothing may follow it.
                return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? document : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>Moves to the next unescaped property name of the current object; false at its end or on anything else.</summary>
        private static bool NextName(ref Utf8JsonReader reader) =>
            reader.Read() && reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped;

        /// <summary>Moves past a property name to a string or null value; false for any other value or escaped text.</summary>
        private static bool StringOrNull(ref Utf8JsonReader reader, out string? value)
        {
            value = null;
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                return true;
            }

            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
            {
                return false;
            }

            value = reader.GetString();
            return true;
        }

        private static bool StartObject(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.StartObject;

        private static SubjectOrchestratorJson? Orchestrator(ref Utf8JsonReader reader)
        {
            if (!StartObject(ref reader))
            {
                return null;
            }

            var section = new SubjectOrchestratorJson();
            while (NextName(ref reader))
            {
                var key = reader.ValueSpan;
                if (key.SequenceEqual("name"u8) && !section.HasName && StringOrNull(ref reader, out var name))
                {
                    section.Name = name;
                }
                else if (key.SequenceEqual("version"u8) && !section.HasVersion && StringOrNull(ref reader, out var version))
                {
                    section.Version = version;
                }
                else
                {
                    return null;
                }
            }

            return reader.TokenType == JsonTokenType.EndObject ? section : null;
        }

        private static SubjectExecutionJson? Execution(ref Utf8JsonReader reader)
        {
            if (!StartObject(ref reader))
            {
                return null;
            }

            var section = new SubjectExecutionJson();
            while (NextName(ref reader))
            {
                var key = reader.ValueSpan;
                if (key.SequenceEqual("id"u8) && !section.HasId && StringOrNull(ref reader, out var id))
                {
                    section.Id = id;
                }
                else if (key.SequenceEqual("initiator"u8) && !section.HasInitiator && StringOrNull(ref reader, out var initiator))
                {
                    section.Initiator = initiator;
                }
                else if (key.SequenceEqual("domain"u8) && !section.HasDomain && StringOrNull(ref reader, out var domain))
                {
                    section.Domain = domain;
                }
                else
                {
                    return null;
                }
            }

            return reader.TokenType == JsonTokenType.EndObject ? section : null;
        }

        private static OrderedDictionary<string, string>? Meta(ref Utf8JsonReader reader)
        {
            if (!StartObject(ref reader))
            {
                return null;
            }

            // Most subjects have no meta: the shared empty one then (what the content uses for it anyway).
            OrderedDictionary<string, string>? meta = null;
            while (NextName(ref reader))
            {
                var key = reader.GetString()!;
                meta ??= new OrderedDictionary<string, string>();
                if (meta.ContainsKey(key) || !StringOrNull(ref reader, out var value) || value is null)
                {
                    return null;
                }

                meta.Add(key, value);
            }

            return reader.TokenType == JsonTokenType.EndObject ? meta ?? SubjectExtras.NoMeta : null;
        }
    }
}
