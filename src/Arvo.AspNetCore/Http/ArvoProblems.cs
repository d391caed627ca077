using System.Globalization;
using Arvo.Dispatch;
using Arvo.Events;
using Microsoft.AspNetCore.Http;

namespace Arvo.AspNetCore.Http;

/// <summary>The problem answers of the Arvo endpoints, one place for every title and <c>errorType</c>.</summary>
internal static class ArvoProblems
{
    public const string ContractViolationType = "Contract";
    public const string ConfigViolationType = "Config";
    public const string ExecutionViolationType = "Execution";

    /// <summary>An event Arvo rejected while reading it: malformed JSON (<c>$</c>) or an invalid attribute (including <c>data</c>).</summary>
    public static ArvoHttpProblem InvalidEvent(ArvoEventValidationException exception)
    {
        var malformed = exception.Attribute == ArvoEventValidationException.DocumentAttribute;
        return new ArvoHttpProblem(
                StatusCodes.Status400BadRequest,
                malformed ? "Malformed JSON" : "Invalid CloudEvent attribute",
                exception.Message,
                malformed ? "MalformedJson" : "InvalidAttribute",
                exception.Attribute)
            .With("expected", exception.Expected)
            .With("actual", exception.Actual);
    }

    /// <summary>An event the CloudEvents SDK cannot hold (a formatter's <see cref="ArgumentException"/>).</summary>
    public static ArvoHttpProblem UnrepresentableEvent(ArgumentException exception) =>
        new(StatusCodes.Status400BadRequest, "Invalid CloudEvent attribute", exception.Message, "InvalidAttribute");

    /// <summary>The answer to a dispatch that failed (nothing was dead-lettered).</summary>
    public static ArvoHttpProblem FromFailure(ArvoDeadLetter failure, ArvoHandlerRegistry registry, ArvoHttpOptions options)
    {
        var arvoEvent = failure.Event;
        var problem = failure.Reason switch
        {
            ArvoDeadLetterReason.UnknownDestination => new ArvoHttpProblem(
                    StatusCodes.Status404NotFound, "Unknown destination", failure.Detail, failure.ErrorType, ArvoEventAttributeNames.To)
                .With("destinations", registry.Destinations),
            ArvoDeadLetterReason.Violation => Violation(failure, registry),
            ArvoDeadLetterReason.RetriesExhausted => new ArvoHttpProblem(
                StatusCodes.Status503ServiceUnavailable,
                "Workflow busy",
                $"The workflow of event '{arvoEvent.Id}' stayed locked or its store failed transiently through {failure.Attempts.ToString(CultureInfo.InvariantCulture)} attempts ({failure.ErrorType}); send the event again later.",
                failure.ErrorType)
            {
                RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(options.RetryAfter.TotalSeconds)),
            },
            _ => Internal(arvoEvent.Id, failure.ErrorType),
        };
        return problem with { EventId = arvoEvent.Id };
    }

    /// <summary>An unexpected failure: no message or stack of the exception is shown (the endpoint logs it).</summary>
    public static ArvoHttpProblem Internal(string? eventId, string errorType) => new(
        StatusCodes.Status500InternalServerError,
        "Internal error",
        eventId is null
            ? "The request could not be processed; the host logged the failure."
            : $"Event '{eventId}' could not be processed; the host logged the failure.",
        errorType)
    {
        EventId = eventId,
    };

    private static ArvoHttpProblem Violation(ArvoDeadLetter failure, ArvoHandlerRegistry registry)
    {
        var (field, issues) = registry.TryGetHandler(failure.Event.To, out var handler)
            ? ViolationDiagnosis.Diagnose(handler, failure.Event)
            : (null, []);
        var (status, title) = failure.ErrorType switch
        {
            ContractViolationType => (StatusCodes.Status400BadRequest, "Contract violation"),
            ConfigViolationType => (StatusCodes.Status400BadRequest, "Config violation"),
            ExecutionViolationType when field == ArvoEventAttributeNames.Subject => (StatusCodes.Status400BadRequest, "Execution violation"),
            _ => (StatusCodes.Status422UnprocessableEntity, failure.ErrorType + " violation"),
        };
        var problem = new ArvoHttpProblem(status, title, failure.Detail, failure.ErrorType, field);
        return issues.Count == 0 ? problem : problem.With("issues", ViolationDiagnosis.IssueList(issues));
    }
}
