using System.Diagnostics.CodeAnalysis;
using Arvo.Events;
using Arvo.Internal;
using Arvo.Subjects;

namespace Arvo;

/// <summary>
/// Orchestration subjects (wire-format.md section 9): <c>base64(zlib(UTF-8(JSON(content))))</c>,
/// the subject of every event of a workflow instance and the key of its memory.
/// </summary>
/// <remarks>
/// <para>
/// Writing follows arvo-core 3.0.25: compact JSON in the key order
/// <c>orchestrator{name,version}</c>, <c>execution{id,initiator,domain}</c>, <c>meta</c>, then extra
/// keys; zlib at the default level; standard base64 with padding. The text need not equal the
/// reference's byte for byte; the decoded content does.
/// </para>
/// <para>
/// Reading accepts any valid zlib stream and both base64 alphabets, with or without padding. Input is
/// untrusted and bounded by <see cref="ArvoSubjectOptions"/>. By default
/// (<see cref="ArvoSubjectCompatibility.Lenient"/>) an arvo-core 2.x subject without
/// <c>execution.domain</c> is read with a null domain; arvo-core 3.0.25 rejects it, and so does
/// <see cref="ArvoSubjectCompatibility.Strict"/>.
/// </para>
/// <para>
/// As with <c>JSON.parse</c>, a repeated key takes its last value (meta keys keep their first position).
/// Parsing reads the inflated bytes with <see cref="System.Text.Json.Utf8JsonReader"/> and allocates only
/// the result. All members are thread-safe.
/// </para>
/// </remarks>
public static class ArvoOrchestrationSubject
{
    /// <summary>The version written when none is given: the wildcard <c>0.0.0</c>.</summary>
    public const string WildcardVersion = "0.0.0";

    /// <summary>Validates <paramref name="content"/> and encodes it (reference <c>create</c>).</summary>
    /// <param name="content">The content; extra keys are written back after the known ones.</param>
    /// <param name="options">Limits; null means <see cref="ArvoSubjectOptions.Default"/>.</param>
    /// <returns>The subject string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    /// <exception cref="ArvoOrchestrationSubjectException">
    /// A field breaks a rule of wire-format.md 9.1 (<see cref="ArvoSubjectErrorKind.InvalidContent"/>,
    /// naming the field), or the content or subject would exceed a limit of <paramref name="options"/>.
    /// The message starts with <c>Error creating orchestration subject string from the provided context.</c>
    /// </exception>
    public static string Create(ArvoOrchestrationSubjectContent content, ArvoSubjectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return SubjectCodec.Create(content, options ?? ArvoSubjectOptions.Default);
    }

