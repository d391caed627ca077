using System.Globalization;
using Arvo.Internal;
using CloudNative.CloudEvents;

namespace Arvo.Events;

/// <summary>
/// The Arvo extension attributes for CloudNative.CloudEvents (in the style of the SDK's
/// <c>CloudNative.CloudEvents.Extensions.Partitioning</c>): one <see cref="CloudEventAttribute"/> per
/// attribute, <see cref="AllAttributes"/> for formatters, and <c>Get…</c>/<c>Set…</c> extension methods.
/// </summary>
/// <remarks>
/// <para>
/// Pass <see cref="AllAttributes"/> to the SDK when decoding (for example
/// <c>formatter.DecodeStructuredModeMessage(body, contentType, ArvoCloudEventAttributes.AllAttributes)</c>);
/// the getters also work on events decoded without it, where the SDK stores unknown extensions as strings.
/// </para>
/// <para>
/// Three Arvo values do not fit the SDK's types, so the adapter carries their exact text in extra
/// String-typed extensions (the JSON reader <see cref="ArvoEventJson"/> understands them too, and the
/// names are reserved, see <see cref="ArvoEventAttributeNames.IsReserved"/>):
/// </para>
/// <list type="bullet">
/// <item><description><c>dataschema</c>: the SDK types it as an absolute URI, Arvo uses relative references
/// such as <c>#/test/machine/0.0.1</c>. An absolute URI (with a scheme) goes into
/// <see cref="CloudEvent.DataSchema"/> (formatted back through <see cref="Uri.OriginalString"/>, hence exact);
/// anything else goes into <see cref="DataSchemaTextAttribute"/> (<c>arvodataschema</c>) and
/// <see cref="CloudEvent.DataSchema"/> stays unset.</description></item>
/// <item><description><c>time</c>: the SDK stores a <see cref="DateTimeOffset"/> and re-formats it
/// (<c>2025-01-01T00:00:00.000+00:00</c> becomes <c>2025-01-01T00:00:00Z</c>). <see cref="CloudEvent.Time"/>
/// gets the instant whenever it is representable, and <see cref="TimeTextAttribute"/> (<c>arvotime</c>) keeps
/// the original text whenever the SDK's formatting differs from it.</description></item>
/// <item><description><c>executionunits</c>: CloudEvents integers are 32-bit. A whole number in the
/// <see cref="int"/> range goes into the Integer attribute <see cref="ExecutionUnitsAttribute"/>; any other
/// number (0.5, 1e300) into <see cref="ExecutionUnitsTextAttribute"/> (<c>arvoexecutionunits</c>) as its
/// shortest round-trip JSON number text.</description></item>
/// </list>
/// <para>
/// CloudEvents has no "present but null" attribute: a null Arvo attribute is simply absent.
/// </para>
/// </remarks>
public static class ArvoCloudEventAttributes
{
    /// <summary>Name of the extension carrying a <c>dataschema</c> the SDK cannot hold (a relative reference).</summary>
    public const string DataSchemaTextName = "arvodataschema";

    /// <summary>Name of the extension carrying the exact <c>time</c> text when the SDK would re-format it.</summary>
    public const string TimeTextName = "arvotime";

    /// <summary>Name of the extension carrying a non-integer or out-of-range <c>executionunits</c> as JSON number text.</summary>
    public const string ExecutionUnitsTextName = "arvoexecutionunits";

    /// <summary>The <c>to</c> attribute (String).</summary>
    public static CloudEventAttribute ToAttribute { get; } = CloudEventAttribute.CreateExtension(ArvoEventAttributeNames.To, CloudEventAttributeType.String);

    /// <summary>The <c>accesscontrol</c> attribute (String).</summary>
    public static CloudEventAttribute AccessControlAttribute { get; } = CloudEventAttribute.CreateExtension(ArvoEventAttributeNames.AccessControl, CloudEventAttributeType.String);

    /// <summary>The <c>redirectto</c> attribute (String).</summary>
    public static CloudEventAttribute RedirectToAttribute { get; } = CloudEventAttribute.CreateExtension(ArvoEventAttributeNames.RedirectTo, CloudEventAttributeType.String);

