using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Arvo.AspNetCore.Http;

/// <summary>
/// One RFC 9457 problem answer: status, title, detail and the machine-readable extensions <c>errorType</c>,
/// <c>field</c> (where known), <c>eventId</c> (once the event was read) and any others.
/// </summary>
internal sealed record ArvoHttpProblem(int Status, string Title, string Detail, string ErrorType, string? Field = null)
{
    /// <summary>Further extensions (<c>issues</c>, <c>destinations</c>, <c>expected</c>, …), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Extensions { get; init; } = [];

    /// <summary>The id of the event the problem is about, once it was read.</summary>
    public string? EventId { get; init; }

    /// <summary>The response's <c>Retry-After</c>, in seconds, or null.</summary>
    public int? RetryAfterSeconds { get; init; }

    public ArvoHttpProblem With(string name, object? value) => this with { Extensions = [.. Extensions, new(name, value)] };

    /// <summary>The result that writes the problem (through the app's problem-details service when it has one).</summary>
    public ProblemHttpResult ToResult(HttpContext context)
    {
        if (RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["errorType"] = ErrorType };
        if (Field is not null)
        {
            extensions["field"] = Field;
        }

        if (EventId is not null)
        {
            extensions["eventId"] = EventId;
        }

        foreach (var (name, value) in Extensions)
        {
            extensions[name] = value;
        }

        return TypedResults.Problem(Detail, instance: null, Status, Title, type: null, extensions);
    }
}

/// <summary>A request that cannot be read, with the problem that answers it.</summary>
internal sealed class ArvoHttpProblemException(ArvoHttpProblem problem) : Exception(problem.Detail)
{
    public ArvoHttpProblem Problem { get; } = problem;
}
