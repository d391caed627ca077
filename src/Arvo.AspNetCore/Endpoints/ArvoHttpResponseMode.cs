namespace Arvo.AspNetCore;

/// <summary>What <c>POST</c> on the <see cref="ArvoEndpointRouteBuilderExtensions.MapArvo"/> endpoint answers after dispatching an event.</summary>
public enum ArvoHttpResponseMode
{
    /// <summary>
    /// <c>202 Accepted</c> with <c>{"eventId": …, "subject": …, "outcome": …}</c>: the event was executed and what it
    /// emitted was published; the workflow goes on in the background.
    /// </summary>
    Accepted,

    /// <summary>
    /// <c>200 OK</c> with the events the execution emitted, in order, as a CloudEvents JSON batch
    /// (<c>application/cloudevents-batch+json</c>, Arvo's JSON, an empty array when nothing was emitted). They were
    /// published too.
    /// </summary>
    EmittedEvents,
}
