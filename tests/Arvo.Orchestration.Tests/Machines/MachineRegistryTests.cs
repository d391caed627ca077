using System.Diagnostics;
using Arvo.Factories;
using Arvo.Machines;
using Arvo.Telemetry;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>Scenarios R-1 and R-2 (orchestrator.md 5).</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class MachineRegistryTests
{
    private static readonly ArvoOrchestratorContract TestContract = ArvoContract.CreateOrchestrator("#/test/machine", "test", c => c
        .Version("0.0.1", v => v.Init(CounterContracts.InitSchema).Complete(CounterContracts.CompleteSchema))
        .Version("0.0.2", v => v.Init(CounterContracts.InitSchema).Complete(CounterContracts.CompleteSchema)));

    private static readonly ArvoOrchestratorContract Machine2Contract = ArvoContract.CreateOrchestrator("#/test/machine/2", "machine.2", c => c
        .Version("0.0.1", v => v.Init(CounterContracts.InitSchema).Complete(CounterContracts.CompleteSchema)));

    private static ArvoMachine<CounterContext> Build(VersionedArvoContract self) =>
        ArvoMachine.Setup<CounterContext>(self).CreateMachine("machine", m => m
            .Context(input => input.GetData<CounterContext>()!)
            .Initial("done")
            .Final("done"));

    private static ArvoEvent Init(VersionedArvoContract self) =>
        new ArvoOrchestratorEventFactory(self).Init(
            new ArvoEventEnvelope { Source = "com.test.service" },
            new Dictionary<string, object?> { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "increment" });

    [Fact]
    public void Constructor_NoMachines_Throws()
    {
        var act = () => new MachineRegistry();

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            "Machine registry initialization failed: No machines provided. At least one machine must be registered.");
    }

    [Fact]
    public void Resolve_SubjectNameAndVersion_ReturnsTheMatchingMachine()
    {
        var test1 = Build(TestContract.Version("0.0.1"));
        var test2 = Build(TestContract.Version("0.0.2"));
        var machine2 = Build(Machine2Contract.Version("0.0.1"));
        var registry = new MachineRegistry(test1, test2, machine2);

        Resolve(registry, Init(TestContract.Version("0.0.1"))).Should().BeSameAs(test1);
        Resolve(registry, Init(TestContract.Version("0.0.2"))).Should().BeSameAs(test2);
        Resolve(registry, Init(Machine2Contract.Version("0.0.1"))).Should().BeSameAs(machine2);
        registry.Machines.Should().Equal(test1, test2, machine2);
    }

    [Fact]
    public void Resolve_NoMachineForSubject_ReturnsNull()
    {
        var registry = new MachineRegistry(Build(TestContract.Version("0.0.1")), Build(TestContract.Version("0.0.2")));

        Resolve(registry, Init(Machine2Contract.Version("0.0.1"))).Should().BeNull();
    }

    [Fact]
    public void Resolve_WildcardSubjectVersion_ReturnsNull()
    {
        var registry = new MachineRegistry(Build(TestContract.Version("0.0.1")));
        var init = Init(TestContract.Version("0.0.1")).WithSubject(ArvoOrchestrationSubject.New("arvo.orc.test", "0.0.0", "com.test.service"));

        Resolve(registry, init).Should().BeNull();
    }

    [Fact]
    public void Resolve_SameSourceAndVersionTwice_ReturnsTheFirst()
    {
        var first = Build(TestContract.Version("0.0.1"));
        var registry = new MachineRegistry(first, Build(TestContract.Version("0.0.1")));

        Resolve(registry, Init(TestContract.Version("0.0.1"))).Should().BeSameAs(first);
    }

    [Fact]
    public void Resolve_GivenSubject_UsedInsteadOfDecodingTheEventSubject()
    {
        var test1 = Build(TestContract.Version("0.0.1"));
        var test2 = Build(TestContract.Version("0.0.2"));
        var registry = new MachineRegistry(test1, test2);
        var init = Init(TestContract.Version("0.0.1"));

        var resolved = registry.Resolve(init, ArvoOrchestrationSubject.Parse(Init(TestContract.Version("0.0.2")).Subject));

        resolved.Should().BeSameAs(test2);
    }

    [Fact]
    public void Resolve_NullSubject_ThrowsArgumentNull()
    {
        var registry = new MachineRegistry(Build(TestContract.Version("0.0.1")));

        var act = () => registry.Resolve(MachineEvents.Of("evt.number.increment.success", "not-a-subject"), null!);

        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("subject");
    }

    [Fact]
    public void Resolve_WithListener_RecordsResolveMachineSpan()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArvoTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var registry = new MachineRegistry(Build(TestContract.Version("0.0.1")));

        Resolve(registry, Init(TestContract.Version("0.0.2")));

        var span = spans.Should().ContainSingle(s => s.OperationName == "Resolve Machine").Subject;
        span.GetTagItem("arvo.parsed.subject.orchestrator.name").Should().Be("arvo.orc.test");
        span.GetTagItem("arvo.parsed.subject.orchestrator.version").Should().Be("0.0.2");
        var log = span.Events.Should().ContainSingle(e => e.Name == "log").Subject;
        log.Tags.Should().Contain(new KeyValuePair<string, object?>("log.severity", "WARNING"));
        log.Tags.Should().Contain(new KeyValuePair<string, object?>("log.message", "No machine found for arvo.orc.test@0.0.2"));
    }

    private static ArvoMachine? Resolve(MachineRegistry registry, ArvoEvent arvoEvent) =>
        registry.Resolve(arvoEvent, ArvoOrchestrationSubject.Parse(arvoEvent.Subject));
}
