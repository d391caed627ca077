using System.Buffers;
using System.Text.Json;
using Arvo.AspNetCore.Http;
using Arvo.Dispatch;
using Arvo.Events;
using Arvo.Handlers;
using Arvo.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arvo.AspNetCore;

/// <summary>
/// <c>POST {prefix}</c>: read one CloudEvent (<see cref="CloudEventRequestReader"/>), make it an <see cref="ArvoEvent"/>,
/// dispatch it without dead-lettering, answer 202, the emitted events or a problem.
/// </summary>
internal sealed class EventEndpoint(ArvoHttpOptions options, ILogger logger)
{
    private const string PreferHeader = "Prefer";
    private const string PreferenceAppliedHeader = "Preference-Applied";
    private const string ReturnRepresentation = "return=representation";
    private const string ReturnMinimal = "return=minimal";

    /// <summary>The HTTP caller is told about failures, so they are not dead-lettered.</summary>
    internal static readonly ArvoDispatchOptions AnswerFailures = new() { DeadLetterFailures = false };

    public async Task HandleAsync(HttpContext context)
    {
        var result = await ProcessAsync(context).ConfigureAwait(false);
        if (result is not null)
        {
            await result.ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    private async ValueTask<IResult?> ProcessAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var dispatcher = context.RequestServices.GetRequiredService<IArvoDispatcher>();
        ArvoEvent arvoEvent;
        try
        {
            var cloudEvent = await CloudEventRequestReader.ReadAsync(context.Request, ArvoJsonEventFormatter.Instance, options.MaxRequestBodySize, cancellationToken).ConfigureAwait(false);
            arvoEvent = ArvoEvent.FromCloudEvent(cloudEvent);
        }
        catch (ArvoHttpProblemException problem)
        {
            return problem.Problem.ToResult(context);
        }
        catch (ArvoEventValidationException invalid)
        {
            return ArvoProblems.InvalidEvent(invalid).ToResult(context);
        }
        catch (ArgumentException unrepresentable)
        {
            return ArvoProblems.UnrepresentableEvent(unrepresentable).ToResult(context);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception error)
        {
            ArvoHttpLog.RequestFailed(logger, error, context.Request.Method, context.Request.Path);
            return ArvoProblems.Internal(null, error.GetType().Name).ToResult(context);
        }

        return await DispatchAsync(context, dispatcher, arvoEvent, Mode(context), options, logger).ConfigureAwait(false);
    }

    /// <summary>Dispatches <paramref name="arvoEvent"/> and answers it; <paramref name="mode"/> null means the caller answers success itself.</summary>
    internal static async ValueTask<IResult?> DispatchAsync(
        HttpContext context, IArvoDispatcher dispatcher, ArvoEvent arvoEvent, ArvoHttpResponseMode? mode, ArvoHttpOptions options, ILogger logger)
    {
        ArvoDispatchResult dispatched;
        try
        {
            dispatched = await dispatcher.DispatchAsync(arvoEvent, AnswerFailures, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception error)
        {
            // Publishing what the execution emitted failed; the execution is stored and its inbox answers a resend.
            ArvoHttpLog.EventFailed(logger, error, context.Request.Method, context.Request.Path, arvoEvent.Id, error.GetType().Name);
            return ArvoProblems.Internal(arvoEvent.Id, error.GetType().Name).ToResult(context);
        }

        if (dispatched.Failure is { } failure)
        {
            if (failure.Reason == ArvoDeadLetterReason.Unhandled)
            {
                ArvoHttpLog.EventFailed(logger, failure.Exception, context.Request.Method, context.Request.Path, arvoEvent.Id, failure.ErrorType);
            }

            return ArvoProblems.FromFailure(failure, dispatcher.Registry, options).ToResult(context);
        }

        return mode switch
        {
            ArvoHttpResponseMode.EmittedEvents => Emitted(dispatched.Emitted),
            ArvoHttpResponseMode.Accepted => Accepted(arvoEvent, dispatched.Execution!.Outcome),
            _ => null,
        };
    }

    private ArvoHttpResponseMode Mode(HttpContext context)
    {
        foreach (var value in context.Request.Headers[PreferHeader])
        {
            foreach (var preference in (value ?? string.Empty).Split(','))
            {
                var token = preference.Split(';')[0].Trim();
                if (token.Equals(ReturnRepresentation, StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[PreferenceAppliedHeader] = ReturnRepresentation;
                    return ArvoHttpResponseMode.EmittedEvents;
                }

                if (token.Equals(ReturnMinimal, StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[PreferenceAppliedHeader] = ReturnMinimal;
                    return ArvoHttpResponseMode.Accepted;
                }
            }
        }

        return options.ResponseMode;
    }

    private static JsonBytesResult Emitted(IReadOnlyList<ArvoEvent> emitted)
    {
        var body = ArvoJsonEventFormatter.Instance.EncodeBatchModeMessage(emitted.Select(arvoEvent => arvoEvent.ToCloudEvent()), out var contentType);
        return new JsonBytesResult(StatusCodes.Status200OK, body, contentType.ToString());
    }

    private static JsonBytesResult Accepted(ArvoEvent arvoEvent, ArvoExecutionOutcome outcome)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output, JsonBytesResult.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("eventId", arvoEvent.Id);
            writer.WriteString("subject", arvoEvent.Subject);
            writer.WriteString("outcome", JsonNamingPolicy.CamelCase.ConvertName(outcome.ToString()));
            writer.WriteEndObject();
        }

        return new JsonBytesResult(StatusCodes.Status202Accepted, output.WrittenMemory, JsonBytesResult.JsonContentType);
    }
}
