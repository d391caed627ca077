using System.Text.Json;

namespace Arvo.AspNetCore.Tests.TestSupport;

/// <summary>The members of an RFC 9457 problem answer the tests check.</summary>
public sealed record Problem(int Status, string Title, string Detail, string ErrorType, string? Field)
{
    public static Problem From(JsonElement body) => new(
        body.GetProperty("status").GetInt32(),
        body.GetProperty("title").GetString()!,
        body.GetProperty("detail").GetString()!,
        body.GetProperty("errorType").GetString()!,
        body.TryGetProperty("field", out var field) ? field.GetString() : null);
}
