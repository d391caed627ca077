using System.Text.Json.Nodes;

namespace Arvo.Contracts;

/// <summary>
/// Configures a contract inside <see cref="ArvoContract.Create"/>, <see cref="ArvoContract.CreateSimple"/>
/// or <see cref="ArvoContract.CreateOrchestrator"/>; the factory then builds an immutable contract.
/// </summary>
/// <typeparam name="TVersionBuilder">
/// What one version declares: <see cref="ArvoContractVersionBuilder"/>,
/// <see cref="SimpleArvoContractVersionBuilder"/> or <see cref="ArvoOrchestratorContractVersionBuilder"/>.
/// </typeparam>
public sealed class ArvoContractBuilder<TVersionBuilder>
    where TVersionBuilder : class
{
    private readonly string _uri;
    private readonly Func<TVersionBuilder> _createVersion;
    private readonly List<KeyValuePair<string, TVersionBuilder>> _versions = [];
    private readonly JsonObject _metadata = [];

    internal ArvoContractBuilder(string uri, Func<TVersionBuilder> createVersion)
    {
        _uri = uri;
        _createVersion = createVersion;
    }

    internal string? DomainValue { get; private set; }

    internal string? DescriptionValue { get; private set; }

    internal JsonObject MetadataValue => _metadata;

    internal IReadOnlyList<KeyValuePair<string, TVersionBuilder>> Versions => _versions;

    /// <summary>Sets the contract's default event domain; null (the default) for none. If set, it must match <c>^[a-z0-9.]+$</c>.</summary>
    /// <param name="domain">The domain, e.g. <c>test.test</c>.</param>
    /// <returns>This builder.</returns>
    public ArvoContractBuilder<TVersionBuilder> Domain(string? domain)
    {
        DomainValue = domain;
        return this;
    }

    /// <summary>Sets the contract's description; null (the default) for none.</summary>
    /// <param name="description">The description.</param>
    /// <returns>This builder.</returns>
    public ArvoContractBuilder<TVersionBuilder> Description(string? description)
    {
        DescriptionValue = description;
        return this;
    }

    /// <summary>Sets one metadata entry (a copy of <paramref name="value"/> is stored).</summary>
    /// <param name="key">The key, e.g. <c>access</c>.</param>
    /// <param name="value">The JSON value; strings, numbers and booleans convert implicitly.</param>
    /// <returns>This builder.</returns>
    public ArvoContractBuilder<TVersionBuilder> Metadata(string key, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        _metadata[key] = value?.DeepClone();
        return this;
    }

    /// <summary>Sets every entry of <paramref name="metadata"/> (copies are stored).</summary>
    /// <param name="metadata">The entries.</param>
    /// <returns>This builder.</returns>
    public ArvoContractBuilder<TVersionBuilder> Metadata(JsonObject metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        foreach (var (key, value) in metadata)
        {
            _metadata[key] = value?.DeepClone();
        }

        return this;
    }

    /// <summary>Declares a version.</summary>
    /// <param name="version">The semantic version, e.g. <c>0.0.1</c> (not <c>0.0.0</c>).</param>
    /// <param name="configure">Declares the version's schemas.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArvoContractDefinitionException">The version was already declared.</exception>
    public ArvoContractBuilder<TVersionBuilder> Version(string version, Action<TVersionBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(configure);
        if (_versions.Exists(entry => entry.Key == version))
        {
            throw new ArvoContractDefinitionException($"In contract (uri={_uri}), the version '{version}' is declared twice.", _uri, version);
        }

        var builder = _createVersion();
        configure(builder);
        _versions.Add(KeyValuePair.Create(version, builder));
        return this;
    }
}
