using System.Data.Common;
using Arvo.Handlers;
using Arvo.Hosting;
using Arvo.Memory;
using Arvo.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Arvo.Dispatch;

/// <summary>The host's <see cref="IArvoDispatcher"/>: route by <c>to</c>, execute with retries, publish, dead-letter.</summary>
internal sealed class ArvoDispatcher : IArvoDispatcher
{
    private static readonly ResiliencePropertyKey<Attempt> AttemptKey = new("arvo.attempt");

    private readonly ArvoEventPublisher _publisher;
    private readonly IArvoDeadLetterSink _deadLetters;
    private readonly TimeProvider _timeProvider;
    private readonly ArvoMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;

    public ArvoDispatcher(
        ArvoHandlerRegistry registry,
        ArvoEventPublisher publisher,
        IArvoDeadLetterSink deadLetters,
        IOptions<ArvoHostingOptions> options,
        TimeProvider timeProvider,
        ArvoMetrics metrics,
        ILogger<ArvoDispatcher> logger)
    {
        Registry = registry;
        _publisher = publisher;
        _deadLetters = deadLetters;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _retry = CreateRetryPipeline(options.Value, timeProvider);
    }

    public ArvoHandlerRegistry Registry { get; }

    public async ValueTask<ArvoDispatchResult> DispatchAsync(ArvoEvent arvoEvent, ArvoDispatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arvoEvent);
        options ??= ArvoDispatchOptions.Default;
        if (!Registry.TryGetHandler(arvoEvent.To, out var handler))
        {
            var consumed = Registry.Destinations.Count == 0 ? "nothing" : string.Join(", ", Registry.Destinations);
            return await FailAsync(
                arvoEvent,
                arvoEvent.To ?? "",
                ArvoDeadLetterReason.UnknownDestination,
                $"No handler, orchestrator or resumable consumes to='{arvoEvent.To}'; this host consumes: {consumed}.",
                nameof(ArvoDeadLetterReason.UnknownDestination),
                attempts: 0,
                error: null,
                options,
                cancellationToken).ConfigureAwait(false);
        }

