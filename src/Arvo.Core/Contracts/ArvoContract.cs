using System.Collections.Frozen;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Contracts;
using Arvo.Internal;

namespace Arvo;

/// <summary>
/// A versioned service contract: the one event type a service accepts and the event types it may
/// emit, with their data schemas, per semantic version (reference <c>ArvoContract</c>).
/// Immutable and thread-safe; build one with <see cref="Create"/>, <see cref="CreateSimple"/> or
/// <see cref="CreateOrchestrator"/>.
/// </summary>
/// <remarks>
/// Every version gets one <see cref="VersionedArvoContract"/> view, created with the contract, so
/// <see cref="Version"/> does not allocate. Orchestrator contracts are the subclass
/// <see cref="ArvoOrchestratorContract"/> (test with <see cref="IsOrchestrator"/>); no other subclass can exist.
/// </remarks>
/// <example>
/// <code>
/// var contract = ArvoContract.Create("#/test/service/increment", "com.number.increment", c => c
///     .Version("0.0.1", v => v
///         .Accepts("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
///         .Emits("evt.number.increment.success", ArvoSchema.FromType&lt;IncrementResult&gt;())));
/// </code>
/// </example>
public class ArvoContract
{
    private const string LatestOption = "latest";
    private const string AnyOption = "any";
    private const string OldestOption = "oldest";
    private const string OrchestratorNameRule =
        "The 'name' must be lowercase letters and digits, in one or more segments separated by single dots, e.g. test.orchestrator or payment.";

    private readonly FrozenDictionary<string, VersionedArvoContract> _byVersion;
    private readonly string[] _ascending;
    private readonly string[] _descending;

    private protected ArvoContract(ContractDefinition definition)
    {
        Uri = definition.Uri;
        Type = definition.Type;
        Domain = definition.Domain;
        Description = definition.Description;
        Validate(definition);

        Metadata = JsonSerializer.SerializeToElement(definition.Metadata);
        SystemError = new ArvoContractSystemError(
            $"sys.{Type}.error", ArvoSchema.SystemError, ArvoDataschema.Create(Uri, ArvoSemanticVersion.Wildcard));
        Versions = [.. definition.Versions.Select(version => new VersionedArvoContract(this, version.Version, version.Accepts!, version.Emits!))];
        _byVersion = Versions.ToFrozenDictionary(version => version.Version, StringComparer.Ordinal);
        var ordered = Versions.OrderBy(version => ArvoSemanticVersion.Parse(version.Version)).ToArray();
        Oldest = ordered[0];
        Latest = ordered[^1];
        _ascending = [.. ordered.Select(version => version.Version)];
        _descending = [.. _ascending.Reverse()];
    }

    /// <summary>The contract's identity, e.g. <c>#/test/service/increment</c>; non-empty and URI-valid.</summary>
    public string Uri { get; }

    /// <summary>The accepted event type, e.g. <c>com.number.increment</c>.</summary>
    public string Type { get; }

    /// <summary>The default domain of emitted events, or null.</summary>
    public string? Domain { get; }

    /// <summary>The description, or null.</summary>
    public string? Description { get; }

    /// <summary>
    /// The metadata, a read-only JSON object (<c>{}</c> by default). Simple and orchestrator contracts carry
    /// <c>contractType</c> and <c>rootType</c>; orchestrator contracts also <c>initEventType</c> and <c>completeEventType</c>.
    /// </summary>
    public JsonElement Metadata { get; }

    /// <summary>The system error event, <c>sys.&lt;type&gt;.error</c>, the same for every version.</summary>
    public ArvoContractSystemError SystemError { get; }

    /// <summary>Every version, in declaration order.</summary>
    public IReadOnlyList<VersionedArvoContract> Versions { get; }

    /// <summary>The highest version (numeric semantic-version order).</summary>
    public VersionedArvoContract Latest { get; }

    /// <summary>The lowest version (numeric semantic-version order).</summary>
    public VersionedArvoContract Oldest { get; }

    /// <summary>True for an <see cref="ArvoOrchestratorContract"/>.</summary>
    public bool IsOrchestrator => this is ArvoOrchestratorContract;

