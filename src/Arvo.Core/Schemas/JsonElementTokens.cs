using System.Globalization;
using System.Text.Json;
using Newtonsoft.Json.Linq;

namespace Arvo.Internal;

/// <summary>
/// Converts <see cref="JsonElement"/> data to the Newtonsoft <see cref="JToken"/> tree NJsonSchema
/// validates, walking the element directly (no text round trip).
/// </summary>
/// <remarks>
/// Numbers follow JavaScript, where the reference runs: an integral value such as <c>5.0</c> or
/// <c>1e3</c> is an integer (zod's <c>int()</c> accepts it), other numbers are doubles. Strings stay
/// strings (a text round trip through Newtonsoft would turn ISO dates into date tokens). For a
/// duplicated property name the last value wins, as in <c>JSON.parse</c>.
/// </remarks>
internal static class JsonElementTokens
{
    private const double MaxSafeInteger = 9007199254740991d;

    public static JToken ToJToken(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = ToJToken(property.Value);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(ToJToken(item));
                }

                return array;
            case JsonValueKind.String:
                return new JValue(element.GetString());
            case JsonValueKind.Number:
                return ToNumber(element);
            case JsonValueKind.True:
                return new JValue(true);
            case JsonValueKind.False:
                return new JValue(false);
            case JsonValueKind.Null:
                return JValue.CreateNull();
            default:
                throw new ArgumentException("The JSON value is undefined (a default JsonElement); pass a parsed JSON value.", nameof(element));
        }
    }

    private static JValue ToNumber(JsonElement element)
    {
        if (element.TryGetInt64(out var integer))
        {
            return new JValue(integer);
        }

        // Beyond the double range JSON.parse gives ±Infinity; double.Parse does the same.
        var value = element.TryGetDouble(out var parsed)
            ? parsed
            : double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
        return Math.Abs(value) <= MaxSafeInteger && Math.Floor(value) == value
            ? new JValue((long)value)
            : new JValue(value);
    }
}