        var started = _timeProvider.GetTimestamp();
        var attempt = new Attempt(handler, arvoEvent, this);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AttemptKey, attempt);
        ArvoExecutionResult result;
        try
        {
            result = await _retry.ExecuteAsync(
                static (context, attempt) => attempt.ExecuteAsync(context.CancellationToken),
                context,
                attempt).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error)
        {
            var (reason, errorType) = Classify(error);
            return await FailAsync(arvoEvent, handler.Source, reason, error.Message, errorType, attempt.Count, error, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        LogOutcome(arvoEvent, handler.Source, result);
        _metrics.RecordExecution(handler.Source, ArvoMetrics.OutcomeName(result.Outcome), _timeProvider.GetElapsedTime(started));
        await _publisher.PublishEmittedAsync(handler, arvoEvent, result.All, cancellationToken).ConfigureAwait(false);
        return ArvoDispatchResult.Executed(result, attempt.Count);
    }

    /// <summary>Lock contention, a compare-and-set conflict, a timeout or a store's transient error: worth another attempt.</summary>
    internal static bool IsTransient(Exception error) => error switch
    {
        TransactionViolation => true,
        MachineMemoryConflictException => true,
        DbException { IsTransient: true } => true,
        TimeoutException => true,
        _ => false,
    };

    internal static string ErrorType(Exception error) => error switch
    {
        TransactionViolation transaction => transaction.CauseName,
        ArvoViolation violation => violation.ViolationType,
        _ => error.GetType().Name,
    };

    private static (ArvoDeadLetterReason Reason, string ErrorType) Classify(Exception error) =>
        IsTransient(error) ? (ArvoDeadLetterReason.RetriesExhausted, ErrorType(error))
        : error is ArvoViolation ? (ArvoDeadLetterReason.Violation, ErrorType(error))
        : (ArvoDeadLetterReason.Unhandled, ErrorType(error));

    private static ResiliencePipeline CreateRetryPipeline(ArvoHostingOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static arguments => ValueTask.FromResult(arguments.Outcome.Exception is { } error && IsTransient(error)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = static arguments =>
                {
                    if (arguments.Context.Properties.TryGetValue(AttemptKey, out var attempt) && arguments.Outcome.Exception is { } error)
                    {
                        attempt.Dispatcher.OnRetry(attempt, error, arguments.AttemptNumber + 1, arguments.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private void OnRetry(Attempt attempt, Exception error, int attemptNumber, TimeSpan delay)
    {
        var errorType = ErrorType(error);
        _metrics.RecordRetry(attempt.Handler.Source, errorType);
        ArvoHostingLog.Retrying(_logger, attempt.Event.Id, attempt.Event.Type, attemptNumber, attempt.Handler.Source, errorType, delay);
    }

    private void LogOutcome(ArvoEvent arvoEvent, string destination, ArvoExecutionResult result)
    {
        switch (result.Outcome)
        {
            case ArvoExecutionOutcome.Executed:
                ArvoHostingLog.Executed(_logger, arvoEvent.Id, arvoEvent.Type, destination, result.All.Count);
                break;
            case ArvoExecutionOutcome.Replayed:
                ArvoHostingLog.Replayed(_logger, arvoEvent.Id, arvoEvent.Type, destination, result.All.Count);
                break;
            case ArvoExecutionOutcome.IgnoredOtherOrchestrator:
                ArvoHostingLog.IgnoredOtherOrchestrator(_logger, arvoEvent.Id, arvoEvent.Type, destination);
                break;
            case ArvoExecutionOutcome.IgnoredFailedWorkflow:
                ArvoHostingLog.IgnoredFailedWorkflow(_logger, arvoEvent.Id, arvoEvent.Type, destination, arvoEvent.Subject);
                break;
            case ArvoExecutionOutcome.IgnoredNotInitialized:
                ArvoHostingLog.IgnoredNotInitialized(_logger, arvoEvent.Id, arvoEvent.Type, destination);
                break;
            case ArvoExecutionOutcome.Failed:
                ArvoHostingLog.Failed(_logger, arvoEvent.Id, arvoEvent.Type, destination, result.All.Count);
                break;
        }
    }

    private async ValueTask<ArvoDispatchResult> FailAsync(
        ArvoEvent arvoEvent,
        string destination,
        ArvoDeadLetterReason reason,
        string detail,
        string errorType,
        int attempts,
        Exception? error,
        ArvoDispatchOptions options,
        CancellationToken cancellationToken)
    {
        var failure = new ArvoDeadLetter(arvoEvent, reason, detail, errorType, attempts, _timeProvider.GetUtcNow(), error);
        var outcome = options.DeadLetterFailures ? "dead_lettered" : "rejected";
        _metrics.RecordExecution(destination, outcome, TimeSpan.Zero);
        if (!options.DeadLetterFailures)
        {
            ArvoHostingLog.Rejected(_logger, arvoEvent.Id, arvoEvent.Type, destination, reason, errorType, detail);
            return ArvoDispatchResult.Failed(failure, deadLettered: false);
        }

        // Written before the delivery is acknowledged: a crash in between delivers it again, it is never lost.
        await _deadLetters.WriteAsync(failure, cancellationToken).ConfigureAwait(false);
        _metrics.RecordDeadLetter(destination, ArvoMetrics.SnakeCase(reason));
        ArvoHostingLog.DeadLettered(_logger, arvoEvent.Id, arvoEvent.Type, destination, attempts, reason, errorType, detail);
        return ArvoDispatchResult.Failed(failure, deadLettered: true);
    }

    private sealed class Attempt(IArvoEventHandler handler, ArvoEvent arvoEvent, ArvoDispatcher dispatcher)
    {
        public IArvoEventHandler Handler { get; } = handler;

        public ArvoEvent Event { get; } = arvoEvent;

        public ArvoDispatcher Dispatcher { get; } = dispatcher;

        public int Count { get; private set; }

        public async ValueTask<ArvoExecutionResult> ExecuteAsync(CancellationToken cancellationToken)
        {
            Count++;
            try
            {
                return await Handler.ExecuteAsync(Event, null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Dispatcher._metrics.RecordError(Handler.Source, ErrorType(error));
                throw;
            }
        }
    }
}
