using System.Text.Json;
using System.Text.Json.Serialization;
using Arvo.Contracts;
using Arvo.Events;
using Arvo.Internal;

namespace Arvo;

/// <summary>
/// An Arvo event: a CloudEvents 1.0 event (structured JSON mode) with the Arvo/OpenTelemetry extension
/// attributes <c>to</c>, <c>accesscontrol</c>, <c>redirectto</c>, <c>executionunits</c>,
/// <c>traceparent</c>, <c>tracestate</c>, <c>parentid</c> and <c>domain</c>, plus optional custom
/// extensions. Immutable, validated at construction and safe to share between threads.
/// </summary>
/// <remarks>
/// <para>
/// There are two ways to obtain an event:
/// </para>
/// <list type="bullet">
/// <item><description>
/// <see cref="Create(ArvoEventInit, ArvoEventCreationOptions?)"/>, the reference's <c>createArvoEvent</c>:
/// fills in defaults (id, spec version, content type, time, <c>to</c>) and URI-encodes <c>source</c>,
/// <c>subject</c>, <c>to</c>, <c>redirectto</c>, <c>dataschema</c> and <c>parentid</c>.
/// </description></item>
/// <item><description>
/// The constructor, the strict path a reader uses: values are taken exactly as given and validated.
/// </description></item>
/// </list>
/// <para>
/// Validation (wire-format.md section 2) failures throw <see cref="ArvoEventValidationException"/> naming
/// the attribute. Derive modified copies with the <c>With…</c> methods, which re-validate. JSON goes
/// through <see cref="ArvoEventJson"/> (also used by <see cref="JsonSerializer"/> through
/// <see cref="ArvoEventJsonConverter"/>); CloudNative.CloudEvents interop through
/// <see cref="ToCloudEvent"/> and <see cref="FromCloudEvent(CloudNative.CloudEvents.CloudEvent)"/>.
/// </para>
/// <para>
/// Equality is by value: all attributes (ordinal string comparison), <see cref="Data"/> by JSON deep
/// equality and <see cref="Extensions"/> by name and value regardless of order.
/// </para>
/// </remarks>
[JsonConverter(typeof(ArvoEventJsonConverter))]
public sealed partial class ArvoEvent : IEquatable<ArvoEvent>
{
    /// <summary>The Arvo content type, <c>application/cloudevents+json;charset=UTF-8;profile=arvo</c>; with it, <c>to</c> is mandatory.</summary>
    public const string ArvoContentType = "application/cloudevents+json;charset=UTF-8;profile=arvo";

    /// <summary>The only accepted CloudEvents spec version, <c>1.0</c>.</summary>
    public const string DefaultSpecVersion = "1.0";

    private readonly ArvoExtensionCollection _extensions;

