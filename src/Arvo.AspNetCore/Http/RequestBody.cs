using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Arvo.AspNetCore.Http;

/// <summary>Reads a request body into memory, never more than a limit (the body is untrusted input).</summary>
internal static class RequestBody
{
    public static async ValueTask<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)Math.Min(length, limit) : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
                catch (BadHttpRequestException exception)
                {
                    // The server's own limits (Kestrel's MaxRequestBodySize, a malformed chunked body).
                    throw new ArvoHttpProblemException(new ArvoHttpProblem(
                        exception.StatusCode, "Unreadable request body", exception.Message, "UnreadableBody"));
                }

                if (read == 0)
                {
                    break;
                }

                if (buffer.Length + read > limit)
                {
                    throw TooLarge(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static ArvoHttpProblemException TooLarge(long limit) => new(new ArvoHttpProblem(
        StatusCodes.Status413PayloadTooLarge,
        "Request body too large",
        $"The request body is larger than {limit.ToString(CultureInfo.InvariantCulture)} bytes (ArvoHttpOptions.MaxRequestBodySize).",
        "RequestTooLarge"));
}
