using System.Text.Json;
using Arvo.Internal;

namespace Arvo.Subjects;

/// <summary>
/// The <c>execution</c> object of an orchestration subject: the identity of one workflow instance,
/// who started it and in which domain.
/// </summary>
/// <remarks>
/// Immutable. Values are not validated here; <see cref="ArvoOrchestrationSubject.Create"/> validates
/// them, and <see cref="ArvoOrchestrationSubject.Parse"/> only returns valid content.
/// </remarks>
public sealed class ArvoSubjectExecution
{
    /// <summary>Creates the object.</summary>
    /// <param name="id">The execution id: non-empty, no <c>;</c> (a UUID v4 when generated).</param>
    /// <param name="initiator">The reverse-DNS type of whoever started the execution; completion and system-error events go back to it.</param>
    /// <param name="domain">The execution domain (<c>^[a-z0-9.]+$</c>), or null.</param>
    /// <param name="additionalProperties">Extra keys to write after <c>id</c>, <c>initiator</c> and <c>domain</c>, in order (cloned).</param>
    /// <exception cref="ArgumentException">An extra key is null, <c>id</c>, <c>initiator</c> or <c>domain</c>, or a value is undefined.</exception>
    public ArvoSubjectExecution(string id, string initiator, string? domain = null, IEnumerable<KeyValuePair<string, JsonElement>>? additionalProperties = null)
        : this(id, initiator, domain, SubjectExtras.Copy(additionalProperties, SubjectExtras.ExecutionKeys, nameof(additionalProperties)))
    {
    }

    internal ArvoSubjectExecution(string id, string initiator, string? domain, OrderedDictionary<string, JsonElement> additionalProperties)
    {
        Id = id;
        Initiator = initiator;
        Domain = domain;
        AdditionalEntries = additionalProperties;
        AdditionalProperties = SubjectExtras.ReadOnly(additionalProperties);
    }

    /// <summary>The execution id (<c>execution.id</c>); also what makes every subject unique.</summary>
    public string Id { get; }

    /// <summary>The initiator's reverse-DNS type (<c>execution.initiator</c>).</summary>
    public string Initiator { get; }

    /// <summary>
    /// The execution domain (<c>execution.domain</c>), or null. Also null for an arvo-core 2.x subject
    /// read with <see cref="ArvoSubjectCompatibility.Lenient"/>.
    /// </summary>
    public string? Domain { get; }

    /// <summary>Keys of the <c>execution</c> object other than <c>id</c>, <c>initiator</c> and <c>domain</c>, in insertion order.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; }

    /// <summary>The entries of <see cref="AdditionalProperties"/> (never modified once the object is built).</summary>
    internal OrderedDictionary<string, JsonElement> AdditionalEntries { get; }
}