    /// <summary>
    /// Creates an event from exact attribute values (no defaults besides the two parameters that have
    /// them, no URI encoding) and validates it. Use <see cref="Create(ArvoEventInit, ArvoEventCreationOptions?)"/>
    /// to create a new event with the reference's defaults.
    /// </summary>
    /// <param name="id">The event id; non-empty.</param>
    /// <param name="source">The producer; non-empty and URI-valid (wire-format.md section 3).</param>
    /// <param name="type">The event type; <c>^[a-z0-9]+(\.[a-z0-9]+)+\.[a-z0-9]+$</c>.</param>
    /// <param name="subject">The process id; non-empty and URI-valid.</param>
    /// <param name="data">The payload; a JSON object. It is cloned, so the caller may dispose its document.</param>
    /// <param name="time">The creation time: an RFC 3339 date-time with an offset, kept verbatim.</param>
    /// <param name="to">The recipient; null or non-empty and URI-valid; mandatory when <paramref name="dataContentType"/> is <see cref="ArvoContentType"/>.</param>
    /// <param name="dataContentType">Must contain <c>application/cloudevents+json</c> or <c>application/json</c>; defaults to <see cref="ArvoContentType"/>.</param>
    /// <param name="specVersion">Must be <c>1.0</c>.</param>
    /// <param name="dataSchema">Null, or non-empty and URI-valid (usually <c>&lt;contract uri&gt;/&lt;version&gt;</c>).</param>
    /// <param name="accessControl">Null or non-empty.</param>
    /// <param name="redirectTo">Null, or non-empty and URI-valid.</param>
    /// <param name="executionUnits">Null or any finite number (0, negative and fractional values are allowed).</param>
    /// <param name="traceParent">Null or non-empty (the format is not checked).</param>
    /// <param name="traceState">Null or non-empty.</param>
    /// <param name="parentId">Null or non-empty.</param>
    /// <param name="domain">Null, or non-empty matching <c>^[a-z0-9.]+$</c>.</param>
    /// <param name="extensions">Custom extensions: names <c>^[a-z0-9]+$</c> that are not reserved (<see cref="ArvoEventAttributeNames.IsReserved"/>), primitive values.</param>
    /// <exception cref="ArvoEventValidationException">An attribute breaks the rules.</exception>
    public ArvoEvent(
        string id,
        string source,
        string type,
        string subject,
        JsonElement data,
        string time,
        string? to = null,
        string dataContentType = ArvoContentType,
        string specVersion = DefaultSpecVersion,
        string? dataSchema = null,
        string? accessControl = null,
        string? redirectTo = null,
        double? executionUnits = null,
        string? traceParent = null,
        string? traceState = null,
        string? parentId = null,
        string? domain = null,
        IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        Id = id;
        Source = source;
        SpecVersion = specVersion;
        Type = type;
        Subject = subject;
        DataContentType = dataContentType;
        DataSchema = dataSchema;
        Data = OwnData(data);
        Time = time;
        To = to;
        AccessControl = accessControl;
        RedirectTo = redirectTo;
        ExecutionUnits = executionUnits;
        TraceParent = traceParent;
        TraceState = traceState;
        ParentId = parentId;
        Domain = domain;
        _extensions = ArvoExtensionCollection.Create(extensions);
        Validate();
    }

    // Used by the reader and the factory: data is already owned, extensions already validated.
    private ArvoEvent(ref ArvoEventFields fields, ArvoExtensionCollection extensions)
    {
        Id = fields.Id!;
        Source = fields.Source!;
        SpecVersion = fields.SpecVersion!;
        Type = fields.Type!;
        Subject = fields.Subject!;
        DataContentType = fields.DataContentType!;
        DataSchema = fields.DataSchema;
        Data = fields.Data;
        Time = fields.Time!;
        To = fields.To;
        AccessControl = fields.AccessControl;
        RedirectTo = fields.RedirectTo;
        ExecutionUnits = fields.ExecutionUnits;
        TraceParent = fields.TraceParent;
        TraceState = fields.TraceState;
        ParentId = fields.ParentId;
        Domain = fields.Domain;
        _extensions = extensions;
        Validate();
    }

    // Copy constructor for the With… methods (followed by an object initializer and Validate()).
    private ArvoEvent(ArvoEvent other)
    {
        Id = other.Id;
        Source = other.Source;
        SpecVersion = other.SpecVersion;
        Type = other.Type;
        Subject = other.Subject;
        DataContentType = other.DataContentType;
        DataSchema = other.DataSchema;
        Data = other.Data;
        Time = other.Time;
        To = other.To;
        AccessControl = other.AccessControl;
        RedirectTo = other.RedirectTo;
        ExecutionUnits = other.ExecutionUnits;
        TraceParent = other.TraceParent;
        TraceState = other.TraceState;
        ParentId = other.ParentId;
        Domain = other.Domain;
        _extensions = other._extensions;
    }

    /// <summary>The event id (<c>id</c>).</summary>
    public string Id { get; private init; }

    /// <summary>The producer (<c>source</c>), a URI-valid string compared exactly.</summary>
    public string Source { get; private init; }

    /// <summary>The CloudEvents spec version (<c>specversion</c>), always <c>1.0</c>.</summary>
    public string SpecVersion { get; private init; }

    /// <summary>The event type (<c>type</c>), e.g. <c>com.hello.world</c>.</summary>
    public string Type { get; private init; }

    /// <summary>The process id (<c>subject</c>); an orchestration subject for orchestrated events.</summary>
    public string Subject { get; private init; }

    /// <summary>The content type (<c>datacontenttype</c>), usually <see cref="ArvoContentType"/>.</summary>
    public string DataContentType { get; private init; }

    /// <summary>The data schema (<c>dataschema</c>), usually <c>&lt;contract uri&gt;/&lt;version&gt;</c>, or null.</summary>
    public string? DataSchema { get; private init; }

