namespace Arvo.Events;

/// <summary>
/// The wire names of the attributes of an <see cref="ArvoEvent"/> (as used in the JSON form, in
/// <see cref="ArvoEventValidationException.Attribute"/> and in CloudEvents).
/// </summary>
public static class ArvoEventAttributeNames
{
    /// <summary><c>id</c> (core).</summary>
    public const string Id = "id";

    /// <summary><c>source</c> (core).</summary>
    public const string Source = "source";

    /// <summary><c>specversion</c> (core).</summary>
    public const string SpecVersion = "specversion";

    /// <summary><c>type</c> (core).</summary>
    public const string Type = "type";

    /// <summary><c>subject</c> (core; mandatory in Arvo).</summary>
    public const string Subject = "subject";

    /// <summary><c>datacontenttype</c> (core).</summary>
    public const string DataContentType = "datacontenttype";

    /// <summary><c>dataschema</c> (core).</summary>
    public const string DataSchema = "dataschema";

    /// <summary><c>data</c> (core).</summary>
    public const string Data = "data";

    /// <summary><c>time</c> (core).</summary>
    public const string Time = "time";

    /// <summary><c>to</c> (Arvo extension).</summary>
    public const string To = "to";

    /// <summary><c>accesscontrol</c> (Arvo extension).</summary>
    public const string AccessControl = "accesscontrol";

    /// <summary><c>redirectto</c> (Arvo extension).</summary>
    public const string RedirectTo = "redirectto";

    /// <summary><c>executionunits</c> (Arvo extension).</summary>
    public const string ExecutionUnits = "executionunits";

    /// <summary><c>traceparent</c> (OpenTelemetry extension).</summary>
    public const string TraceParent = "traceparent";

    /// <summary><c>tracestate</c> (OpenTelemetry extension).</summary>
    public const string TraceState = "tracestate";

    /// <summary><c>parentid</c> (Arvo extension).</summary>
    public const string ParentId = "parentid";

    /// <summary><c>domain</c> (Arvo extension).</summary>
    public const string Domain = "domain";

    /// <summary>
    /// True when <paramref name="name"/> may not be used for a custom extension: the nine core
    /// attributes, the eight Arvo/OpenTelemetry extensions and the three names the CloudEvents adapter
    /// uses to carry exact values (<see cref="ArvoCloudEventAttributes.DataSchemaTextName"/>,
    /// <see cref="ArvoCloudEventAttributes.TimeTextName"/>, <see cref="ArvoCloudEventAttributes.ExecutionUnitsTextName"/>).
    /// </summary>
    public static bool IsReserved(string name) => name switch
    {
        Id or Source or SpecVersion or Type or Subject or DataContentType or DataSchema or Data or Time => true,
        To or AccessControl or RedirectTo or ExecutionUnits or TraceParent or TraceState or ParentId or Domain => true,
        ArvoCloudEventAttributes.DataSchemaTextName or ArvoCloudEventAttributes.TimeTextName or ArvoCloudEventAttributes.ExecutionUnitsTextName => true,
        _ => false,
    };
}
