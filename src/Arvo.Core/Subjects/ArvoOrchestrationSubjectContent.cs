using System.Text;
using System.Text.Json;
using Arvo.Internal;

namespace Arvo.Subjects;

/// <summary>
/// The decoded content of an orchestration subject (wire-format.md section 9.1):
/// <c>{"orchestrator":{"name","version"},"execution":{"id","initiator","domain"},"meta":{…}}</c>,
/// plus any extra keys, which are preserved as raw JSON so that re-encoding writes them back.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Values are not validated by the constructors;
/// <see cref="ArvoOrchestrationSubject.Create"/> validates them, and
/// <see cref="ArvoOrchestrationSubject.Parse"/> only returns valid content.
/// </remarks>
public sealed class ArvoOrchestrationSubjectContent
{
    /// <summary>Creates the content.</summary>
    /// <param name="orchestrator">The <c>orchestrator</c> object.</param>
    /// <param name="execution">The <c>execution</c> object.</param>
    /// <param name="meta">
    /// The <c>meta</c> map, copied in enumeration order; a repeated key keeps its first position and its
    /// last value (as when assigning to a JavaScript object). Null means empty.
    /// </param>
    /// <param name="additionalProperties">Extra top-level keys, written after <c>meta</c> in order (cloned).</param>
    /// <exception cref="ArgumentNullException"><paramref name="orchestrator"/> or <paramref name="execution"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A meta key is null, or an extra key is null, <c>orchestrator</c>, <c>execution</c> or <c>meta</c>,
    /// or an extra value is undefined.
    /// </exception>
    public ArvoOrchestrationSubjectContent(
        ArvoSubjectOrchestrator orchestrator,
        ArvoSubjectExecution execution,
        IEnumerable<KeyValuePair<string, string>>? meta = null,
        IEnumerable<KeyValuePair<string, JsonElement>>? additionalProperties = null)
        : this(
            orchestrator ?? throw new ArgumentNullException(nameof(orchestrator)),
            execution ?? throw new ArgumentNullException(nameof(execution)),
            SubjectExtras.CopyMeta(meta, nameof(meta)),
            SubjectExtras.Copy(additionalProperties, SubjectExtras.RootKeys, nameof(additionalProperties)))
    {
    }

    internal ArvoOrchestrationSubjectContent(
        ArvoSubjectOrchestrator orchestrator,
        ArvoSubjectExecution execution,
        OrderedDictionary<string, string> meta,
        OrderedDictionary<string, JsonElement> additionalProperties)
    {
        Orchestrator = orchestrator;
        Execution = execution;
        MetaEntries = meta;
        Meta = SubjectExtras.ReadOnly(meta);
        AdditionalEntries = additionalProperties;
        AdditionalProperties = SubjectExtras.ReadOnly(additionalProperties);
    }

    /// <summary>The <c>orchestrator</c> object.</summary>
    public ArvoSubjectOrchestrator Orchestrator { get; }

    /// <summary>The <c>execution</c> object.</summary>
    public ArvoSubjectExecution Execution { get; }

    /// <summary>
    /// The <c>meta</c> map (string to string), read-only, enumerating in insertion order. Arvo reads
    /// <c>meta.redirectto</c> as the completion target override.
    /// </summary>
    public IReadOnlyDictionary<string, string> Meta { get; }

    /// <summary>Top-level keys other than <c>orchestrator</c>, <c>execution</c> and <c>meta</c>, in insertion order.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; }

    /// <summary>The entries of <see cref="Meta"/> (never modified once the content is built).</summary>
    internal OrderedDictionary<string, string> MetaEntries { get; }

    /// <summary>The entries of <see cref="AdditionalProperties"/> (never modified once the content is built).</summary>
    internal OrderedDictionary<string, JsonElement> AdditionalEntries { get; }

    /// <summary>
    /// The compact JSON text that <see cref="ArvoOrchestrationSubject.Create"/> compresses: keys in the
    /// order <c>orchestrator{name,version,…}</c>, <c>execution{id,initiator,domain,…}</c>, <c>meta</c>,
    /// then the extra top-level keys; non-ASCII text is written unescaped, as <c>JSON.stringify</c> does.
    /// </summary>
    /// <exception cref="ArvoOrchestrationSubjectException">
    /// The content cannot be written as JSON (a string with a lone surrogate, nesting deeper than
    /// <see cref="ArvoSubjectOptions.MaxJsonDepth"/>).
    /// </exception>
    public string ToJsonString() => Encoding.UTF8.GetString(SubjectCodec.WriteJson(this));
}