    /// <summary>
    /// The payload (<c>data</c>): a JSON object owned by the event (read-only, safe to read from any thread
    /// and valid for the event's lifetime). Use <see cref="GetData{T}(JsonSerializerOptions?)"/> to deserialize it.
    /// </summary>
    public JsonElement Data { get; private init; }

    /// <summary>The creation time (<c>time</c>), exactly as written (never re-formatted).</summary>
    public string Time { get; private init; }

    /// <summary>The recipient (<c>to</c>), or null (only allowed when the content type is not <see cref="ArvoContentType"/>).</summary>
    public string? To { get; private init; }

    /// <summary>Access-control information (<c>accesscontrol</c>), or null.</summary>
    public string? AccessControl { get; private init; }

    /// <summary>Where the response should go instead of <see cref="Source"/> (<c>redirectto</c>), or null.</summary>
    public string? RedirectTo { get; private init; }

    /// <summary>The cost of producing the event (<c>executionunits</c>), any finite number, or null.</summary>
    public double? ExecutionUnits { get; private init; }

    /// <summary>The W3C trace-context <c>traceparent</c> header, or null.</summary>
    public string? TraceParent { get; private init; }

    /// <summary>The W3C trace-context <c>tracestate</c> header, or null.</summary>
    public string? TraceState { get; private init; }

    /// <summary>The id of the event that caused this one (<c>parentid</c>), or null.</summary>
    public string? ParentId { get; private init; }

    /// <summary>The routing domain (<c>domain</c>), or null for the default domain.</summary>
    public string? Domain { get; private init; }

    /// <summary>
    /// The custom extension attributes, in the order they were given: read-only, names matching
    /// <c>^[a-z0-9]+$</c>, values <see cref="string"/>, <see cref="bool"/>, <see cref="double"/> (every number,
    /// following the JavaScript number model) or null. Does not contain the eight Arvo/OpenTelemetry attributes.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Extensions => _extensions;

    internal ArvoExtensionCollection ExtensionCollection => _extensions;

    /// <summary>Deserializes <see cref="Data"/>.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="options">
    /// Serializer options; defaults to <see cref="ArvoJson.DefaultSerializerOptions"/> (camelCase, case-insensitive, enums as
    /// camelCase strings), the options <see cref="Create(ArvoEventInit, ArvoEventCreationOptions?)"/> and
    /// <see cref="ArvoSchema.FromType{T}"/> use by default.
    /// </param>
    /// <exception cref="JsonException">The data does not fit <typeparamref name="T"/>.</exception>
    public T? GetData<T>(JsonSerializerOptions? options = null) => Data.Deserialize<T>(options ?? ArvoJson.DefaultSerializerOptions);

    /// <summary>
    /// True when this is a system error event: its <c>type</c> is <c>sys.&lt;contract type&gt;.error</c>
    /// (<see cref="ArvoContractSystemError.Type"/>).
    /// </summary>
    public bool IsSystemError =>
        Type.StartsWith(SystemErrorPrefix, StringComparison.Ordinal) && Type.EndsWith(SystemErrorSuffix, StringComparison.Ordinal)
        && Type.Length > SystemErrorPrefix.Length + SystemErrorSuffix.Length;

    /// <summary>
    /// Reads the data of a system error event as <see cref="ArvoSystemErrorData"/>, e.g. in a machine guard
    /// (<c>evt.GetSystemErrorData()?.ErrorMessage</c>) or a resumable handler (<c>context.Service?.GetSystemErrorData()</c>).
    /// </summary>
    /// <returns>
    /// The error data, or null when this is not a system error event (<see cref="IsSystemError"/> is false). Absent names and
    /// messages read as empty strings (see <see cref="ArvoSystemErrorData"/>).
    /// </returns>
    /// <exception cref="JsonException"><c>errorName</c>, <c>errorMessage</c> or <c>errorStack</c> holds a value that is neither a string nor null.</exception>
    public ArvoSystemErrorData? GetSystemErrorData() => IsSystemError ? Data.Deserialize<ArvoSystemErrorData>() : null;

    /// <summary>A copy with another <c>id</c> (taken verbatim).</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithId(string id) => new ArvoEvent(this) { Id = id }.Validated();

    /// <summary>A copy with another <c>source</c> (taken verbatim, not URI-encoded).</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithSource(string source) => new ArvoEvent(this) { Source = source }.Validated();

