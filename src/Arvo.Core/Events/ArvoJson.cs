using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arvo.Events;

/// <summary>
/// The one set of System.Text.Json options that C# values in event data are written and read with by default, so the
/// schema Arvo generates for a type (<see cref="ArvoSchema.FromType{T}"/>) accepts the data serialized from that type
/// and <see cref="ArvoEvent.GetData{T}"/> reads it back.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="DefaultSerializerOptions"/> is the default of <see cref="ArvoSchema.FromType(Type, JsonSerializerOptions?)"/>,
/// <see cref="ArvoEvent.ToData"/>, <see cref="ArvoEvent.GetData{T}"/>, <see cref="ArvoEventCreationOptions.SerializerOptions"/>
/// (and so of every factory, handler, orchestrator and resumable, and of the data the handler and resumable contexts'
/// <c>GetData&lt;T&gt;()</c> read) and of a machine's context and output.
/// </para>
/// <para>
/// To use other options, set them in one place per runnable, <see cref="ArvoEventCreationOptions.SerializerOptions"/>
/// (its factories, emitted data and context <c>GetData&lt;T&gt;()</c> follow), and generate the contract's schemas with
/// the same instance (<c>ArvoSchema.FromType&lt;T&gt;(options)</c>), so schema and data keep agreeing.
/// </para>
/// </remarks>
public static class ArvoJson
{
    /// <summary>
    /// <see cref="JsonSerializerDefaults.Web"/> (camelCase property names, case-insensitive reading, numbers also read
    /// from strings) with enums written as camelCase strings (<c>Priority.VeryHigh</c> is <c>"veryHigh"</c>, as a zod
    /// <c>enum</c> of the TypeScript reference expects) and read from those strings or from their numbers. Read-only.
    /// </summary>
    public static JsonSerializerOptions DefaultSerializerOptions { get; } = CreateDefault();

    private static JsonSerializerOptions CreateDefault()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
