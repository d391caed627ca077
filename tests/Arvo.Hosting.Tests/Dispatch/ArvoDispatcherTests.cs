using Arvo.Dispatch;
using Arvo.Handlers;
using Arvo.Hosting.Tests.TestSupport;
using Arvo.Memory;
using Arvo.Samples.Counter;
using Arvo.Telemetry;
using Arvo.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace Arvo.Hosting.Tests.Dispatch;

public sealed class ArvoDispatcherTests
{
    [Fact]
    public async Task DispatchAsync_UnknownDestination_DeadLettersTheOriginalEventWithTheReason()
    {
        using var host = TestHosts.Build(arvo => arvo.AddHandler(CounterHandlers.CreateIncrement()));
        var evt = TestEvents.To("com.nobody");

        var result = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(evt);

        result.Succeeded.Should().BeFalse();
        result.DeadLettered.Should().BeTrue();
        result.Attempts.Should().Be(0);
        var letter = host.Services.GetRequiredService<IArvoDeadLetterSink>().Should().BeOfType<InMemoryDeadLetterSink>().Which.Letters.Should().ContainSingle().Which;
        letter.Event.Should().BeSameAs(evt);
        letter.Reason.Should().Be(ArvoDeadLetterReason.UnknownDestination);
        letter.ErrorType.Should().Be("UnknownDestination");
        letter.Detail.Should().Be("No handler, orchestrator or resumable consumes to='com.nobody'; this host consumes: com.number.increment.");
    }

    [Fact]
    public async Task DispatchAsync_DeadLetterFailuresOff_ReportsTheFailureWithoutWritingIt()
    {
        using var host = TestHosts.Build(arvo => arvo.AddHandler(CounterHandlers.CreateIncrement()));

        var result = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(
            TestEvents.To("com.nobody"), new ArvoDispatchOptions { DeadLetterFailures = false });

        result.DeadLettered.Should().BeFalse();
        result.Failure!.Reason.Should().Be(ArvoDeadLetterReason.UnknownDestination);
        ((InMemoryDeadLetterSink)host.Services.GetRequiredService<IArvoDeadLetterSink>()).TotalCount.Should().Be(0);
    }