    /// <summary>A copy with another <c>type</c>.</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithType(string type) => new ArvoEvent(this) { Type = type }.Validated();

    /// <summary>A copy with another <c>subject</c> (taken verbatim, not URI-encoded).</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithSubject(string subject) => new ArvoEvent(this) { Subject = subject }.Validated();

    /// <summary>A copy with another <c>datacontenttype</c>.</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid (or makes the null <c>to</c> invalid).</exception>
    public ArvoEvent WithDataContentType(string dataContentType) => new ArvoEvent(this) { DataContentType = dataContentType }.Validated();

    /// <summary>A copy with another <c>dataschema</c> (taken verbatim).</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithDataSchema(string? dataSchema) => new ArvoEvent(this) { DataSchema = dataSchema }.Validated();

    /// <summary>A copy with other <c>data</c> (a JSON object; cloned).</summary>
    /// <exception cref="ArvoEventValidationException">The value is not a JSON object.</exception>
    public ArvoEvent WithData(JsonElement data) => new ArvoEvent(this) { Data = OwnData(data) }.Validated();

    /// <summary>A copy with another <c>time</c> (kept verbatim).</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithTime(string time) => new ArvoEvent(this) { Time = time }.Validated();

    /// <summary>A copy with another <c>to</c> (taken verbatim, not URI-encoded).</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithTo(string? to) => new ArvoEvent(this) { To = to }.Validated();

    /// <summary>A copy with another <c>accesscontrol</c>.</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithAccessControl(string? accessControl) => new ArvoEvent(this) { AccessControl = accessControl }.Validated();

    /// <summary>A copy with another <c>redirectto</c> (taken verbatim, not URI-encoded).</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithRedirectTo(string? redirectTo) => new ArvoEvent(this) { RedirectTo = redirectTo }.Validated();

    /// <summary>A copy with another <c>executionunits</c>.</summary>
    /// <exception cref="ArvoEventValidationException">The value is not finite.</exception>
    public ArvoEvent WithExecutionUnits(double? executionUnits) => new ArvoEvent(this) { ExecutionUnits = executionUnits }.Validated();

    /// <summary>A copy with other trace-context headers (<c>traceparent</c>, <c>tracestate</c>).</summary>
    /// <exception cref="ArvoEventValidationException">A value is empty.</exception>
    public ArvoEvent WithTraceContext(string? traceParent, string? traceState) =>
        new ArvoEvent(this) { TraceParent = traceParent, TraceState = traceState }.Validated();

    /// <summary>A copy with another <c>parentid</c> (taken verbatim).</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithParentId(string? parentId) => new ArvoEvent(this) { ParentId = parentId }.Validated();

    /// <summary>A copy with another <c>domain</c>.</summary>
    /// <exception cref="ArvoEventValidationException">The value is invalid.</exception>
    public ArvoEvent WithDomain(string? domain) => new ArvoEvent(this) { Domain = domain }.Validated();

    /// <summary>A copy whose custom extensions are replaced by <paramref name="extensions"/> (null: none).</summary>
    /// <exception cref="ArvoEventValidationException">A name or value is invalid.</exception>
    public ArvoEvent WithExtensions(IEnumerable<KeyValuePair<string, object?>>? extensions) =>
        new ArvoEvent(this) { ExtensionsInit = ArvoExtensionCollection.Create(extensions) }.Validated();

    /// <summary>A copy with one custom extension set (replaced in place when present, appended otherwise).</summary>
    /// <exception cref="ArvoEventValidationException">The name or value is invalid.</exception>
    public ArvoEvent WithExtension(string name, object? value) =>
        new ArvoEvent(this) { ExtensionsInit = _extensions.With(name, value) }.Validated();

    /// <summary>A copy without the custom extension <paramref name="name"/> (this instance when it is absent).</summary>
    public ArvoEvent WithoutExtension(string name)
    {
        var extensions = _extensions.Without(name);
        return ReferenceEquals(extensions, _extensions) ? this : new ArvoEvent(this) { ExtensionsInit = extensions };
    }