    /// <summary>The <c>executionunits</c> attribute (Integer; used for whole numbers in the <see cref="int"/> range).</summary>
    public static CloudEventAttribute ExecutionUnitsAttribute { get; } = CloudEventAttribute.CreateExtension(ArvoEventAttributeNames.ExecutionUnits, CloudEventAttributeType.Integer);

    /// <summary>The <c>traceparent</c> attribute (String).</summary>
    public static CloudEventAttribute TraceParentAttribute { get; } = CloudEventAttribute.CreateExtension(ArvoEventAttributeNames.TraceParent, CloudEventAttributeType.String);

    /// <summary>The <c>tracestate</c> attribute (String).</summary>
    public static CloudEventAttribute TraceStateAttribute { get; } = CloudEventAttribute.CreateExtension(ArvoEventAttributeNames.TraceState, CloudEventAttributeType.String);

    /// <summary>The <c>parentid</c> attribute (String).</summary>
    public static CloudEventAttribute ParentIdAttribute { get; } = CloudEventAttribute.CreateExtension(ArvoEventAttributeNames.ParentId, CloudEventAttributeType.String);

    /// <summary>The <c>domain</c> attribute (String).</summary>
    public static CloudEventAttribute DomainAttribute { get; } = CloudEventAttribute.CreateExtension(ArvoEventAttributeNames.Domain, CloudEventAttributeType.String);

    /// <summary>The <c>arvodataschema</c> attribute (String): a <c>dataschema</c> that is not an absolute URI.</summary>
    public static CloudEventAttribute DataSchemaTextAttribute { get; } = CloudEventAttribute.CreateExtension(DataSchemaTextName, CloudEventAttributeType.String);

    /// <summary>The <c>arvotime</c> attribute (String): the exact <c>time</c> text.</summary>
    public static CloudEventAttribute TimeTextAttribute { get; } = CloudEventAttribute.CreateExtension(TimeTextName, CloudEventAttributeType.String);

    /// <summary>The <c>arvoexecutionunits</c> attribute (String): <c>executionunits</c> as JSON number text.</summary>
    public static CloudEventAttribute ExecutionUnitsTextAttribute { get; } = CloudEventAttribute.CreateExtension(ExecutionUnitsTextName, CloudEventAttributeType.String);

    /// <summary>All eleven attributes above, read-only.</summary>
    public static IEnumerable<CloudEventAttribute> AllAttributes { get; } = new List<CloudEventAttribute>
    {
        ToAttribute,
        AccessControlAttribute,
        RedirectToAttribute,
        ExecutionUnitsAttribute,
        TraceParentAttribute,
        TraceStateAttribute,
        ParentIdAttribute,
        DomainAttribute,
        DataSchemaTextAttribute,
        TimeTextAttribute,
        ExecutionUnitsTextAttribute,
    }.AsReadOnly();

    /// <summary>Sets <c>to</c> (null removes it).</summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    public static CloudEvent SetTo(this CloudEvent cloudEvent, string? to) => Set(cloudEvent, ToAttribute, to);

    /// <summary>Gets <c>to</c>, or null.</summary>
    public static string? GetTo(this CloudEvent cloudEvent) => GetText(cloudEvent, ArvoEventAttributeNames.To);

    /// <summary>Sets <c>accesscontrol</c> (null removes it).</summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    public static CloudEvent SetAccessControl(this CloudEvent cloudEvent, string? accessControl) => Set(cloudEvent, AccessControlAttribute, accessControl);

    /// <summary>Gets <c>accesscontrol</c>, or null.</summary>
    public static string? GetAccessControl(this CloudEvent cloudEvent) => GetText(cloudEvent, ArvoEventAttributeNames.AccessControl);

    /// <summary>Sets <c>redirectto</c> (null removes it).</summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    public static CloudEvent SetRedirectTo(this CloudEvent cloudEvent, string? redirectTo) => Set(cloudEvent, RedirectToAttribute, redirectTo);

