using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arvo.Internal;

/// <summary>Small helpers between <see cref="JsonElement"/> and <see cref="JsonNode"/>.</summary>
internal static class JsonNodes
{
    /// <summary>A new, independent node with the value of <paramref name="element"/>.</summary>
    public static JsonNode? From(JsonElement element) => JsonNode.Parse(element.GetRawText());
}
