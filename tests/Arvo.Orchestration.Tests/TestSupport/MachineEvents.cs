using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Factories;

namespace Arvo.Tests.TestSupport;

/// <summary>Events for the TestMachine: init events from the orchestrator factory, service responses from the contract factories.</summary>
internal static class MachineEvents
{
    public const string Initiator = "com.test.service";

    public static ArvoEvent Init(double delta = 1, string type = "increment", string? traceParent = null, string? traceState = null) =>
        new ArvoOrchestratorEventFactory(CounterContracts.Machine.Version("0.0.1"))
            .Init(
                new ArvoEventEnvelope { Source = Initiator, TraceParent = traceParent, TraceState = traceState },
                new JsonObject { ["parentSubject$$"] = null, ["delta"] = delta, ["type"] = type });

    /// <summary>An init event whose data is not checked (e.g. an invalid <c>type</c>), with a valid orchestration subject.</summary>
    public static ArvoEvent RawInit(object data) =>
        ArvoEvent.Create(new ArvoEventInit
        {
            Source = Initiator,
            Type = "arvo.orc.test",
            Subject = ArvoOrchestrationSubject.New("arvo.orc.test", "0.0.1", Initiator),
            DataSchema = "#/test/machine/0.0.1",
            Data = data,
        });

    public static ArvoEvent IncrementSuccess(string subject, double newValue = 10, string version = "0.0.1") =>
        new ArvoEventFactory(CounterContracts.Increment.Version(version))
            .Emits(new ArvoEventEnvelope { Source = "com.number.increment", Subject = subject }, "evt.number.increment.success", new { newValue });

    public static ArvoEvent DecrementSuccess(string subject, double newValue = -10) =>
        new ArvoEventFactory(CounterContracts.Decrement.Version("0.0.1"))
            .Emits(new ArvoEventEnvelope { Source = "com.number.decrement", Subject = subject }, "evt.number.decrement.success", new { newValue });

    public static ArvoEvent IncrementError(string subject, string message = "Increment failed") =>
        new ArvoEventFactory(CounterContracts.Increment.Version("0.0.1"))
            .SystemError(new ArvoEventEnvelope { Source = "com.number.increment", Subject = subject }, new InvalidOperationException(message));

    public static ArvoEvent DecrementError(string subject, string message = "Decrement failed") =>
        new ArvoEventFactory(CounterContracts.Decrement.Version("0.0.1"))
            .SystemError(new ArvoEventEnvelope { Source = "com.number.decrement", Subject = subject }, new InvalidOperationException(message));

    /// <summary>An arbitrary event (no contract) on <paramref name="subject"/>.</summary>
    public static ArvoEvent Of(string type, string subject, object? data = null) =>
        ArvoEvent.Create(new ArvoEventInit { Source = "com.test.other", Type = type, Subject = subject, Data = data ?? new { } });
}