    /// <summary>Gets <c>redirectto</c>, or null.</summary>
    public static string? GetRedirectTo(this CloudEvent cloudEvent) => GetText(cloudEvent, ArvoEventAttributeNames.RedirectTo);

    /// <summary>Sets <c>traceparent</c> (null removes it).</summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    public static CloudEvent SetTraceParent(this CloudEvent cloudEvent, string? traceParent) => Set(cloudEvent, TraceParentAttribute, traceParent);

    /// <summary>Gets <c>traceparent</c>, or null.</summary>
    public static string? GetTraceParent(this CloudEvent cloudEvent) => GetText(cloudEvent, ArvoEventAttributeNames.TraceParent);

    /// <summary>Sets <c>tracestate</c> (null removes it).</summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    public static CloudEvent SetTraceState(this CloudEvent cloudEvent, string? traceState) => Set(cloudEvent, TraceStateAttribute, traceState);

    /// <summary>Gets <c>tracestate</c>, or null.</summary>
    public static string? GetTraceState(this CloudEvent cloudEvent) => GetText(cloudEvent, ArvoEventAttributeNames.TraceState);

    /// <summary>Sets <c>parentid</c> (null removes it).</summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    public static CloudEvent SetParentId(this CloudEvent cloudEvent, string? parentId) => Set(cloudEvent, ParentIdAttribute, parentId);

    /// <summary>Gets <c>parentid</c>, or null.</summary>
    public static string? GetParentId(this CloudEvent cloudEvent) => GetText(cloudEvent, ArvoEventAttributeNames.ParentId);

    /// <summary>Sets <c>domain</c> (null removes it).</summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    public static CloudEvent SetDomain(this CloudEvent cloudEvent, string? domain) => Set(cloudEvent, DomainAttribute, domain);

    /// <summary>Gets <c>domain</c>, or null.</summary>
    public static string? GetDomain(this CloudEvent cloudEvent) => GetText(cloudEvent, ArvoEventAttributeNames.Domain);

