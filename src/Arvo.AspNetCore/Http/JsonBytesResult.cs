using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Arvo.AspNetCore.Http;

/// <summary>
/// Writes JSON the endpoint serialized itself (with <see cref="System.Text.Json.Utf8JsonWriter"/> or a
/// CloudEvents formatter), so the answer never depends on the app's JSON serializer settings.
/// </summary>
internal sealed class JsonBytesResult(int statusCode, ReadOnlyMemory<byte> body, string contentType) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Writer settings: subjects keep their <c>+</c>, <c>/</c> and <c>=</c> unescaped, as the event JSON does.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public int? StatusCode => statusCode;

    public string? ContentType => contentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = contentType;
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
