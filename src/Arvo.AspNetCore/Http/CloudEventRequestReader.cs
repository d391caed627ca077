using Arvo.Events;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using CloudNative.CloudEvents.Http;
using Microsoft.AspNetCore.Http;

namespace Arvo.AspNetCore.Http;

/// <summary>
/// The CloudEvents HTTP binding for requests (HTTP protocol binding 1.0, section 3), ours because the SDK's
/// ASP.NET Core package is not used: it follows the SDK's <c>HttpListenerExtensions</c> and reads with the SDK's own
/// helpers (<see cref="MimeUtilities"/>, <see cref="HttpUtilities"/>) and a <see cref="CloudEventFormatter"/>
/// (<see cref="ArvoJsonEventFormatter"/>).
/// </summary>
/// <remarks>
/// <para>Structured mode: a <c>Content-Type</c> of <c>application/cloudevents</c> (any suffix, not the batch type); the
/// body is decoded by the formatter.</para>
/// <para>Binary mode: otherwise; <c>ce-specversion</c> must be present, every <c>ce-&lt;name&gt;</c> header is the
/// attribute <c>&lt;name&gt;</c> (percent- and quote-decoded), <c>Content-Type</c> is <c>datacontenttype</c> and the
/// body is <c>data</c>. <c>dataschema</c>, <c>time</c> and <c>executionunits</c> keep their exact text, as Arvo's
/// CloudEvents adapter carries them (a relative <c>dataschema</c> such as <c>#/test/machine/0.0.1</c> is the norm).</para>
/// </remarks>
internal static class CloudEventRequestReader
{
    private const string InvalidAttributeTitle = "Invalid CloudEvent attribute";

    /// <summary>Reads one CloudEvent from the request.</summary>
    /// <exception cref="ArvoHttpProblemException">The request is a batch, too large, or not a CloudEvent, or a header cannot be read.</exception>
    /// <exception cref="ArvoEventValidationException">The formatter rejected the body.</exception>
    public static async ValueTask<CloudEvent> ReadAsync(HttpRequest request, CloudEventFormatter formatter, long maxBodySize, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType;
        if (MimeUtilities.IsCloudEventsBatchContentType(contentType))
        {
            throw new ArvoHttpProblemException(new ArvoHttpProblem(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported CloudEvents mode",
                $"Batch mode ('{contentType}') is not accepted: send one event per request, in structured mode (Content-Type: application/cloudevents+json) or binary mode (ce-* headers).",
                "UnsupportedMode"));
        }

        if (MimeUtilities.IsCloudEventsContentType(contentType))
        {
            var body = await RequestBody.ReadAsync(request, maxBodySize, cancellationToken).ConfigureAwait(false);
            return formatter.DecodeStructuredModeMessage(body, MimeUtilities.CreateContentTypeOrNull(contentType), ArvoCloudEventAttributes.AllAttributes);
        }

        var version = SpecVersion(request.Headers);
        var cloudEvent = new CloudEvent(version, ArvoCloudEventAttributes.AllAttributes);
        foreach (var (name, values) in request.Headers)
        {
            if (HttpUtilities.GetAttributeNameFromHeaderName(name) is not { } attribute
                || attribute == CloudEventsSpecVersion.SpecVersionAttribute.Name
                || values.Count == 0 || values[0] is not { } raw)
            {
                continue;
            }

            SetAttribute(cloudEvent, attribute, raw);
        }

        try
        {
            cloudEvent.DataContentType = contentType;
        }
        catch (ArgumentException exception)
        {
            throw Invalid(CloudEventsSpecVersion.V1_0.DataContentTypeAttribute.Name, $"The Content-Type '{contentType}' is not a valid datacontenttype: {exception.Message}");
        }

        var data = await RequestBody.ReadAsync(request, maxBodySize, cancellationToken).ConfigureAwait(false);
        formatter.DecodeBinaryModeEventData(data, cloudEvent);
        return cloudEvent;
    }

    private static CloudEventsSpecVersion SpecVersion(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(HttpUtilities.SpecVersionHttpHeader, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            throw Invalid(
                CloudEventsSpecVersion.SpecVersionAttribute.Name,
                "The request is not a CloudEvent: expected a structured-mode body (Content-Type: application/cloudevents+json) or a binary-mode ce-specversion header.");
        }

        return CloudEventsSpecVersion.FromVersionId(values[0]) is { } version && version == CloudEventsSpecVersion.V1_0
            ? version
            : throw Invalid(CloudEventsSpecVersion.SpecVersionAttribute.Name, $"Only CloudEvents spec version 1.0 is supported; ce-specversion is '{values[0]}'.");
    }

    private static void SetAttribute(CloudEvent cloudEvent, string attribute, string raw)
    {
        string value;
        try
        {
            value = HttpUtilities.DecodeHeaderValue(raw);
        }
        catch (ArgumentException exception)
        {
            throw Invalid(attribute, $"The header ce-{attribute} cannot be decoded: {exception.Message}");
        }

        try
        {
            switch (attribute)
            {
                case ArvoEventAttributeNames.DataSchema:
                    cloudEvent.SetArvoDataSchema(value);
                    break;
                case ArvoEventAttributeNames.Time:
                    cloudEvent.SetArvoTime(value);
                    break;
                case ArvoEventAttributeNames.ExecutionUnits:
                    // As JSON number text: the Integer attribute holds only whole 32-bit numbers; ArvoEvent checks the text.
                    cloudEvent[ArvoCloudEventAttributes.ExecutionUnitsTextAttribute] = value;
                    break;
                case ArvoEventAttributeNames.DataContentType:
                    // Binary mode: Content-Type is the datacontenttype.
                    break;
                default:
                    cloudEvent.SetAttributeFromString(attribute, value);
                    break;
            }
        }
        catch (ArgumentException exception)
        {
            throw Invalid(attribute, $"The header ce-{attribute} is not a valid '{attribute}' attribute: {exception.Message}");
        }
    }

    private static ArvoHttpProblemException Invalid(string attribute, string detail) =>
        new(new ArvoHttpProblem(StatusCodes.Status400BadRequest, InvalidAttributeTitle, detail, "InvalidAttribute", attribute));
}