    /// <summary>
    /// Sets <c>executionunits</c>: a whole number in the <see cref="int"/> range as the Integer attribute,
    /// anything else as JSON number text in <c>arvoexecutionunits</c> (null removes both).
    /// </summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="executionUnits"/> is not finite.</exception>
    public static CloudEvent SetExecutionUnits(this CloudEvent cloudEvent, double? executionUnits)
    {
        if (executionUnits is not { } units)
        {
            Set(cloudEvent, ExecutionUnitsAttribute, null);
            return Set(cloudEvent, ExecutionUnitsTextAttribute, null);
        }

        if (!double.IsFinite(units))
        {
            throw new ArgumentException("Execution units must be a finite number.", nameof(executionUnits));
        }

        if (units == Math.Floor(units) && units is >= int.MinValue and <= int.MaxValue)
        {
            Set(cloudEvent, ExecutionUnitsAttribute, (int)units);
            return Set(cloudEvent, ExecutionUnitsTextAttribute, null);
        }

        Set(cloudEvent, ExecutionUnitsAttribute, null);
        return Set(cloudEvent, ExecutionUnitsTextAttribute, units.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Gets <c>executionunits</c> from <c>arvoexecutionunits</c> or the <c>executionunits</c> attribute, or null.</summary>
    /// <exception cref="FormatException">The attribute does not hold a finite JSON number.</exception>
    public static double? GetExecutionUnits(this CloudEvent cloudEvent)
    {
        var text = GetText(cloudEvent, ExecutionUnitsTextName);
        if (text is null)
        {
            var value = Checked(cloudEvent)[ArvoEventAttributeNames.ExecutionUnits];
            if (value is int integer)
            {
                return integer;
            }

            text = GetText(cloudEvent, ArvoEventAttributeNames.ExecutionUnits);
            if (text is null)
            {
                return null;
            }
        }

        return ArvoEventFields.TryParseJsonNumber(text, out var number)
            ? number
            : throw new FormatException($"The CloudEvent's executionunits '{text}' is not a finite JSON number.");
    }

    /// <summary>
    /// Sets the Arvo <c>dataschema</c> exactly: an absolute URI into <see cref="CloudEvent.DataSchema"/>,
    /// anything else (such as <c>#/test/machine/0.0.1</c>) into <c>arvodataschema</c>. Null removes both.
    /// </summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    public static CloudEvent SetArvoDataSchema(this CloudEvent cloudEvent, string? dataSchema)
    {
        if (dataSchema is not null && !dataSchema.StartsWith('/') && Uri.TryCreate(dataSchema, UriKind.Absolute, out var uri))
        {
            Checked(cloudEvent).DataSchema = uri;
            return Set(cloudEvent, DataSchemaTextAttribute, null);
        }

        Checked(cloudEvent).DataSchema = null;
        return Set(cloudEvent, DataSchemaTextAttribute, dataSchema);
    }

    /// <summary>Gets the exact Arvo <c>dataschema</c>: <c>arvodataschema</c>, else <see cref="CloudEvent.DataSchema"/>'s original text, else null.</summary>
    public static string? GetArvoDataSchema(this CloudEvent cloudEvent) =>
        GetText(cloudEvent, DataSchemaTextName) ?? Checked(cloudEvent).DataSchema?.OriginalString;

    /// <summary>
    /// Sets the Arvo <c>time</c> exactly: <see cref="CloudEvent.Time"/> gets the instant when it is
    /// representable, and <c>arvotime</c> the original text when the SDK would format it differently.
    /// Null removes both.
    /// </summary>
    /// <returns><paramref name="cloudEvent"/>, for chaining.</returns>
    public static CloudEvent SetArvoTime(this CloudEvent cloudEvent, string? time)
    {
        if (time is not null && ArvoTime.TryGetInstant(time, out var instant))
        {
            Checked(cloudEvent).Time = instant;
            var formatted = CloudEventAttributeType.Timestamp.Format(instant);
            return Set(cloudEvent, TimeTextAttribute, string.Equals(formatted, time, StringComparison.Ordinal) ? null : time);
        }

        Checked(cloudEvent).Time = null;
        return Set(cloudEvent, TimeTextAttribute, time);
    }

    /// <summary>Gets the exact Arvo <c>time</c>: <c>arvotime</c>, else <see cref="CloudEvent.Time"/> in the SDK's format, else null.</summary>
    public static string? GetArvoTime(this CloudEvent cloudEvent) =>
        GetText(cloudEvent, TimeTextName) ??
        (Checked(cloudEvent).Time is { } time ? CloudEventAttributeType.Timestamp.Format(time) : null);

    /// <summary>True for the names of the attributes defined here (handled by the adapter, not custom extensions).</summary>
    internal static bool IsAdapterAttribute(string name) => name switch
    {
        ArvoEventAttributeNames.To or ArvoEventAttributeNames.AccessControl or ArvoEventAttributeNames.RedirectTo or
        ArvoEventAttributeNames.ExecutionUnits or ArvoEventAttributeNames.TraceParent or ArvoEventAttributeNames.TraceState or
        ArvoEventAttributeNames.ParentId or ArvoEventAttributeNames.Domain or
        DataSchemaTextName or TimeTextName or ExecutionUnitsTextName => true,
        _ => false,
    };

    private static CloudEvent Checked(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        return cloudEvent;
    }

    // Sets through our attribute, or through an attribute of the same name the event already knows
    // (e.g. a String-typed one created by a decoder that was not given AllAttributes).
    private static CloudEvent Set(CloudEvent cloudEvent, CloudEventAttribute attribute, object? value)
    {
        var existing = Checked(cloudEvent).GetAttribute(attribute.Name);
        if (existing is null || ReferenceEquals(existing, attribute) || value is null)
        {
            cloudEvent[existing ?? attribute] = value;
        }
        else
        {
            cloudEvent[existing] = existing.Type.Parse(attribute.Type.Format(value));
        }

        return cloudEvent;
    }

    private static string? GetText(CloudEvent cloudEvent, string name)
    {
        var value = Checked(cloudEvent)[name];
        return value switch
        {
            null => null,
            string text => text,
            Uri uri => uri.OriginalString,
            _ => cloudEvent.GetAttribute(name)!.Type.Format(value),
        };
    }
}
