using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Contracts;
using Arvo.Internal;

namespace Arvo;

/// <summary>
/// One version of an <see cref="ArvoContract"/> (reference <c>VersionedArvoContract</c>): what an event
/// factory, a handler or a machine needs to create or check events of that version. Obtain it with
/// <see cref="ArvoContract.Version"/>; each view is created once with its contract.
/// </summary>
public sealed class VersionedArvoContract
{
    // The valid resolution results, made once each: they are immutable, and every valid event gets one.
    private ArvoInputValidationResult? _validAsSelf;
    private ArvoInputValidationResult? _validAsService;

    internal VersionedArvoContract(ArvoContract contract, string version, ArvoSchema accepts, IReadOnlyList<KeyValuePair<string, ArvoSchema>> emits)
    {
        Contract = contract;
        Version = version;
        Accepts = new ArvoContractEventSchema(contract.Type, accepts);
        var map = new OrderedDictionary<string, ArvoSchema>(StringComparer.Ordinal);
        foreach (var (type, schema) in emits)
        {
            map.Add(type, schema);
        }

        Emits = new ReadOnlyDictionary<string, ArvoSchema>(map);
        EmitList = [.. emits.Select(emit => new ArvoContractEventSchema(emit.Key, emit.Value))];
        Dataschema = ArvoDataschema.Create(contract.Uri, ArvoSemanticVersion.Parse(version));
    }

    /// <summary>The (shared, immutable) result of an event that resolved to this version in <paramref name="role"/> and whose data is valid.</summary>
    internal ArvoInputValidationResult ValidResult(ArvoContractRole role) => role == ArvoContractRole.Self
        ? _validAsSelf ??= ArvoInputValidationResult.Valid(role, this)
        : _validAsService ??= ArvoInputValidationResult.Valid(role, this);

    /// <summary>The contract this is a version of (an <see cref="ArvoOrchestratorContract"/> for orchestrators).</summary>
    public ArvoContract Contract { get; }

    /// <summary>The contract uri.</summary>
    public string Uri => Contract.Uri;

    /// <summary>The contract's accepted event type (same as <see cref="Accepts"/>.Type).</summary>
    public string Type => Contract.Type;

    /// <summary>The contract description, or null.</summary>
    public string? Description => Contract.Description;

    /// <summary>The contract metadata (read-only JSON object).</summary>
    public JsonElement Metadata => Contract.Metadata;

    /// <summary>The contract's default domain, or null.</summary>
    public string? Domain => Contract.Domain;

    /// <summary>The version, e.g. <c>0.0.1</c>.</summary>
    public string Version { get; }

    /// <summary>The accepted event: the contract type and this version's schema (for orchestrators, the merged init schema).</summary>
    public ArvoContractEventSchema Accepts { get; }

    /// <summary>The emitted event types and their schemas, in declaration order.</summary>
    public IReadOnlyDictionary<string, ArvoSchema> Emits { get; }

    /// <summary>The emitted events as a list, in declaration order.</summary>
    public IReadOnlyList<ArvoContractEventSchema> EmitList { get; }

    /// <summary>The system error event; its dataschema is <c>&lt;uri&gt;/0.0.0</c>.</summary>
    public ArvoContractSystemError SystemError => Contract.SystemError;

    /// <summary>The dataschema of this version's events, <c>&lt;uri&gt;/&lt;version&gt;</c>.</summary>
    public string Dataschema { get; }

    /// <summary>True when this is a version of an <see cref="ArvoOrchestratorContract"/>.</summary>
    public bool IsOrchestrator => Contract.IsOrchestrator;

    /// <summary>
    /// The data schema of an event type of this version: the accepted type, an emitted type or the system
    /// error type.
    /// </summary>
    /// <param name="eventType">The event type.</param>
    /// <param name="schema">The schema when the type belongs to this version.</param>
    /// <returns>True when found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="eventType"/> is null.</exception>
    public bool TryGetSchema(string eventType, [NotNullWhen(true)] out ArvoSchema? schema)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        if (eventType == Accepts.Type)
        {
            schema = Accepts.Schema;
            return true;
        }

        if (Emits.TryGetValue(eventType, out schema))
        {
            return true;
        }

        if (eventType == SystemError.Type)
        {
            schema = SystemError.Schema;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Exports the version (reference <c>toJsonSchema()</c>):
    /// <c>{ uri, description, domain, version, metadata, accepts: { type, schema }, systemError: { type, schema }, emits: [{ type, schema }] }</c>.
    /// Schemas are exported as given (<see cref="ArvoSchema.Json"/>).
    /// </summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJsonSchema() => new()
    {
        ["uri"] = Uri,
        ["description"] = Description,
        ["domain"] = Domain,
        ["version"] = Version,
        ["metadata"] = JsonNodes.From(Metadata),
        ["accepts"] = ExportAccepts(),
        ["systemError"] = ExportSystemError(),
        ["emits"] = ExportEmits(),
    };

    /// <summary>The dataschema, <c>&lt;uri&gt;/&lt;version&gt;</c>.</summary>
    public override string ToString() => Dataschema;

    internal JsonObject ExportAccepts() => Export(Accepts.Type, Accepts.Schema);

    internal JsonObject ExportSystemError() => Export(SystemError.Type, SystemError.Schema);

    internal JsonArray ExportEmits() => [.. EmitList.Select(emit => (JsonNode)Export(emit.Type, emit.Schema))];

    private static JsonObject Export(string type, ArvoSchema schema) => new()
    {
        ["type"] = type,
        ["schema"] = JsonNodes.From(schema.Json),
    };
}