    [Fact]
    public async Task DispatchAsync_LockDeniedTwice_RetriesWithBackoffThenSucceeds()
    {
        var handler = new ScriptedHandler("com.test.locked",
            ScriptedHandler.Throw(ScriptedHandler.LockDenied()), ScriptedHandler.Throw(ScriptedHandler.LockDenied()), ScriptedHandler.Succeed());
        using var host = TestHosts.Build(arvo => arvo.AddHandler(handler));
        using var retries = new MetricCollector<long>(host.Services.GetRequiredService<ArvoMetrics>().Meter(), ArvoMetrics.LockRetriesName);
        var evt = TestEvents.To("com.test.locked");

        var result = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(evt);

        result.Succeeded.Should().BeTrue();
        result.Attempts.Should().Be(3);
        retries.GetMeasurementSnapshot().Select(m => (m.Value, m.Tags["error.type"])).Should().Equal((1L, (object?)"LOCK_UNACQUIRED"), (1L, "LOCK_UNACQUIRED"));
        host.Logs().GetSnapshot().Where(r => r.Id.Id == 7).Select(r => r.Message).Should().Equal(
            [.. new[] { 1, 2 }.Select(attempt => $"Event {evt.Id} (com.test.command) attempt {attempt} in com.test.locked failed with LOCK_UNACQUIRED; retrying in ")],
            (actual, expected) => actual.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DispatchAsync_LockNeverFree_DeadLettersAfterEveryAttemptAsRetriesExhausted()
    {
        var handler = new ScriptedHandler("com.test.locked", ScriptedHandler.Throw(ScriptedHandler.LockDenied()));
        using var host = TestHosts.Build(arvo => arvo.AddHandler(handler).Configure(o => o.MaxRetryAttempts = 2));

        var result = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(TestEvents.To("com.test.locked"));

        result.DeadLettered.Should().BeTrue();
        result.Attempts.Should().Be(3);
        result.Failure!.Reason.Should().Be(ArvoDeadLetterReason.RetriesExhausted);
        result.Failure.ErrorType.Should().Be("LOCK_UNACQUIRED");
        result.Failure.Detail.Should().Be("ViolationError<OrchestratorTransaction> [LOCK_UNACQUIRED] Lock acquisition denied - Unable to obtain exclusive access to event processing");
        handler.Calls.Should().Be(3);
    }

    [Fact]
    public async Task DispatchAsync_ContractViolation_IsDeadLetteredAtOnceWithoutRetry()
    {
        using var host = TestHosts.Build(arvo => arvo.AddHandler(CounterHandlers.CreateIncrement()));
        var poison = TestEvents.To(CounterContracts.IncrementType, CounterContracts.IncrementType, new Dictionary<string, object?> { ["delta"] = "five" });

        var result = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(poison);

        result.Attempts.Should().Be(1);
        result.Failure!.Reason.Should().Be(ArvoDeadLetterReason.Violation);
        result.Failure.ErrorType.Should().Be("Contract");
        result.Failure.Detail.Should().StartWith("ViolationError<Contract> Input event payload validation failed: ");
        result.Failure.Detail.Should().Contain("delta");
    }

    [Fact]
    public async Task DispatchAsync_UnexpectedException_IsDeadLetteredAsUnhandled()
    {
        var handler = new ScriptedHandler("com.test.broken", ScriptedHandler.Throw(new InvalidOperationException("boom")));
        using var host = TestHosts.Build(arvo => arvo.AddHandler(handler));

        var result = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(TestEvents.To("com.test.broken"));

        result.Failure!.Reason.Should().Be(ArvoDeadLetterReason.Unhandled);
        result.Failure.ErrorType.Should().Be("InvalidOperationException");
        result.Failure.Exception.Should().BeOfType<InvalidOperationException>();
        handler.Calls.Should().Be(1);
    }

    [Fact]
    public async Task Worker_PoisonEventOnTheTransport_EndsInTheDeadLetterSinkWithItsReason()
    {
        using var host = TestHosts.Build(arvo => arvo.AddHandler(CounterHandlers.CreateIncrement()));
        using var deadLetters = new MetricCollector<long>(host.Services.GetRequiredService<ArvoMetrics>().Meter(), ArvoMetrics.DeadLettersName);
        await host.StartAsync();
        var poison = TestEvents.To(CounterContracts.IncrementType, CounterContracts.IncrementType, new Dictionary<string, object?> { ["delta"] = "five" });

        await host.Services.GetRequiredService<IArvoTransport>().PublishAsync(poison);
        var sink = (InMemoryDeadLetterSink)host.Services.GetRequiredService<IArvoDeadLetterSink>();
        await TestHosts.WaitUntilAsync(() => sink.TotalCount == 1, "the poison event to be dead-lettered");

        sink.Letters[0].Event.Should().BeSameAs(poison);
        sink.Letters[0].Reason.Should().Be(ArvoDeadLetterReason.Violation);
        deadLetters.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags.Should().Contain(
            new KeyValuePair<string, object?>("arvo.dead_letter.reason", "violation"));
        var log = host.Logs().GetSnapshot().Should().ContainSingle(r => r.Id.Id == 8).Which;
        log.Level.Should().Be(LogLevel.Error);
        log.Message.Should().StartWith($"Event {poison.Id} (com.number.increment) to com.number.increment dead-lettered after 1 attempts: Violation (Contract) ViolationError<Contract> Input event payload validation failed: ");
        await host.StopAsync();
    }

    [Fact]
    public async Task DispatchAsync_AnswerForAWorkflowThatDoesNotExist_IsIgnoredAndLogged()
    {
        using var host = TestHosts.Build(arvo => arvo.AddOrchestrator(o => o.Machines(CounterMachine.Create())));
        using var executions = new MetricCollector<long>(host.Services.GetRequiredService<ArvoMetrics>().Meter(), ArvoMetrics.ExecutionsName);
        var init = CounterWorkflows.CreateInit("increment", 1);
        var answer = ArvoEvent.Create(new Arvo.Events.ArvoEventInit
        {
            Source = CounterContracts.IncrementType,
            Type = CounterContracts.IncrementSuccessType,
            Subject = init.Subject,
            To = CounterContracts.OrchestratorType,
            Data = new Dictionary<string, object?> { ["newValue"] = 1 },
        });

        var result = await host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(answer);

        result.Execution!.Outcome.Should().Be(ArvoExecutionOutcome.IgnoredNotInitialized);
        result.Emitted.Should().BeEmpty();
        executions.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags.Should().Contain(new KeyValuePair<string, object?>("arvo.outcome", "ignored_not_initialized"));
        host.Logs().GetSnapshot().Should().ContainSingle(r => r.Id.Id == 5).Which.Message.Should().Be(
            $"Event {answer.Id} (evt.number.increment.success) ignored by arvo.orc.counter: no workflow exists for its subject and only the init event arvo.orc.counter starts one");
    }

    [Fact]
    public async Task DispatchAsync_RedeliveredInit_IsAnsweredFromTheInboxAndLoggedAsReplayed()
    {
        using var host = TestHosts.Build(arvo => arvo.AddOrchestrator(o => o.Machines(CounterMachine.Create())));
        var dispatcher = host.Services.GetRequiredService<IArvoDispatcher>();
        var init = CounterWorkflows.CreateInit("increment", 1);

        var first = await dispatcher.DispatchAsync(init);
        var second = await dispatcher.DispatchAsync(init);

        first.Execution!.Outcome.Should().Be(ArvoExecutionOutcome.Executed);
        second.Execution!.Outcome.Should().Be(ArvoExecutionOutcome.Replayed);
        second.Emitted.Select(e => e.Id).Should().Equal(first.Emitted.Select(e => e.Id));
        host.Logs().GetSnapshot().Should().ContainSingle(r => r.Id.Id == 2);
    }

    [Fact]
    public async Task DispatchAsync_RealLockHeldByAnotherOwner_RetriesUntilTheLeaseIsReleased()
    {
        using var host = TestHosts.Build(arvo => arvo
            .AddOrchestrator(o => o.Machines(CounterMachine.Create()).RequiresResourceLocking(true))
            .Configure(o =>
            {
                o.MaxRetryAttempts = 100;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
                o.RetryMaxDelay = TimeSpan.FromMilliseconds(20);
            }));
        using var retries = new MetricCollector<long>(host.Services.GetRequiredService<ArvoMetrics>().Meter(), ArvoMetrics.LockRetriesName);
        var memory = host.Services.GetRequiredService<IMachineMemory<MachineMemoryRecord>>();
        var init = CounterWorkflows.CreateInit("increment", 1);
        var holder = MachineMemoryLockToken.NewToken();
        (await memory.LockAsync(init.Subject, holder)).Should().BeTrue();

        var dispatch = host.Services.GetRequiredService<IArvoDispatcher>().DispatchAsync(init).AsTask();
        await retries.WaitForMeasurementsAsync(1, TestHosts.Deadline);
        dispatch.IsCompleted.Should().BeFalse();
        (await memory.UnlockAsync(init.Subject, holder)).Should().BeTrue();
        var result = await dispatch.WaitAsync(TestHosts.Deadline);

        result.Succeeded.Should().BeTrue();
        result.Attempts.Should().BeGreaterThan(1);
        result.Attempts.Should().Be(retries.GetMeasurementSnapshot().Count + 1);
        result.Emitted.Select(e => e.Type).Should().Equal(CounterContracts.IncrementType);
    }
}
