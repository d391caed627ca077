using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arvo.Events;

/// <summary>
/// The input of <see cref="ArvoEvent.Create(ArvoEventInit, ArvoEventCreationOptions?)"/> (the reference's
/// <c>createArvoEvent</c> argument): the shared <see cref="ArvoEventAttributes"/> plus the type, subject, data, data
/// schema and content type. <see cref="ArvoEventAttributes.Source"/>, <see cref="Type"/>, <see cref="Subject"/> and
/// <see cref="Data"/> are required; every other member has the default documented on it.
/// </summary>
/// <example>
/// <code>
/// var evt = ArvoEvent.Create(new ArvoEventInit
/// {
///     Source = "com.test.service",
///     Type = "com.number.increment",
///     Subject = "test-subject",
///     Data = new { delta = 1 },
/// });
/// </code>
/// </example>
public sealed record ArvoEventInit : ArvoEventAttributes
{
    /// <summary>The event type, e.g. <c>com.number.increment</c> (not encoded).</summary>
    public required string Type { get; init; }

    /// <summary>The process id, e.g. an orchestration subject; URI-encoded.</summary>
    public required string Subject { get; init; }

    /// <summary>
    /// The payload, which must be (or serialize to) a JSON object: a <see cref="JsonElement"/> or
    /// <see cref="JsonDocument"/> (cloned), a <see cref="JsonNode"/>, or any other object, serialized with
    /// <see cref="ArvoEventCreationOptions.SerializerOptions"/> (default <see cref="ArvoJson.DefaultSerializerOptions"/>,
    /// i.e. camelCase property names and enums as camelCase strings). Arrays, strings, numbers and null are rejected.
    /// </summary>
    public required object Data { get; init; }

    /// <summary>The content type.</summary>
    /// <value>Default null: <see cref="ArvoEvent.ArvoContentType"/>.</value>
    public string? DataContentType { get; init; }

    /// <summary>The data schema; URI-encoded when non-empty.</summary>
    /// <value>Default null: none.</value>
    public string? DataSchema { get; init; }
}
