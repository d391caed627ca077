using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arvo.Samples.Counter;

/// <summary>
/// Source-generated System.Text.Json metadata for the counter machine's context and output, with the web defaults of
/// <see cref="Events.ArvoJson.DefaultSerializerOptions"/> (camelCase names, case-insensitive reading, numbers also
/// read from strings). The generated writer serializes the context without the reflection path's per-call stack
/// (and works under trimming and native AOT); the stored JSON is the same.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CounterContext))]
[JsonSerializable(typeof(CounterMachine.CompleteData))]
internal sealed partial class CounterJsonContext : JsonSerializerContext;
