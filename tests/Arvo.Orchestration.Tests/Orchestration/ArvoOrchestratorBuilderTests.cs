// Plain errors of the reference are System.Exception here.
#pragma warning disable CA2201

using Arvo.Events;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>Builder options (orchestrator.md 6, spec README D3 and D13).</summary>
public sealed class ArvoOrchestratorBuilderTests
{
    private readonly SimpleMachineMemory<MachineMemoryRecord> _memory = new();

    [Fact]
    public void Build_WithoutMemory_Throws()
    {
        var act = () => ArvoOrchestrator.CreateBuilder().Machines(CounterMachine.CreateTestMachine()).Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("A memory is required*");
    }

    [Fact]
    public void Build_WithoutMachines_Throws()
    {
        var act = () => ArvoOrchestrator.CreateBuilder().Memory(_memory).Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("At least one machine must be provided");
    }

    [Fact]
    public void Build_MachinesAndRegistry_Throws()
    {
        var machine = CounterMachine.CreateTestMachine();

        var act = () => ArvoOrchestrator.CreateBuilder().Memory(_memory).Machines(machine).Registry(new MachineRegistry(machine)).Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("Give either machines*");
    }

    [Fact]
    public void Build_MachinesOfDifferentSelfContracts_ThrowsConfigViolation()
    {
        var other = ArvoContract.CreateOrchestrator("#/test/other/machine", "test", c => c
            .Version("0.0.2", v => v.Init(CounterContracts.InitSchema).Complete(CounterContracts.CompleteSchema)));
        var machine = OrchestrationTestMachines.Variant(a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }), self: other.Version("0.0.2"));

        var act = () => ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(1).Machines(CounterMachine.CreateTestMachine(), machine).Build();

        act.Should().Throw<ConfigViolation>().WithMessage(
            "ViolationError<Config> All the machines in the orchestrator must be versions of one self contract: machine ID:counter (version 0.0.2) uses contract '#/test/other/machine', expected '#/test/machine'.");
    }

    [Fact]
    public void Build_Defaults_AreTheReferenceDefaults()
    {
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(2.5).Machines(CounterMachine.CreateTestMachine()).Build();

        orchestrator.Source.Should().Be("arvo.orc.test");
        orchestrator.Domain.Should().BeNull();
        orchestrator.ExecutionUnits.Should().Be(2.5);
        orchestrator.Memory.Should().BeSameAs(_memory);
        orchestrator.RequiresResourceLocking.Should().BeFalse();
        orchestrator.ExecutionEngine.Should().BeSameAs(MachineExecutionEngine.Instance);
        orchestrator.Registry.Machines.Should().ContainSingle();
        orchestrator.SystemErrorSchema.Type.Should().Be("sys.arvo.orc.test.error");
        orchestrator.DefaultEventEmissionDomains.Services.Should().Equal([null]);
        orchestrator.DefaultEventEmissionDomains.Complete.Should().Equal(ArvoDomain.OrchestrationContext);
        orchestrator.DefaultEventEmissionDomains.SystemError.Should().Equal(ArvoDomain.OrchestrationContext);
        orchestrator.SpanOptions.Kind.Should().Be(System.Diagnostics.ActivityKind.Producer);
        orchestrator.CreationOptions.Should().BeSameAs(ArvoEventCreationOptions.Default);
        orchestrator.ToString().Should().Be("ArvoOrchestrator(source=arvo.orc.test, versions=0.0.1)");
    }

    [Fact]
    public void Build_CalledAgainAfterAChange_LeavesTheFirstOrchestratorAsItWas()
    {
        var builder = ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(1).Machines(CounterMachine.CreateTestMachine());
        var first = builder.Build();

        var second = builder.ExecutionUnits(2).SpanOptions(new ArvoSpanOptions { Kind = System.Diagnostics.ActivityKind.Internal }).Build();

        first.ExecutionUnits.Should().Be(1);
        first.SpanOptions.Kind.Should().Be(System.Diagnostics.ActivityKind.Producer);
        second.ExecutionUnits.Should().Be(2);
        second.SpanOptions.Kind.Should().Be(System.Diagnostics.ActivityKind.Internal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ExecutionUnits_NotFinite_ThrowsArgumentOutOfRange(double executionUnits)
    {
        var act = () => ArvoOrchestrator.CreateBuilder().ExecutionUnits(executionUnits);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("executionUnits");
    }

    [Fact]
    public void RequiresResourceLocking_CustomRegistryAndNoOption_IsTrue()
    {
        // D13: not derivable from a custom registry, so the safe default.
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(_memory).Registry(new MachineRegistry(CounterMachine.CreateTestMachine())).Build();

        orchestrator.RequiresResourceLocking.Should().BeTrue();
    }

    [Fact]
    public void RequiresResourceLocking_ExplicitOption_WinsOverTheMachines()
    {
        var fixture = new ReferenceFixture();

        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(fixture.Memory)
            .Machines(ReferenceMachines.Inc("0.0.1"), ReferenceMachines.Inc("0.0.2"))
            .RequiresResourceLocking(false)
            .Build();

        orchestrator.RequiresResourceLocking.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_CustomEngineAndRegistry_AreUsed()
    {
        var machine = CounterMachine.CreateTestMachine();
        var engine = new CountingEngine();
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(_memory)
            .Registry(new MachineRegistry(machine))
            .ExecutionEngine(engine)
            .RequiresResourceLocking(false)
            .Build();

        (await orchestrator.ExecuteAsync(MachineEvents.Init())).All.Should().ContainSingle();

        engine.Executions.Should().Be(1);
        orchestrator.ExecutionEngine.Should().BeSameAs(engine);
    }

    [Fact]
    public async Task ExecuteAsync_ServicesDefaultDomains_ApplyToRawEventsWithoutDomain()
    {
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(_memory)
            .Machines(CounterMachine.CreateTestMachine())
            .DefaultEventEmissionDomains(new ArvoEventEmissionDomains { Services = [ArvoDomain.Local, "audit.log", ArvoDomain.FromTriggeringEvent] })
            .Build();

        var result = await orchestrator.ExecuteAsync(MachineEvents.Init());

        result.All.Select(e => e.Domain).Should().Equal(null, "audit.log");
    }

    [Fact]
    public async Task ExecuteAsync_SystemErrorDomainAlias_SetsTheSystemErrorDomains()
    {
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(_memory)
            .ExecutionUnits(1)
            .Machines(DumbFixture.Machine(() => new Exception("Normal error")))
            .SystemErrorDomain(ArvoDomain.Local, "errors.audit", ArvoDomain.FromSelfContract)
            .Build();

        var result = await orchestrator.ExecuteAsync(DumbFixture.Init());

        result.All.Select(e => e.Domain).Should().Equal(null, "errors.audit");
        result.All.Should().OnlyContain(e => e.Type == "sys.arvo.orc.dumb.error");
        orchestrator.DefaultEventEmissionDomains.Services.Should().Equal([null]);
    }

    [Fact]
    public void DefaultEventEmissionDomains_EmptyList_Throws()
    {
        var act = () => ArvoOrchestrator.CreateBuilder().DefaultEventEmissionDomains(new ArvoEventEmissionDomains { Complete = [] });

        act.Should().Throw<ArgumentException>()
            .WithMessage("ArvoEventEmissionDomains.Complete must hold at least one value (use [ArvoDomain.Local] for no domain).*");
    }

    [Fact]
    public async Task ExecuteAsync_CreationOptions_DriveIdsAndTime()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(_memory)
            .Machines(CounterMachine.CreateTestMachine())
            .CreationOptions(new ArvoEventCreationOptions { TimeProvider = clock, IdGenerator = new SequenceIdGenerator("fixed-id"), DeterministicEmittedIds = false })
            .Build();

        var evt = (await orchestrator.ExecuteAsync(MachineEvents.Init())).All.Single();

        evt.Id.Should().Be("fixed-id");
        evt.Time.Should().Be("2030-01-02T03:04:05.678+00:00");
    }

    private sealed class CountingEngine : IMachineExecutionEngine
    {
        public int Executions { get; private set; }

        public ArvoMachineExecutionResult Execute(ArvoMachine machine, ArvoMachineSnapshot? snapshot, ArvoEvent arvoEvent, ArvoExecutionOptions? options = null)
        {
            Executions++;
            return MachineExecutionEngine.Instance.Execute(machine, snapshot, arvoEvent, options);
        }
    }

    // ---- Issue 16 item 10: domain literals are checked when they are configured, not at the first event ----

    [Fact]
    public void DefaultEventEmissionDomains_InvalidLiteral_ThrowsNamingTheListTheValueAndTheRule()
    {
        var act = () => ArvoOrchestrator.CreateBuilder()
            .DefaultEventEmissionDomains(new ArvoEventEmissionDomains { Services = [ArvoDomain.Local, "Audit Log"] });

        act.Should().Throw<ArgumentException>().WithParameterName("domains").WithMessage(
            "ArvoEventEmissionDomains.Services[1] = 'Audit Log' is not a valid domain: a domain is lowercase letters, digits and dots (e.g. test.domain), an ArvoDomain symbol, or null for no domain.*");
    }

    [Fact]
    public void SystemErrorDomain_InvalidLiteral_Throws()
    {
        var act = () => ArvoOrchestrator.CreateBuilder().SystemErrorDomain("ext_dom");

        act.Should().Throw<ArgumentException>().WithMessage("ArvoEventEmissionDomains.SystemError[0] = 'ext_dom' is not a valid domain*");
    }

    [Fact]
    public void DefaultEventEmissionDomains_LiteralsSymbolsAndNull_AreAccepted()
    {
        var domains = new ArvoEventEmissionDomains
        {
            Services = [ArvoDomain.Local, "ext.dom", ArvoDomain.DefaultLiteral, string.Empty],
            Complete = [ArvoDomain.OrchestrationContext, ArvoDomain.FromParentSubject],
            SystemError = [ArvoDomain.FromTriggeringEvent, "audit"],
        };

        ArvoOrchestrator.CreateBuilder().DefaultEventEmissionDomains(domains).Should().NotBeNull();
    }
}
