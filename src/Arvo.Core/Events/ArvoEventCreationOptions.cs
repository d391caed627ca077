using System.Text.Json;

namespace Arvo.Events;

/// <summary>
/// The services <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/> uses: the clock, the
/// id generator and the serializer options for non-JSON data. Immutable; share one instance.
/// </summary>
public sealed record ArvoEventCreationOptions
{
    /// <summary>System clock, <see cref="GuidArvoIdGenerator.Instance"/> and <see cref="ArvoJson.DefaultSerializerOptions"/>.</summary>
    public static ArvoEventCreationOptions Default { get; } = new();

    /// <summary>The clock for the default <c>time</c>.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public TimeProvider TimeProvider
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(TimeProvider));
    } = TimeProvider.System;

    /// <summary>The UUID source for generated ids.</summary>
    /// <value>Default <see cref="GuidArvoIdGenerator.Instance"/>.</value>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public IArvoIdGenerator IdGenerator
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(IdGenerator));
    } = GuidArvoIdGenerator.Instance;

    /// <summary>
    /// Options for serializing <see cref="ArvoEventInit.Data"/> values that are not already JSON, and, in handlers and
    /// resumables, for reading data and context with <c>GetData&lt;T&gt;()</c>.
    /// </summary>
    /// <value>
    /// Default <see cref="ArvoJson.DefaultSerializerOptions"/> (camelCase, enums as camelCase strings), the default of
    /// <see cref="ArvoSchema.FromType{T}"/> too; when you set other options, generate the contract's schemas with the same
    /// instance so the schemas accept the data.
    /// </value>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public JsonSerializerOptions SerializerOptions
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(SerializerOptions));
    } = ArvoJson.DefaultSerializerOptions;

    /// <summary>
    /// Whether handlers and orchestrators give the events they emit in response to a consumed event deterministic ids
    /// (<see cref="ArvoDerivedEventId"/>: emitter, consumed id, position) when the code sets no id itself.
    /// </summary>
    /// <value>
    /// Default true: a redelivered event is answered under the same ids, so inboxes downstream deduplicate it. False
    /// gives fresh ids from <see cref="IdGenerator"/> (the reference packages' behaviour).
    /// </value>
    public bool DeterministicEmittedIds { get; init; } = true;
}