    /// <summary>
    /// Defines a contract (reference <c>createArvoContract</c>), applying the construction rules of
    /// contracts.md 1.1 in order.
    /// </summary>
    /// <param name="uri">The contract uri, e.g. <c>#/test/service/increment</c>.</param>
    /// <param name="type">The accepted event type, e.g. <c>com.number.increment</c>; must not start with <c>arvo.orc</c>.</param>
    /// <param name="configure">Declares domain, description, metadata and versions.</param>
    /// <returns>The contract.</returns>
    /// <exception cref="ArvoContractDefinitionException">A construction rule is broken.</exception>
    /// <exception cref="ArgumentException">A schema given as JSON text cannot be loaded.</exception>
    public static ArvoContract Create(string uri, string type, Action<ArvoContractBuilder<ArvoContractVersionBuilder>> configure)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ArvoContractBuilder<ArvoContractVersionBuilder>(uri, static () => new ArvoContractVersionBuilder());
        configure(builder);
        var versions = builder.Versions
            .Select(entry => new VersionDefinition(entry.Key, entry.Value.AcceptsSchema, entry.Value.EmitsList, "accepts"))
            .ToList();
        return CreatePlain(new ContractDefinition(uri, type, builder.DomainValue, builder.DescriptionValue, builder.MetadataValue, versions));
    }

    /// <summary>
    /// Defines a simple contract (reference <c>createSimpleArvoContract</c>): type <c>com.&lt;type&gt;</c>,
    /// one emitted event <c>evt.&lt;type&gt;.success</c> per version, metadata plus
    /// <c>contractType: "SimpleArvoContract"</c> and <c>rootType: &lt;type&gt;</c> (these two win).
    /// </summary>
    /// <param name="uri">The contract uri.</param>
    /// <param name="type">The root type, e.g. <c>simple.test</c> (contract type <c>com.simple.test</c>).</param>
    /// <param name="configure">Declares domain, description, metadata and versions.</param>
    /// <returns>The contract.</returns>
    /// <exception cref="ArvoContractDefinitionException">A construction rule is broken.</exception>
    /// <exception cref="ArgumentException">A schema given as JSON text cannot be loaded.</exception>
    public static ArvoContract CreateSimple(string uri, string type, Action<ArvoContractBuilder<SimpleArvoContractVersionBuilder>> configure)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(configure);
        if (!ArvoPatterns.IsValidType($"com.{type}"))
        {
            throw new ArvoContractDefinitionException(
                $"In contract (uri={uri}), the simple contract type '{type}' is invalid: it must be two or more segments of lowercase letters and digits separated by single dots, e.g. number.increment (the contract type is com.<type>).",
                uri,
                eventType: $"com.{type}");
        }

        var builder = new ArvoContractBuilder<SimpleArvoContractVersionBuilder>(uri, static () => new SimpleArvoContractVersionBuilder());
        configure(builder);
        var metadata = builder.MetadataValue;
        metadata["contractType"] = "SimpleArvoContract";
        metadata["rootType"] = type;
        var emitType = $"evt.{type}.success";
        var versions = builder.Versions
            .Select(entry => new VersionDefinition(
                entry.Key,
                entry.Value.AcceptsSchema,
                entry.Value.EmitsSchema is { } emits ? [KeyValuePair.Create(emitType, emits)] : null,
                "accepts"))
            .ToList();
        return CreatePlain(new ContractDefinition(uri, $"com.{type}", builder.DomainValue, builder.DescriptionValue, metadata, versions));
    }

    /// <summary>
    /// Defines an orchestrator contract (reference <c>createArvoOrchestratorContract</c>, contracts.md 5):
    /// type <c>arvo.orc.&lt;name&gt;</c>; per version, accepts = the init schema merged with the required
    /// <c>parentSubject$$</c> (<c>string</c> of at least one character, or <c>null</c>) and emits
    /// <c>arvo.orc.&lt;name&gt;.done</c> with the completion schema; metadata plus <c>contractType</c>,
    /// <c>rootType</c>, <c>completeEventType</c> and <c>initEventType</c> (these win).
    /// </summary>
    /// <param name="uri">The contract uri.</param>
    /// <param name="name">
    /// The orchestrator name: lowercase letters and digits in one or more segments separated by single dots, e.g.
    /// <c>test.contract</c> or <c>payment</c> (the type <c>arvo.orc.&lt;name&gt;</c> must be a valid event type).
    /// </param>
    /// <param name="configure">Declares domain, description, metadata and versions.</param>
    /// <returns>The orchestrator contract.</returns>
    /// <exception cref="ArvoContractDefinitionException">
    /// The name is invalid (<c>Invalid 'name' = 'Invalid Type'. The 'name' must be lowercase letters and digits, in one or
    /// more segments separated by single dots, e.g. test.orchestrator or payment.</c>), an init schema is not an object
    /// schema, or a construction rule is broken.
    /// </exception>
    /// <exception cref="ArgumentException">A schema given as JSON text cannot be loaded.</exception>
    public static ArvoOrchestratorContract CreateOrchestrator(string uri, string name, Action<ArvoContractBuilder<ArvoOrchestratorContractVersionBuilder>> configure)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        // The reference checks ^[a-z0-9.]+$ here and leaves empty segments ("a.", "a..b") to the type rule; one check of
        // the name says what is allowed.
        if (!ArvoPatterns.IsValidType(ArvoOrchestratorEventTypes.Init(name)))
        {
            throw new ArvoContractDefinitionException(
                $"Invalid 'name' = '{name}'. {OrchestratorNameRule}", uri, eventType: ArvoOrchestratorEventTypes.Init(name));
        }

        var builder = new ArvoContractBuilder<ArvoOrchestratorContractVersionBuilder>(uri, static () => new ArvoOrchestratorContractVersionBuilder());
        configure(builder);
        var initType = ArvoOrchestratorEventTypes.Init(name);
        var completeType = ArvoOrchestratorEventTypes.Complete(name);
        var metadata = builder.MetadataValue;
        metadata["contractType"] = "ArvoOrchestratorContract";
        metadata["rootType"] = name;
        metadata["completeEventType"] = completeType;
        metadata["initEventType"] = initType;
        var versions = builder.Versions
            .Select(entry => new VersionDefinition(
                entry.Key,
                entry.Value.InitSchema is { } init ? OrchestratorInitSchema.Merge(init, uri, entry.Key) : null,
                entry.Value.CompleteSchema is { } complete ? [KeyValuePair.Create(completeType, complete)] : null,
                "init"))
            .ToList();
        return new ArvoOrchestratorContract(name, new ContractDefinition(uri, initType, builder.DomainValue, builder.DescriptionValue, metadata, versions));
    }

    /// <summary>
    /// Selects a version view: an exact declared version (e.g. <c>0.0.1</c>), <c>latest</c> or <c>any</c>
    /// (the highest), or <c>oldest</c> (the lowest). Does not allocate.
    /// </summary>
    /// <param name="option">The version or option.</param>
    /// <returns>The version view.</returns>
    /// <exception cref="KeyNotFoundException">
    /// No such version (this includes <c>0.0.0</c>): <c>The contract (uri=&lt;uri&gt;) does not have version=&lt;option&gt;</c>.
    /// </exception>
    public VersionedArvoContract Version(string option) =>
        TryGetVersion(option, out var version)
            ? version
            : throw new KeyNotFoundException($"The contract (uri={Uri}) does not have version={option}");

    /// <summary>Like <see cref="Version"/>, without throwing.</summary>
    /// <param name="option">The version or option (<c>latest</c>, <c>any</c>, <c>oldest</c>).</param>
    /// <param name="version">The version view when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGetVersion(string? option, [NotNullWhen(true)] out VersionedArvoContract? version)
    {
        switch (option)
        {
            case null:
                version = null;
                return false;
            case LatestOption or AnyOption:
                version = Latest;
                return true;
            case OldestOption:
                version = Oldest;
                return true;
            default:
                return _byVersion.TryGetValue(option, out version);
        }
    }

    /// <summary>The declared versions in numeric order, e.g. <c>0.0.9, 0.0.10, 1.0.0</c>. Does not allocate.</summary>
    /// <param name="direction">Ascending (the default) or descending.</param>
    /// <returns>The version strings.</returns>
    public IReadOnlyList<string> GetSortedVersionNumbers(ListSortDirection direction = ListSortDirection.Ascending) =>
        direction == ListSortDirection.Descending ? _descending : _ascending;

    /// <summary>
    /// Exports the contract (reference <c>toJsonSchema()</c>): <c>{ uri, domain, description, metadata, versions }</c>,
    /// each version <c>{ domain, version, accepts, systemError, emits, metadata }</c>, in declaration order.
    /// </summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJsonSchema()
    {
        var versions = new JsonArray();
        foreach (var version in Versions)
        {
            versions.Add(new JsonObject
            {
                ["domain"] = Domain,
                ["version"] = version.Version,
                ["accepts"] = version.ExportAccepts(),
                ["systemError"] = version.ExportSystemError(),
                ["emits"] = version.ExportEmits(),
                ["metadata"] = JsonNodes.From(Metadata),
            });
        }

        return new JsonObject
        {
            ["uri"] = Uri,
            ["domain"] = Domain,
            ["description"] = Description,
            ["metadata"] = JsonNodes.From(Metadata),
            ["versions"] = versions,
        };
    }

    /// <summary><c>ArvoContract(uri=…, type=…)</c>.</summary>
    public override string ToString() => $"{GetType().Name}(uri={Uri}, type={Type})";

    private static ArvoContract CreatePlain(ContractDefinition definition)
    {
        // 1.1 step 1 and 2: the reserved orchestrator prefix (plain and simple contracts only).
        if (ArvoOrchestratorEventTypes.IsOrchestratorEventType(definition.Type))
        {
            throw new ArvoContractDefinitionException(
                $"In contract (uri={definition.Uri}), the 'accepts' event (type={definition.Type}) must not start with 'arvo.orc' because this is a reserved pattern for Arvo orchestrators.",
                definition.Uri,
                eventType: definition.Type);
        }

        foreach (var version in definition.Versions)
        {
            foreach (var (emitType, _) in version.Emits ?? [])
            {
                if (ArvoOrchestratorEventTypes.IsOrchestratorEventType(emitType))
                {
                    throw new ArvoContractDefinitionException(
                        $"In contract (uri={definition.Uri}, version={version.Version}), the 'emits' event (type={emitType}) must not start with 'arvo.orc' because this is a reserved pattern for Arvo orchestrators.",
                        definition.Uri,
                        version.Version,
                        emitType);
                }
            }
        }

        return new ArvoContract(definition);
    }

    /// <summary>Construction rules 4 to 8 of contracts.md 1.1, in order.</summary>
    private static void Validate(ContractDefinition definition)
    {
        var uri = definition.Uri;
        if (uri.Length == 0 || !JsUri.IsValid(uri))
        {
            throw new ArvoContractDefinitionException(
                $"The contract uri '{uri}' is invalid: it must be a non-empty, URI-valid string (e.g. #/test/service/increment).", uri);
        }

        if (!ArvoPatterns.IsValidType(definition.Type))
        {
            throw new ArvoContractDefinitionException(
                $"In contract (uri={uri}), the 'accepts' event type '{definition.Type}' is invalid: it must be at least three dot-separated segments of lowercase letters and digits, e.g. com.example.input.",
                uri,
                eventType: definition.Type);
        }

        if (definition.Domain is { } domain && !ArvoPatterns.IsValidDomain(domain))
        {
            throw new ArvoContractDefinitionException(
                $"In contract (uri={uri}), the domain '{domain}' is invalid: it must be null (no domain) or a non-empty string of lowercase letters, digits and dots, e.g. test.domain.", uri);
        }

        var seen = new List<ArvoSemanticVersion>();
        foreach (var version in definition.Versions)
        {
            ValidateVersion(uri, version, seen);
        }

        if (definition.Versions.Count == 0)
        {
            throw new ArvoContractDefinitionException($"An ArvoContract (uri={uri}) must have at least one version", uri);
        }
    }

    private static void ValidateVersion(string uri, VersionDefinition version, List<ArvoSemanticVersion> seen)
    {
        var text = version.Version;
        if (!ArvoSemanticVersion.TryParse(text, out var parsed))
        {
            throw new ArvoContractDefinitionException(
                $"In contract (uri={uri}), the version '{text}' is invalid: it must be a semantic version MAJOR.MINOR.PATCH, e.g. 0.0.1.", uri, text);
        }

        if (parsed.IsWildcard)
        {
            throw new ArvoContractDefinitionException($"For contract (uri={uri}), the version cannot be '0.0.0'. It is a reserved version type.", uri, text);
        }

        if (seen.Contains(parsed))
        {
            throw new ArvoContractDefinitionException(
                $"In contract (uri={uri}), the version '{text}' is declared twice (versions are compared numerically).", uri, text);
        }

        seen.Add(parsed);
        var emitTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (emitType, _) in version.Emits ?? [])
        {
            if (!ArvoPatterns.IsValidType(emitType))
            {
                throw new ArvoContractDefinitionException(
                    $"In contract (uri={uri}, version={text}), the 'emits' event type '{emitType}' is invalid: it must be at least three dot-separated segments of lowercase letters and digits, e.g. evt.example.output.",
                    uri,
                    text,
                    emitType);
            }

            if (!emitTypes.Add(emitType))
            {
                throw new ArvoContractDefinitionException(
                    $"In contract (uri={uri}, version={text}), the 'emits' event (type={emitType}) is declared twice.", uri, text, emitType);
            }
        }

        if (version.Accepts is null)
        {
            throw new ArvoContractDefinitionException(
                $"In contract (uri={uri}, version={text}), no '{version.AcceptsName}' schema was given.", uri, text);
        }

        if (version.Emits is null)
        {
            throw new ArvoContractDefinitionException(
                $"In contract (uri={uri}, version={text}), no '{(version.AcceptsName == "init" ? "complete" : "emits")}' schema was given.", uri, text);
        }
    }

    /// <summary>A contract as declared, before the construction rules are checked.</summary>
    internal sealed record ContractDefinition(
        string Uri,
        string Type,
        string? Domain,
        string? Description,
        JsonObject Metadata,
        IReadOnlyList<VersionDefinition> Versions);

    /// <summary>One declared version; <paramref name="Emits"/> is null when a required emit schema was not given.</summary>
    internal sealed record VersionDefinition(
        string Version,
        ArvoSchema? Accepts,
        IReadOnlyList<KeyValuePair<string, ArvoSchema>>? Emits,
        string AcceptsName);
}
