using System.Buffers;
using System.Text.Json;

namespace Arvo.Factories;

/// <summary>
/// The payload of a <c>sys.&lt;type&gt;.error</c> event, <c>{ errorName, errorMessage, errorStack }</c>
/// (wire-format.md section 10), derived from an exception.
/// </summary>
public static class ArvoSystemErrorData
{
    /// <summary>
    /// The <c>errorName</c> of <paramref name="error"/>: a violation's <c>ViolationError&lt;Type&gt;</c> name,
    /// otherwise the exception's type name (e.g. <c>InvalidOperationException</c>).
    /// </summary>
    public static string ErrorName(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error is ArvoViolation violation ? violation.Name : error.GetType().Name;
    }

    /// <summary>
    /// Builds the payload: <c>errorName</c> (see <see cref="ErrorName"/>), <c>errorMessage</c> = the message and
    /// <c>errorStack</c> = the stack trace, or null for an exception that was never thrown.
    /// </summary>
    /// <param name="error">The failure to describe.</param>
    /// <returns>A detached JSON object element.</returns>
    public static JsonElement From(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorName", ErrorName(error));
            writer.WriteString("errorMessage", error.Message);
            if (error.StackTrace is { } stack)
            {
                writer.WriteString("errorStack", stack);
            }
            else
            {
                writer.WriteNull("errorStack");
            }

            writer.WriteEndObject();
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }
}
