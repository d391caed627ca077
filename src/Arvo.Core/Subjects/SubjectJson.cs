using System.Text.Json;
using System.Text.Json.Serialization;
using Arvo.Subjects;

namespace Arvo.Internal;

/// <summary>
/// The subject JSON as System.Text.Json reads it (source-generated, <see cref="SubjectJsonContext"/>). Every known key
/// records whether it was present, so that <c>"name":null</c> and a missing <c>name</c> are told apart; unknown keys
/// land in <c>Extras</c> in document order (a repeated key keeps its first position and its last value, as in
/// <c>JSON.parse</c>). Nothing is validated here; <see cref="SubjectCodec"/> does that.
/// </summary>
internal struct SubjectJson
{
    [JsonPropertyName("orchestrator")]
    public SubjectOrchestratorJson? Orchestrator
    {
        get;
        set
        {
            field = value;
            HasOrchestrator = true;
        }
    }

    [JsonIgnore]
    public bool HasOrchestrator { get; private set; }

    [JsonPropertyName("execution")]
    public SubjectExecutionJson? Execution
    {
        get;
        set
        {
            field = value;
            HasExecution = true;
        }
    }

    [JsonIgnore]
    public bool HasExecution { get; private set; }

    /// <summary>The meta entries; a JSON <c>null</c> value is held as null although the type says otherwise (checked later).</summary>
    [JsonPropertyName("meta")]
    public OrderedDictionary<string, string>? Meta
    {
        get;
        set
        {
            field = value;
            HasMeta = true;
        }
    }

    [JsonIgnore]
    public bool HasMeta { get; private set; }

    [JsonExtensionData]
    public OrderedDictionary<string, JsonElement>? Extras { get; set; }
}

/// <summary>The <c>orchestrator</c> object as read (see <see cref="SubjectJson"/>).</summary>
internal struct SubjectOrchestratorJson
{
    [JsonPropertyName("name")]
    public string? Name
    {
        get;
        set
        {
            field = value;
            HasName = true;
        }
    }

    [JsonIgnore]
    public bool HasName { get; private set; }

    [JsonPropertyName("version")]
    public string? Version
    {
        get;
        set
        {
            field = value;
            HasVersion = true;
        }
    }

    [JsonIgnore]
    public bool HasVersion { get; private set; }

    [JsonExtensionData]
    public OrderedDictionary<string, JsonElement>? Extras { get; set; }
}

/// <summary>The <c>execution</c> object as read (see <see cref="SubjectJson"/>).</summary>
internal struct SubjectExecutionJson
{
    [JsonPropertyName("id")]
    public string? Id
    {
        get;
        set
        {
            field = value;
            HasId = true;
        }
    }

    [JsonIgnore]
    public bool HasId { get; private set; }

    [JsonPropertyName("initiator")]
    public string? Initiator
    {
        get;
        set
        {
            field = value;
            HasInitiator = true;
        }
    }

    [JsonIgnore]
    public bool HasInitiator { get; private set; }

    [JsonPropertyName("domain")]
    public string? Domain
    {
        get;
        set
        {
            field = value;
            HasDomain = true;
        }
    }

    [JsonIgnore]
    public bool HasDomain { get; private set; }

    [JsonExtensionData]
    public OrderedDictionary<string, JsonElement>? Extras { get; set; }
}

/// <summary>
/// Source-generated metadata for reading <see cref="SubjectJson"/>: the reader's limits are those of the old
/// hand-written reader (nesting at most <see cref="ArvoSubjectOptions.MaxJsonDepth"/>, no comments, no trailing
/// commas, exact key names).
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    MaxDepth = ArvoSubjectOptions.MaxJsonDepth,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(SubjectJson?))]
internal sealed partial class SubjectJsonContext : JsonSerializerContext;
