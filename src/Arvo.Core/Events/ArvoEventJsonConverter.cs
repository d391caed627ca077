using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arvo.Events;

/// <summary>
/// Lets <see cref="JsonSerializer"/> read and write <see cref="ArvoEvent"/> values (for example inside a
/// workflow memory record) in the structured-mode form of <see cref="ArvoEventJson"/>. Applied to
/// <see cref="ArvoEvent"/> through <see cref="JsonConverterAttribute"/>, so no registration is needed.
/// </summary>
/// <remarks>
/// Reading throws <see cref="ArvoEventValidationException"/> for an invalid event. The serializer's
/// options do not affect the event's own keys or values.
/// </remarks>
public sealed class ArvoEventJsonConverter : JsonConverter<ArvoEvent>
{
    /// <inheritdoc />
    public override ArvoEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ArvoEventJson.Read(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ArvoEvent value, JsonSerializerOptions options) =>
        ArvoEventJson.Write(writer, value);
}
