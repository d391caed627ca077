using System.Text.Json;
using Arvo.Internal;

namespace Arvo.Subjects;

/// <summary>
/// The <c>orchestrator</c> object of an orchestration subject: which orchestrator, at which version,
/// runs the workflow instance.
/// </summary>
/// <remarks>
/// Immutable. Values are not validated here; <see cref="ArvoOrchestrationSubject.Create"/> validates
/// them, and <see cref="ArvoOrchestrationSubject.Parse"/> only returns valid content.
/// </remarks>
public sealed class ArvoSubjectOrchestrator
{
    /// <summary>Creates the object.</summary>
    /// <param name="name">The orchestrator's reverse-DNS type, e.g. <c>arvo.orc.counter</c>.</param>
    /// <param name="version">The orchestrator's semantic version; <c>0.0.0</c> is the wildcard.</param>
    /// <param name="additionalProperties">Extra keys to write after <c>name</c> and <c>version</c>, in order (cloned).</param>
    /// <exception cref="ArgumentException">An extra key is null, <c>name</c> or <c>version</c>, or a value is undefined.</exception>
    public ArvoSubjectOrchestrator(string name, string version, IEnumerable<KeyValuePair<string, JsonElement>>? additionalProperties = null)
        : this(name, version, SubjectExtras.Copy(additionalProperties, SubjectExtras.OrchestratorKeys, nameof(additionalProperties)))
    {
    }

    internal ArvoSubjectOrchestrator(string name, string version, OrderedDictionary<string, JsonElement> additionalProperties)
    {
        Name = name;
        Version = version;
        AdditionalEntries = additionalProperties;
        AdditionalProperties = SubjectExtras.ReadOnly(additionalProperties);
    }

    /// <summary>The orchestrator's reverse-DNS type (<c>orchestrator.name</c>).</summary>
    public string Name { get; }

    /// <summary>The orchestrator's semantic version (<c>orchestrator.version</c>), e.g. <c>1.0.0</c>.</summary>
    public string Version { get; }

    /// <summary>Keys of the <c>orchestrator</c> object other than <c>name</c> and <c>version</c>, in insertion order.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; }

    /// <summary>The entries of <see cref="AdditionalProperties"/> (never modified once the object is built).</summary>
    internal OrderedDictionary<string, JsonElement> AdditionalEntries { get; }
}