    /// <summary>
    /// Creates the subject of a new execution (reference <c>new</c>): a fresh execution id, empty meta
    /// unless given.
    /// </summary>
    /// <param name="orchestrator">The orchestrator's reverse-DNS type (<c>orchestrator.name</c>).</param>
    /// <param name="version">The orchestrator version; null means <see cref="WildcardVersion"/>.</param>
    /// <param name="initiator">Who starts the execution (<c>execution.initiator</c>).</param>
    /// <param name="domain">The execution domain, or null.</param>
    /// <param name="meta">The meta entries, in order; null means empty.</param>
    /// <param name="idGenerator">Source of the execution id; null means <see cref="GuidArvoIdGenerator.Instance"/> (UUID v4).</param>
    /// <param name="options">Limits; null means <see cref="ArvoSubjectOptions.Default"/>.</param>
    /// <returns>The subject string.</returns>
    /// <exception cref="ArgumentException">A key of <paramref name="meta"/> is null.</exception>
    /// <exception cref="ArvoOrchestrationSubjectException">As for <see cref="Create"/>.</exception>
    public static string New(
        string orchestrator,
        string? version,
        string initiator,
        string? domain = null,
        IEnumerable<KeyValuePair<string, string>>? meta = null,
        IArvoIdGenerator? idGenerator = null,
        ArvoSubjectOptions? options = null)
    {
        var id = (idGenerator ?? GuidArvoIdGenerator.Instance).NewId();
        var content = new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator(orchestrator, version ?? WildcardVersion, SubjectExtras.NoExtras),
            new ArvoSubjectExecution(id, initiator, domain, SubjectExtras.NoExtras),
            SubjectExtras.CopyMeta(meta, nameof(meta)),
            SubjectExtras.NoExtras);
        return SubjectCodec.Create(content, options ?? ArvoSubjectOptions.Default);
    }

    /// <summary>
    /// Creates the subject of a child execution started by the orchestrator of <paramref name="subject"/>
    /// (reference <c>from</c>).
    /// </summary>
    /// <remarks>
    /// The child's initiator is the parent's <c>orchestrator.name</c>; its domain is
    /// <paramref name="domain"/>, else the parent's <c>execution.domain</c>, else null; its meta is the
    /// parent's meta merged with <paramref name="meta"/> (given keys win; parent keys keep their position).
    /// Extra keys of the parent are not carried over.
    /// </remarks>
    /// <param name="orchestrator">The child orchestrator's reverse-DNS type.</param>
    /// <param name="version">The child orchestrator version; null means <see cref="WildcardVersion"/>.</param>
    /// <param name="subject">The parent subject.</param>
    /// <param name="domain">The child's domain; null inherits the parent's.</param>
    /// <param name="meta">Meta entries to add or override; null adds none.</param>
    /// <param name="idGenerator">Source of the execution id; null means <see cref="GuidArvoIdGenerator.Instance"/>.</param>
    /// <param name="options">Limits and compatibility, for reading the parent and writing the child; null means <see cref="ArvoSubjectOptions.Default"/>.</param>
    /// <returns>The child subject string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is null.</exception>
    /// <exception cref="ArgumentException">A key of <paramref name="meta"/> is null.</exception>
    /// <exception cref="ArvoOrchestrationSubjectException">
    /// The parent cannot be parsed (message prefix <c>Error parsing orchestration subject string to the context.</c>),
    /// or the child content is invalid (as for <see cref="Create"/>).
    /// </exception>
    public static string From(
        string orchestrator,
        string? version,
        string subject,
        string? domain = null,
        IEnumerable<KeyValuePair<string, string>>? meta = null,
        IArvoIdGenerator? idGenerator = null,
        ArvoSubjectOptions? options = null)
    {
        options ??= ArvoSubjectOptions.Default;
        var parent = Parse(subject, options);
        var merged = parent.MetaEntries;
        if (meta is not null)
        {
            merged = new OrderedDictionary<string, string>(parent.MetaEntries, StringComparer.Ordinal);
            SubjectExtras.SetAll(merged, meta, nameof(meta));
        }

        var id = (idGenerator ?? GuidArvoIdGenerator.Instance).NewId();
        var content = new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator(orchestrator, version ?? WildcardVersion, SubjectExtras.NoExtras),
            new ArvoSubjectExecution(id, parent.Orchestrator.Name, domain ?? parent.Execution.Domain, SubjectExtras.NoExtras),
            merged,
            SubjectExtras.NoExtras);
        return SubjectCodec.Create(content, options);
    }

    /// <summary>Decodes and validates a subject (reference <c>parse</c>).</summary>
    /// <param name="subject">The subject string (untrusted).</param>
    /// <param name="options">Limits and compatibility; null means <see cref="ArvoSubjectOptions.Default"/>.</param>
    /// <returns>The content, including extra keys.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is null.</exception>
    /// <exception cref="ArvoOrchestrationSubjectException">
    /// The subject is too long, not base64, not zlib, too large once inflated, not UTF-8 JSON, or its
    /// content breaks a rule of wire-format.md 9.1 (see <see cref="ArvoOrchestrationSubjectException.Kind"/>).
    /// The message starts with <c>Error parsing orchestration subject string to the context.</c>
    /// </exception>
    public static ArvoOrchestrationSubjectContent Parse(string subject, ArvoSubjectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return SubjectCodec.TryParse(subject, options ?? ArvoSubjectOptions.Default, out var content, out var error)
            ? content
            : throw error.ToException(parsing: true);
    }

    /// <summary>Decodes and validates a subject with the default options, without throwing.</summary>
    /// <param name="subject">The subject string (untrusted); null gives false.</param>
    /// <param name="content">The content when the result is true.</param>
    /// <returns>True when <see cref="Parse"/> would succeed.</returns>
    public static bool TryParse([NotNullWhen(true)] string? subject, [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content) =>
        TryParse(subject, null, out content);

    /// <summary>Decodes and validates a subject without throwing.</summary>
    /// <param name="subject">The subject string (untrusted); null gives false.</param>
    /// <param name="options">Limits and compatibility; null means <see cref="ArvoSubjectOptions.Default"/>.</param>
    /// <param name="content">The content when the result is true.</param>
    /// <returns>True when <see cref="Parse"/> would succeed.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] string? subject,
        ArvoSubjectOptions? options,
        [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content)
    {
        if (subject is null)
        {
            content = null;
            return false;
        }

        return SubjectCodec.TryParse(subject, options ?? ArvoSubjectOptions.Default, out content, out _);
    }

    /// <summary>Decodes and validates a subject without throwing, and says why it failed when it does.</summary>
    /// <param name="subject">The subject string (untrusted); null gives false with an error.</param>
    /// <param name="options">Limits and compatibility; null means <see cref="ArvoSubjectOptions.Default"/>.</param>
    /// <param name="content">The content when the result is true.</param>
    /// <param name="error">When the result is false, the exception <see cref="Parse"/> would have thrown (not thrown here).</param>
    /// <returns>True when <see cref="Parse"/> would succeed.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] string? subject,
        ArvoSubjectOptions? options,
        [NotNullWhen(true)] out ArvoOrchestrationSubjectContent? content,
        [NotNullWhen(false)] out Exception? error)
    {
        if (subject is null)
        {
            content = null;
            error = new ArgumentNullException(nameof(subject), "The subject is null.");
            return false;
        }

        if (SubjectCodec.TryParse(subject, options ?? ArvoSubjectOptions.Default, out content, out var failure))
        {
            error = null;
            return true;
        }

        error = failure.ToException(parsing: true);
        return false;
    }

    /// <summary>True when <paramref name="subject"/> parses (reference <c>isValid</c>; <c>""</c>, <c>abc</c> and null are not).</summary>
    /// <param name="subject">The subject string (untrusted).</param>
    /// <param name="options">Limits and compatibility; null means <see cref="ArvoSubjectOptions.Default"/>.</param>
    /// <returns>True when <see cref="Parse"/> would succeed.</returns>
    public static bool IsValid([NotNullWhen(true)] string? subject, ArvoSubjectOptions? options = null) =>
        TryParse(subject, options, out _);
}