    /// <summary>
    /// The OpenTelemetry attribute view (wire-format.md section 7), in this order:
    /// <c>cloudevents.event_id</c>, <c>…event_source</c>, <c>…event_spec_version</c>, <c>…event_subject</c>,
    /// <c>…event_type</c>, <c>…event_time</c>, <c>…event_datacontenttype</c>, <c>…event_dataschema</c>,
    /// <c>cloudevents.arvo.event_redirectto</c>, <c>…event_to</c>, <c>…event_executionunits</c>,
    /// <c>…event_parentid</c>, <c>…event_domain</c>. Null values become the string <c>N/A</c>;
    /// <c>executionunits</c> is a boxed <see cref="double"/> when set.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, object>> GetOtelAttributes() =>
    [
        new("cloudevents.event_id", Id),
        new("cloudevents.event_source", Source),
        new("cloudevents.event_spec_version", SpecVersion),
        new("cloudevents.event_subject", Subject),
        new("cloudevents.event_type", Type),
        new("cloudevents.event_time", Time),
        new("cloudevents.event_datacontenttype", DataContentType),
        new("cloudevents.event_dataschema", DataSchema ?? NotAvailable),
        new("cloudevents.arvo.event_redirectto", RedirectTo ?? NotAvailable),
        new("cloudevents.arvo.event_to", To ?? NotAvailable),
        new("cloudevents.arvo.event_executionunits", ExecutionUnits is { } units ? units : NotAvailable),
        new("cloudevents.arvo.event_parentid", ParentId ?? NotAvailable),
        new("cloudevents.arvo.event_domain", Domain ?? NotAvailable),
    ];

    /// <summary>The structured-mode JSON text (see <see cref="ArvoEventJson.Serialize"/>).</summary>
    /// <param name="indented">Indent the output (the reference's <c>toString(2)</c>); compact by default.</param>
    public string ToJson(bool indented = false) => ArvoEventJson.Serialize(this, indented);

    /// <summary>Writes the structured-mode JSON object (see <see cref="ArvoEventJson.Write"/>).</summary>
    /// <param name="writer">The destination.</param>
    public void WriteTo(Utf8JsonWriter writer) => ArvoEventJson.Write(writer, this);

    /// <summary>The compact structured-mode JSON text, like the reference's <c>toString()</c>.</summary>
    public override string ToString() => ToJson();

    /// <inheritdoc />
    public bool Equals(ArvoEvent? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null &&
            string.Equals(Id, other.Id, StringComparison.Ordinal) &&
            string.Equals(Source, other.Source, StringComparison.Ordinal) &&
            string.Equals(SpecVersion, other.SpecVersion, StringComparison.Ordinal) &&
            string.Equals(Type, other.Type, StringComparison.Ordinal) &&
            string.Equals(Subject, other.Subject, StringComparison.Ordinal) &&
            string.Equals(DataContentType, other.DataContentType, StringComparison.Ordinal) &&
            string.Equals(DataSchema, other.DataSchema, StringComparison.Ordinal) &&
            string.Equals(Time, other.Time, StringComparison.Ordinal) &&
            string.Equals(To, other.To, StringComparison.Ordinal) &&
            string.Equals(AccessControl, other.AccessControl, StringComparison.Ordinal) &&
            string.Equals(RedirectTo, other.RedirectTo, StringComparison.Ordinal) &&
            ExecutionUnits == other.ExecutionUnits &&
            string.Equals(TraceParent, other.TraceParent, StringComparison.Ordinal) &&
            string.Equals(TraceState, other.TraceState, StringComparison.Ordinal) &&
            string.Equals(ParentId, other.ParentId, StringComparison.Ordinal) &&
            string.Equals(Domain, other.Domain, StringComparison.Ordinal) &&
            _extensions.ContentEquals(other._extensions) &&
            JsonElement.DeepEquals(Data, other.Data);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ArvoEvent);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Source, Type, Subject, Time);

    private const string NotAvailable = "N/A";
    private const string SystemErrorPrefix = "sys.";
    private const string SystemErrorSuffix = ".error";

    private ArvoExtensionCollection ExtensionsInit
    {
        init => _extensions = value;
    }

    private ArvoEvent Validated()
    {
        Validate();
        return this;
    }

    private static JsonElement OwnData(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw ArvoEventValidation.DataNotObject(data.ValueKind, data.ValueKind == JsonValueKind.Undefined ? null : data);
        }

        ArvoEventValidation.CheckData(data, maxDepth: 0);
        return data.Clone();
    }

    private void Validate() => ArvoEventValidation.Validate(this);
}
