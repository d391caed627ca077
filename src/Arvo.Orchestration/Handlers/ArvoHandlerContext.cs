using System.Diagnostics;
using System.Text.Json;
using Arvo.Events;

namespace Arvo.Handlers;

/// <summary>
/// What a handler function receives for one event (event-handler.md section 3). Valid for the duration of the call.
/// </summary>
public sealed class ArvoHandlerContext
{
    private readonly JsonSerializerOptions _serializerOptions;

    internal ArvoHandlerContext(
        ArvoEvent consumedEvent,
        string source,
        VersionedArvoContract contract,
        Activity? activity,
        ArvoTraceHeaders spanHeaders,
        JsonSerializerOptions serializerOptions,
        CancellationToken cancellationToken)
    {
        Event = consumedEvent;
        Source = source;
        Contract = contract;
        Activity = activity;
        SpanHeaders = spanHeaders;
        _serializerOptions = serializerOptions;
        CancellationToken = cancellationToken;
    }

    /// <summary>The consumed event, with its raw data (no defaults applied, undeclared keys kept).</summary>
    public ArvoEvent Event { get; }

    /// <summary>The consumed event's raw data.</summary>
    public JsonElement Data => Event.Data;

    /// <summary>The handler's <c>source</c> (the contract type).</summary>
    public string Source { get; }

    /// <summary>The contract version the event resolved to.</summary>
    public VersionedArvoContract Contract { get; }

    /// <summary>The handler contract's domain and the consumed event's domain.</summary>
    public ArvoHandlerDomains Domain => new(Contract.Domain, Event.Domain);

    /// <summary>The handler span, or null when no listener samples it.</summary>
    public Activity? Activity { get; }

    /// <summary>The handler span's trace headers (stamped on every emitted event); null/null when tracing is off.</summary>
    public ArvoTraceHeaders SpanHeaders { get; }

    /// <summary>Cancellation of the execution.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Deserializes the consumed event's data with the handler's <see cref="ArvoEventCreationOptions.SerializerOptions"/>
    /// (default <see cref="ArvoJson.DefaultSerializerOptions"/>: camelCase, case-insensitive, enums as strings).
    /// </summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <returns>The data, or default for a JSON null.</returns>
    /// <exception cref="JsonException">The data does not fit <typeparamref name="T"/>.</exception>
    public T? GetData<T>() => Event.Data.Deserialize<T>(_serializerOptions);
}
