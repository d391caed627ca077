using System.Diagnostics;
using System.Text.Json;
using Arvo.Events;
using Arvo.Handlers;

namespace Arvo.Resumable;

/// <summary>
/// What an <see cref="ArvoResumableHandler{TContext}"/> receives for one event (reference handler parameters,
/// resumable.md 3): exactly one of <see cref="Input"/> (the init event) and <see cref="Service"/> (a service response)
/// is set.
/// </summary>
/// <typeparam name="TContext">The handler-owned context.</typeparam>
public sealed class ArvoResumableContext<TContext>
    where TContext : class
{
    private readonly JsonSerializerOptions _serializerOptions;

    internal ArvoResumableContext(
        ArvoEvent? input,
        ArvoEvent? service,
        TContext? context,
        ArvoResumableState? metadata,
        IReadOnlyDictionary<string, IReadOnlyList<ArvoEvent>> collectedEvents,
        ArvoHandlerDomains domain,
        ArvoResumableContracts contracts,
        Activity? activity,
        ArvoTraceHeaders spanHeaders,
        JsonSerializerOptions serializerOptions,
        CancellationToken cancellationToken)
    {
        Input = input;
        Service = service;
        Context = context;
        Metadata = metadata;
        CollectedEvents = collectedEvents;
        Domain = domain;
        Contracts = contracts;
        Activity = activity;
        SpanHeaders = spanHeaders;
        _serializerOptions = serializerOptions;
        CancellationToken = cancellationToken;
    }

    /// <summary>The consumed event when it is the init event (the self type), else null.</summary>
    public ArvoEvent? Input { get; }

    /// <summary>The consumed event when it is a service response (an emit or system-error type of a service), else null.</summary>
    public ArvoEvent? Service { get; }

    /// <summary>The stored context (<c>state$$</c>), or null on the first call.</summary>
    public TContext? Context { get; }

    /// <summary>The stored record, or null on the first call.</summary>
    public ArvoResumableState? Metadata { get; }

    /// <summary>
    /// Event type → the responses collected for the events of the last emission, ordered by the order of the
    /// <i>requests</i> (not of arrival), then by arrival per request.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ArvoEvent>> CollectedEvents { get; }

    /// <summary>The domain of the consumed event and of the self contract.</summary>
    public ArvoHandlerDomains Domain { get; }

    /// <summary>The self contract version of the subject's version and the service contracts.</summary>
    public ArvoResumableContracts Contracts { get; }

    /// <summary>The execution span, or null when tracing is off.</summary>
    public Activity? Activity { get; }

    /// <summary>The W3C trace headers stamped on the emitted events.</summary>
    public ArvoTraceHeaders SpanHeaders { get; }

    /// <summary>Cancelled when the execution is cancelled.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The collected responses of <paramref name="eventType"/>, or an empty list.</summary>
    /// <param name="eventType">A service's emit or system-error type.</param>
    /// <returns>The collected responses in request order.</returns>
    public IReadOnlyList<ArvoEvent> Collected(string eventType) =>
        CollectedEvents.TryGetValue(eventType, out var events) ? events : [];

    /// <summary>
    /// Deserializes the data of <see cref="Input"/> or <see cref="Service"/> with the resumable's
    /// <see cref="ArvoEventCreationOptions.SerializerOptions"/> (default <see cref="ArvoJson.DefaultSerializerOptions"/>).
    /// A service's system error also reads as <c>Service.GetSystemErrorData()</c>.
    /// </summary>
    /// <typeparam name="T">The data type.</typeparam>
    /// <returns>The data.</returns>
    public T? GetData<T>() => (Input ?? Service) is { } evt ? evt.Data.Deserialize<T>(_serializerOptions) : default;
}
