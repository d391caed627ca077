using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Arvo.Internal;

namespace Arvo.Contracts;

/// <summary>
/// The data of a <c>sys.&lt;type&gt;.error</c> event, <c>{ errorName, errorMessage, errorStack }</c> (wire-format.md
/// section 10, the schema <see cref="ArvoSchema.SystemError"/>), typed: read it with
/// <see cref="ArvoEvent.GetSystemErrorData"/> or <c>evt.GetData&lt;ArvoSystemErrorData&gt;()</c>, e.g. in a machine guard
/// or a resumable handler that receives a service's system error.
/// </summary>
/// <remarks>
/// <para>
/// The JSON names are always <c>errorName</c>, <c>errorMessage</c> and <c>errorStack</c>, whatever serializer options
/// are used; written, all three are present (<c>errorStack</c> may be null). Read, an absent or null <c>errorName</c> or
/// <c>errorMessage</c> is the empty string and an absent <c>errorStack</c> is null (the TypeScript reference sends only
/// <c>{"errorStack": null}</c> for a thrown non-Error value), and other properties are ignored.
/// </para>
/// <para>
/// <see cref="FromException"/> gives the stack without the directories of the source files
/// (<c>at Service.Run() in Service.cs:line 42</c>): system errors travel to other services, which must not learn the
/// paths of the machine that compiled the handler.
/// </para>
/// </remarks>
/// <param name="ErrorName">The error name (<c>errorName</c>), e.g. <c>InvalidOperationException</c> or <c>ViolationError&lt;Config&gt;</c>.</param>
/// <param name="ErrorMessage">The error message (<c>errorMessage</c>).</param>
/// <param name="ErrorStack">The stack trace (<c>errorStack</c>), or null.</param>
[JsonConverter(typeof(Converter))]
public sealed record ArvoSystemErrorData(string ErrorName, string ErrorMessage, string? ErrorStack)
{
    private const string NameProperty = "errorName";
    private const string MessageProperty = "errorMessage";
    private const string StackProperty = "errorStack";

    /// <summary>
    /// The <c>errorName</c> of <paramref name="error"/>: a violation's <c>ViolationError&lt;Type&gt;</c> name
    /// (<see cref="ArvoViolation.Name"/>), otherwise the exception's type name (e.g. <c>InvalidOperationException</c>).
    /// </summary>
    /// <param name="error">The failure.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public static string NameOf(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error is ArvoViolation violation ? violation.Name : error.GetType().Name;
    }

    /// <summary>
    /// Describes <paramref name="error"/>: <see cref="ErrorName"/> = <see cref="NameOf"/>, <see cref="ErrorMessage"/> = its
    /// message and <see cref="ErrorStack"/> = its stack trace with every source file named without its directory
    /// (<c>in /home/ci/src/Service.cs:line 42</c> becomes <c>in Service.cs:line 42</c>), or null for an exception that was
    /// never thrown.
    /// </summary>
    /// <param name="error">The failure to describe.</param>
    /// <returns>The data.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public static ArvoSystemErrorData FromException(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ArvoSystemErrorData(NameOf(error), error.Message, StackTraces.WithoutSourceDirectories(error.StackTrace));
    }

    /// <summary>The data as a JSON object, <c>{"errorName":…,"errorMessage":…,"errorStack":…}</c>.</summary>
    /// <returns>A detached JSON object element.</returns>
    public JsonElement ToJsonElement()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, this);
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    private static void Write(Utf8JsonWriter writer, ArvoSystemErrorData value)
    {
        writer.WriteStartObject();
        writer.WriteString(NameProperty, value.ErrorName);
        writer.WriteString(MessageProperty, value.ErrorMessage);
        if (value.ErrorStack is { } stack)
        {
            writer.WriteString(StackProperty, stack);
        }
        else
        {
            writer.WriteNull(StackProperty);
        }

        writer.WriteEndObject();
    }

    private static ArvoSystemErrorData Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"System error data must be a JSON object, found {reader.TokenType}.");
        }

        string? name = null, message = null, stack = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case NameProperty:
                    name = ReadString(ref reader, NameProperty);
                    break;
                case MessageProperty:
                    message = ReadString(ref reader, MessageProperty);
                    break;
                case StackProperty:
                    stack = ReadString(ref reader, StackProperty);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new ArvoSystemErrorData(name ?? string.Empty, message ?? string.Empty, stack);
    }

    private static string? ReadString(ref Utf8JsonReader reader, string property) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"System error data: '{property}' must be a string or null, found {reader.TokenType}."),
    };

    /// <summary>Fixed wire names and lenient reading (see the remarks of <see cref="ArvoSystemErrorData"/>).</summary>
    private sealed class Converter : JsonConverter<ArvoSystemErrorData>
    {
        public override ArvoSystemErrorData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ArvoSystemErrorData.Read(ref reader);

        public override void Write(Utf8JsonWriter writer, ArvoSystemErrorData value, JsonSerializerOptions options) =>
            ArvoSystemErrorData.Write(writer, value);
    }
}
