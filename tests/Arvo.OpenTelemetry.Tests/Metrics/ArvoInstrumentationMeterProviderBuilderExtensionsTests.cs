using System.Diagnostics.Metrics;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Memory;
using Arvo.OpenTelemetry.Tests.TestSupport;
using Arvo.Resumable;
using Arvo.Samples.Counter;
using Arvo.Telemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Arvo.OpenTelemetry.Tests.Metrics;

/// <summary>Metrics through a real host: exactly the documented instruments, with exact values and tags.</summary>
public sealed class ArvoInstrumentationMeterProviderBuilderExtensionsTests
{
    private const string Orchestrator = "arvo.orc.counter";
    private const string Increment = "com.number.increment";
    private const string Notification = "notif.number.update";
    private const string DispatcherCategory = "Arvo.Dispatch.ArvoDispatcher";

    [Fact]
    public void AddArvoInstrumentation_NullBuilder_Throws()
    {
        var act = () => ArvoInstrumentationMeterProviderBuilderExtensions.AddArvoInstrumentation(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("builder");
    }

    [Fact]
    public void ArvoMetricsMeterName_IsTheNameAddArvoInstrumentationAdds() =>
        ArvoMetrics.MeterName.Should().Be(ArvoTelemetry.ActivitySourceName);

    [Fact]
    public void AddArvoInstrumentation_CalledTwice_ExportsEachMeasurementOnce()
    {
        var metrics = new List<MetricSnapshot>();
        using var meter = new Meter(ArvoMetrics.MeterName);
        var counter = meter.CreateCounter<long>("arvo.test");
        using var provider = Sdk.CreateMeterProviderBuilder().AddArvoInstrumentation().AddArvoInstrumentation().AddInMemoryExporter(metrics).Build();

        counter.Add(1);
        provider.ForceFlush().Should().BeTrue();

        ExportedPoint.From(metrics).Should().Equal(new ExportedPoint("arvo.test", "", 1));
    }

    [Fact]
    public async Task AddArvoInstrumentation_CounterWorkflow_CountsEachExecutionByDestinationAndOutcome()
    {
        await using var host = await CounterHost.StartAsync();
        var init = CounterWorkflows.CreateInit("increment", 2);

        await host.Dispatcher.DispatchAsync(init);
        await host.WaitUntilDoneAsync(init.Subject);
        var metrics = host.FlushMetrics();

        // The completion goes to com.test.service, which this host does not consume: it is not dispatched here.
        ExportedPoint.From(metrics).Should().BeEquivalentTo(new[]
        {
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Orchestrator},arvo.outcome=executed", 2),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Increment},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Notification},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Orchestrator},arvo.outcome=executed", 2),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Increment},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Notification},arvo.outcome=executed", 1),
        });
    }

    [Fact]
    public async Task AddArvoInstrumentation_Instruments_HaveTheDocumentedKindsAndUnits()
    {
        await using var host = await CounterHost.StartAsync();
        var init = CounterWorkflows.CreateInit("increment", 2);

        await host.Dispatcher.DispatchAsync(init);
        await host.WaitUntilDoneAsync(init.Subject);
        var metrics = host.FlushMetrics();

        metrics.Select(metric => (metric.Name, metric.MetricType, metric.Unit)).Should().BeEquivalentTo(new[]
        {
            (ArvoMetrics.ExecutionsName, MetricType.LongSum, "{execution}"),
            (ArvoMetrics.ExecutionDurationName, MetricType.Histogram, "s"),
        });
        metrics.Should().OnlyContain(metric => metric.MeterName == ArvoMetrics.MeterName);
    }

    [Fact]
    public async Task AddArvoInstrumentation_EventToUnknownDestination_CountsADeadLetterWithItsReason()
    {
        await using var host = await CounterHost.StartAsync();
        var poison = new ArvoEventFactory(CounterContracts.Increment.Version(CounterContracts.Version))
            .Accepts(new ArvoEventEnvelope { Source = "com.test.client", To = "com.nobody" }, new { delta = 1 });

        var result = await host.Dispatcher.DispatchAsync(poison);
        var metrics = host.FlushMetrics();

        result.DeadLettered.Should().BeTrue();
        ExportedPoint.From(metrics).Should().BeEquivalentTo(new[]
        {
            new ExportedPoint(ArvoMetrics.ExecutionsName, "arvo.destination=com.nobody,arvo.outcome=dead_lettered", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, "arvo.destination=com.nobody,arvo.outcome=dead_lettered", 1),
            new ExportedPoint(ArvoMetrics.DeadLettersName, "arvo.dead_letter.reason=unknown_destination,arvo.destination=com.nobody", 1),
        });
        var log = host.Logs.GetSnapshot().Single(record => record.Category == DispatcherCategory && record.Id.Id == 8);
        log.Level.Should().Be(LogLevel.Error);
        log.Message.Should().Be(
            $"Event {poison.Id} (com.number.increment) to com.nobody dead-lettered after 0 attempts: UnknownDestination (UnknownDestination) "
            + "No handler, orchestrator or resumable consumes to='com.nobody'; this host consumes: com.number.increment, com.number.decrement, notif.number.update, arvo.orc.counter.");
    }

    [Fact]
    public async Task AddArvoInstrumentation_EventTheHandlerRejects_CountsOneErrorAndADeadLetterWithoutRetry()
    {
        await using var host = await CounterHost.StartAsync();
        var poison = ArvoEvent.Create(new ArvoEventInit
        {
            Source = "com.test.client",
            Type = "com.number.multiply",
            Subject = "poison",
            To = Increment,
            Data = new { delta = 1 },
        });

        var result = await host.Dispatcher.DispatchAsync(poison);
        var metrics = host.FlushMetrics();

        result.Failure!.Reason.Should().Be(Arvo.Dispatch.ArvoDeadLetterReason.Violation);
        ExportedPoint.From(metrics).Should().BeEquivalentTo(new[]
        {
            new ExportedPoint(ArvoMetrics.ErrorsName, $"arvo.destination={Increment},error.type=Config", 1),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Increment},arvo.outcome=dead_lettered", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Increment},arvo.outcome=dead_lettered", 1),
            new ExportedPoint(ArvoMetrics.DeadLettersName, $"arvo.dead_letter.reason=violation,arvo.destination={Increment}", 1),
        });
    }

    [Fact]
    public async Task AddArvoInstrumentation_LockDeniedOnce_CountsOneErrorAndOneLockRetry()
    {
        await using var host = await CounterHost.StartAsync(
            orchestrator => orchestrator.RequiresResourceLocking(true),
            arvo => arvo.UseMemory(_ => new LockDenyingMemory(), _ => new SimpleMachineMemory<ArvoResumableState>()));
        var init = CounterWorkflows.CreateInit("increment", 2);

        var result = await host.Dispatcher.DispatchAsync(init);
        await host.WaitUntilDoneAsync(init.Subject);
        var metrics = host.FlushMetrics();

        result.Attempts.Should().Be(2);
        ExportedPoint.From(metrics).Should().BeEquivalentTo(new[]
        {
            new ExportedPoint(ArvoMetrics.ErrorsName, $"arvo.destination={Orchestrator},error.type=LOCK_UNACQUIRED", 1),
            new ExportedPoint(ArvoMetrics.LockRetriesName, $"arvo.destination={Orchestrator},error.type=LOCK_UNACQUIRED", 1),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Orchestrator},arvo.outcome=executed", 2),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Increment},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Notification},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Orchestrator},arvo.outcome=executed", 2),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Increment},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Notification},arvo.outcome=executed", 1),
        });
        var log = host.Logs.GetSnapshot().Single(record => record.Category == DispatcherCategory && record.Id.Id == 7);
        log.Level.Should().Be(LogLevel.Warning);
        log.Message.Should().StartWith($"Event {init.Id} (arvo.orc.counter) attempt 1 in arvo.orc.counter failed with LOCK_UNACQUIRED; retrying in ");
    }

    [Fact]
    public async Task AddArvoInstrumentation_LockDeniedOnEveryAttempt_CountsTheRetriesAndADeadLetterThatTookTime()
    {
        await using var host = await CounterHost.StartAsync(
            orchestrator => orchestrator.RequiresResourceLocking(true),
            arvo => arvo
                .UseMemory(_ => new LockDenyingMemory(int.MaxValue), _ => new SimpleMachineMemory<ArvoResumableState>())
                .Configure(options => options.MaxRetryAttempts = 2));
        var init = CounterWorkflows.CreateInit("increment", 2);

        var result = await host.Dispatcher.DispatchAsync(init);
        var metrics = host.FlushMetrics();

        result.Failure!.Reason.Should().Be(Arvo.Dispatch.ArvoDeadLetterReason.RetriesExhausted);
        result.Attempts.Should().Be(3);
        ExportedPoint.From(metrics).Should().BeEquivalentTo(new[]
        {
            new ExportedPoint(ArvoMetrics.ErrorsName, $"arvo.destination={Orchestrator},error.type=LOCK_UNACQUIRED", 3),
            new ExportedPoint(ArvoMetrics.LockRetriesName, $"arvo.destination={Orchestrator},error.type=LOCK_UNACQUIRED", 2),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Orchestrator},arvo.outcome=dead_lettered", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Orchestrator},arvo.outcome=dead_lettered", 1),
            new ExportedPoint(ArvoMetrics.DeadLettersName, $"arvo.dead_letter.reason=retries_exhausted,arvo.destination={Orchestrator}", 1),
        });
        var duration = metrics.Single(metric => metric.Name == ArvoMetrics.ExecutionDurationName).MetricPoints.Single();
        duration.GetHistogramSum().Should().BePositive("the dispatch ran three attempts and waited between them");
        var log = host.Logs.GetSnapshot().Single(record => record.Category == DispatcherCategory && record.Id.Id == 8);
        log.Level.Should().Be(LogLevel.Error);
        log.Message.Should().StartWith($"Event {init.Id} (arvo.orc.counter) to arvo.orc.counter dead-lettered after 3 attempts: RetriesExhausted (LOCK_UNACQUIRED) ");
    }

    [Fact]
    public async Task AddArvoInstrumentation_EventLeftInAnOutbox_IsRelayedAtStartAndItsLagRecorded()
    {
        // An execution stored its record and outbox, then the process died before publishing: the command is pending.
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).Machines(CounterMachine.Create()).Build();
        var init = CounterWorkflows.CreateInit("increment", 2);
        (await orchestrator.ExecuteAsync(init)).All.Select(e => e.Type).Should().Equal(Increment);

        await using var host = await CounterHost.StartAsync(configure: arvo => arvo
            .UseMemory(_ => memory, _ => new SimpleMachineMemory<ArvoResumableState>())
            .Configure(options =>
            {
                options.OutboxRelayMinimumAge = TimeSpan.Zero;
                options.OutboxRelayInterval = TimeSpan.FromHours(1);
            }));
        await host.WaitUntilDoneAsync(init.Subject);
        var metrics = host.FlushMetrics();

        ExportedPoint.From(metrics).Should().BeEquivalentTo(new[]
        {
            new ExportedPoint(ArvoMetrics.OutboxLagName, "", 1),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Orchestrator},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Increment},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Notification},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Orchestrator},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Increment},arvo.outcome=executed", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Notification},arvo.outcome=executed", 1),
        });
        metrics.Single(metric => metric.Name == ArvoMetrics.OutboxLagName).Unit.Should().Be("s");
        var log = host.Logs.GetSnapshot().Single(record => record.Category == "Arvo.Hosting.ArvoOutboxRelayRunner" && record.Id.Id == 10);
        log.Level.Should().Be(LogLevel.Information);
        log.Message.Should().Be("Outbox relay published 1 pending events");
    }

    [Fact]
    public async Task AddArvoInstrumentation_EventForAnotherOrchestrator_CountsItIgnoredAndLogsAWarning()
    {
        await using var host = await CounterHost.StartAsync();
        // A fresh command's subject names its own contract's orchestrator, com.number.increment, not the counter.
        var stray = new ArvoEventFactory(CounterContracts.Increment.Version(CounterContracts.Version))
            .Accepts(new ArvoEventEnvelope { Source = "com.test.client", To = Orchestrator }, new { delta = 1 });

        var result = await host.Dispatcher.DispatchAsync(stray);
        var metrics = host.FlushMetrics();

        result.Execution!.Outcome.Should().Be(Arvo.Handlers.ArvoExecutionOutcome.IgnoredOtherOrchestrator);
        ExportedPoint.From(metrics).Should().BeEquivalentTo(new[]
        {
            new ExportedPoint(ArvoMetrics.ExecutionsName, $"arvo.destination={Orchestrator},arvo.outcome=ignored_other_orchestrator", 1),
            new ExportedPoint(ArvoMetrics.ExecutionDurationName, $"arvo.destination={Orchestrator},arvo.outcome=ignored_other_orchestrator", 1),
        });
        var log = host.Logs.GetSnapshot().Single(record => record.Category == DispatcherCategory && record.Id.Id == 3);
        log.Level.Should().Be(LogLevel.Warning);
        log.Message.Should().Be($"Event {stray.Id} (com.number.increment) ignored by arvo.orc.counter: its subject names another orchestrator");
    }
}
