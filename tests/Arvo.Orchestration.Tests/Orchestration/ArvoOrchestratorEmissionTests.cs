using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// Raw events → ArvoEvents (orchestrator.md 8, 10, 12): scenarios O-12, O-16, O-17, O-20, the routing fields of every
/// emitted event and the completion's reserved output keys.
/// </summary>
public sealed class ArvoOrchestratorEmissionTests
{
    private static readonly ArvoOrchestratorContract KeysContract = ArvoContract.CreateOrchestrator("#/test/keys", "keys", c => c
        .Version("0.0.1", v => v.Init(CounterContracts.InitSchema).Complete("""{"type":"object","properties":{"k":{"type":"number"}},"required":["k"]}""")));

    private readonly SimpleMachineMemory<MachineMemoryRecord> _memory = new();

    /// <summary>The TestMachine's increment service: <c>newValue = delta</c>.</summary>
    private static readonly ArvoEventHandler IncrementHandler = ArvoEventHandler.CreateBuilder(CounterContracts.Increment)
        .Version("0.0.1", ctx => ArvoHandlerOutput.Emit("evt.number.increment.success", new { newValue = ctx.Data.GetProperty("delta").GetDouble() }))
        .Version("0.0.2", ctx => ArvoHandlerOutput.Emit("evt.number.increment.success", new { newValue = ctx.Data.GetProperty("delta").GetDouble() }))
        .Build();

    private ArvoOrchestrator Orchestrator(ArvoMachine machine, double executionUnits = 0.1) => ArvoOrchestrator.CreateBuilder().Memory(_memory).ExecutionUnits(executionUnits).Machines(machine).Build();

    // ---- O-12 Emission details ----

    [Fact]
    public async Task ExecuteAsync_EmissionDetails_FirstExecutionEmitsOneCopyPerDomainWithTheSameId()
    {
        var orchestrator = Orchestrator(OrchestrationTestMachines.EmissionDetails());
        var init = OrchestrationTestMachines.Init();

        var result = (await orchestrator.ExecuteAsync(init)).All;

        result.Should().HaveCount(2);
        result.Select(e => e.Domain).Should().Equal(null, "external");
        foreach (var evt in result)
        {
            evt.Id.Should().Be("custom-increment-id");
            evt.Source.Should().Be("arvo.orc.test");
            evt.Type.Should().Be("com.number.increment");
            evt.Data.GetProperty("delta").GetDouble().Should().Be(1);
            evt.DataSchema.Should().Be("#/test/service/increment/0.0.1");
            evt.ExecutionUnits.Should().Be(0.1);
        }
    }

    [Fact]
    public async Task ExecuteAsync_EmissionDetails_HandlerAnswerAndSecondExecution()
    {
        var orchestrator = Orchestrator(OrchestrationTestMachines.EmissionDetails());
        var init = OrchestrationTestMachines.Init();
        var command = (await orchestrator.ExecuteAsync(init)).All[0];

        var answer = (await IncrementHandler.ExecuteAsync(command)).All.Should().ContainSingle().Subject;
        answer.Domain.Should().BeNull();
        answer.ParentId.Should().Be("custom-increment-id");

        var result = (await orchestrator.ExecuteAsync(answer)).All;

        result.Should().HaveCount(3);
        result[0].Type.Should().Be("notif.number.update");
        result[0].Domain.Should().Be("external");
        result[0].Data.GetRawText().Should().Be("""{"delta":1,"type":"increment"}""");
        result[1].Type.Should().Be("notif.number.update");
        result[1].Domain.Should().BeNull();
        var done = result[2];
        done.Type.Should().Be("arvo.orc.test.done");
        done.Data.GetRawText().Should().Be("""{"final":1}""");
        done.To.Should().Be("com.test.service");
        done.DataSchema.Should().Be("#/test/machine/0.0.1");
        done.Domain.Should().BeNull();
        done.ExecutionUnits.Should().Be(23);
        ArvoManagedEventId.Parse(done.Id).Value.Should().Be("custom-orch-1");
    }

    // ---- O-20 Result buckets ----

    [Fact]
    public async Task ExecuteAsync_EmissionDetails_ResultBuckets()
    {
        var orchestrator = Orchestrator(OrchestrationTestMachines.EmissionDetails());
        var command = (await orchestrator.ExecuteAsync(OrchestrationTestMachines.Init())).All[0];
        var answer = (await IncrementHandler.ExecuteAsync(command)).All.Single();

        var result = await orchestrator.ExecuteAsync(answer);

        result.Events.Should().Equal(result.All[1], result.All[2]);
        result.AllEventDomains.Should().Equal("external", "default");
        result.DomainedEvents["external"].Should().Equal(result.All[0]);
        result.DomainedEvents["all"].Should().Equal(result.All);
        result.All.Should().HaveCount(3);
    }

    [Fact]
    public async Task ExecuteAsync_NothingEmitted_ReturnsEmptyBuckets()
    {
        var orchestrator = Orchestrator(OrchestrationTestMachines.EmissionDetails());
        var init = OrchestrationTestMachines.Init();
        await orchestrator.ExecuteAsync(init);

        // A second init under a new id: the running machine ignores it and emits nothing.
        var result = await orchestrator.ExecuteAsync(init.WithId("second-init"));

        result.Events.Should().BeEmpty();
        result.AllEventDomains.Should().BeEmpty();
        result.DomainedEvents.Keys.Should().Equal("all");
        result.DomainedEvents["all"].Should().BeEmpty();
    }

    // ---- O-16 Completion reserved keys ----

    public static TheoryData<string> ReservedIdForms => new() { "json", "csharp" };

    [Theory]
    [MemberData(nameof(ReservedIdForms))]
    public async Task ExecuteAsync_OutputReservedKeys_ShapeTheCompletionEvents(string form)
    {
        object Output(CounterContext ctx) => form == "json"
            ? new JsonObject
            {
                ["k"] = 2,
                ["__executionunits"] = 5,
                ["__domain"] = new JsonArray("x.y", null),
                ["__id"] = new JsonObject { ["deduplication"] = "DEVELOPER_MANAGED", ["value"] = "done-1" },
            }
            : new { k = 2, __executionunits = 5, __domain = new string?[] { "x.y", null }, __id = ArvoEventId.DeveloperManaged("done-1") };
        var machine = OrchestrationTestMachines.Variant(
            increment: a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }),
            output: Output,
            self: KeysContract.Version("0.0.1"));
        var orchestrator = Orchestrator(machine);
        var init = new ArvoOrchestratorEventFactory(KeysContract.Version("0.0.1"))
            .Init(new ArvoEventEnvelope { Source = "com.test.service" }, new JsonObject { ["parentSubject$$"] = null, ["delta"] = 1, ["type"] = "increment" });
        var command = (await orchestrator.ExecuteAsync(init)).All.Single();

        var result = (await orchestrator.ExecuteAsync(OrchestrationTestMachines.IncrementSuccess(command, 2))).All;

        result.Select(e => e.Domain).Should().Equal("x.y", null);
        foreach (var done in result)
        {
            done.Type.Should().Be("arvo.orc.keys.done");
            done.Id.Should().Be("done-1");
            done.Data.GetRawText().Should().Be("""{"k":2}""");
            done.ExecutionUnits.Should().Be(5);
            done.ParentId.Should().Be(init.Id);
        }
    }

    [Fact]
    public async Task ExecuteAsync_OutputFailingTheCompleteSchema_ThrowsContractViolation()
    {
        var machine = OrchestrationTestMachines.Variant(
            increment: a => a.Emit("com.number.increment", ctx => new { delta = ctx.Delta }),
            output: _ => new { final = "not a number" });
        var orchestrator = Orchestrator(machine);
        var command = (await orchestrator.ExecuteAsync(OrchestrationTestMachines.Init())).All.Single();

        var act = async () => await orchestrator.ExecuteAsync(OrchestrationTestMachines.IncrementSuccess(command, 2));

        await act.Should().ThrowAsync<ContractViolation>()
            .WithMessage("ViolationError<Contract> [Emittable Event Creation] Invalid event data: Schema validation failed.\nEvent type: arvo.orc.test.done\nDetails: *");
    }

    [Fact]
    public async Task ExecuteAsync_MachineWithoutOutputFunction_CompletesOnceWithEmptyData()
    {
        // Port decision E-4: the reference never completes a machine whose output is {} or absent.
        var orchestrator = DumbFixture.Orchestrator(_memory, error: null);
        var init = DumbFixture.Init();
        await orchestrator.ExecuteAsync(init);

        var result = (await orchestrator.ExecuteAsync(DumbFixture.ServiceSuccess(init.Subject))).All;

        var done = result.Should().ContainSingle().Subject;
        done.Type.Should().Be("arvo.orc.dumb.done");
        done.Data.GetRawText().Should().Be("{}");
        (await orchestrator.ExecuteAsync(DumbFixture.ServiceSuccess(init.Subject))).All.Should().BeEmpty();
    }

    // ---- O-17 Raw-domain de-duplication (port decision) ----

    [Fact]
    public async Task ExecuteAsync_RawDomainsResolvingToTheSameValue_AreEmittedOnce()
    {
        var machine = OrchestrationTestMachines.Variant(increment: a => a.Emit(ctx => ArvoMachineEmit.Create("com.number.increment", new { delta = ctx.Delta }) with
        {
            Domain = [null, ArvoDomain.FromTriggeringEvent, ArvoDomain.Local, "x.y", "x.y"],
        }));

        var result = (await Orchestrator(machine).ExecuteAsync(OrchestrationTestMachines.Init())).All;

        result.Select(e => e.Domain).Should().Equal(null, "x.y");
        result.Select(e => e.Id).Should().OnlyHaveUniqueItems();
    }

    // ---- Routing fields (section 8 table) ----

    [Fact]
    public async Task ExecuteAsync_RawEventOverrides_AreCopiedToTheEvent()
    {
        var machine = OrchestrationTestMachines.Variant(increment: a => a.Emit(ctx => ArvoMachineEmit.Create("com.number.increment", new { delta = ctx.Delta, extra = true }) with
        {
            To = "com.custom.to",
            RedirectTo = "com.custom.back",
            AccessControl = "role:raw",
            ExecutionUnits = 7,
            Extensions = [new("customfield", "custom-value")],
        }));
        var init = OrchestrationTestMachines.Init().WithAccessControl("role:init");

        var evt = (await Orchestrator(machine).ExecuteAsync(init)).All.Single();

        evt.To.Should().Be("com.custom.to");
        evt.RedirectTo.Should().Be("com.custom.back");
        evt.AccessControl.Should().Be("role:raw");
        evt.ExecutionUnits.Should().Be(7);
        evt.Extensions["customfield"].Should().Be("custom-value");
        evt.Data.GetRawText().Should().Be("""{"delta":1}""", "undeclared keys are removed by the service schema");
    }

    [Fact]
    public async Task ExecuteAsync_RawEventWithoutOverrides_TakesTheDefaults()
    {
        var init = OrchestrationTestMachines.Init().WithAccessControl("role:init");

        var evt = (await Orchestrator(OrchestrationTestMachines.WorkedExample(), executionUnits: 3).ExecuteAsync(init)).All.Single();

        evt.To.Should().Be("com.number.increment");
        evt.RedirectTo.Should().Be("arvo.orc.test");
        evt.AccessControl.Should().Be("role:init");
        evt.ExecutionUnits.Should().Be(3);
        evt.ParentId.Should().Be(init.Id);
        evt.Subject.Should().Be(init.Subject);
        evt.Source.Should().Be("arvo.orc.test");
        evt.TraceParent.Should().BeNull("no tracing pipeline listens");
    }

    [Fact]
    public async Task ExecuteAsync_CompletionOfADomainedWorkflow_StaysInTheOrchestrationDomain()
    {
        // ORCHESTRATION_CONTEXT without a parent: the trigger's domain equals the subject's → null.
        var orchestrator = Orchestrator(OrchestrationTestMachines.WorkedExample());
        var init = OrchestrationTestMachines.Init(domain: "root.dom");
        init.Domain.Should().Be("root.dom");
        var command = (await orchestrator.ExecuteAsync(init)).All.Single();
        command.Domain.Should().BeNull("services default to LOCAL");

        var answer = OrchestrationTestMachines.IncrementSuccess(command, 2).WithDomain("root.dom");
        var done = (await orchestrator.ExecuteAsync(answer)).All.Single(e => e.Type == "arvo.orc.test.done");

        done.Domain.Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_CompletionTriggeredFromAnotherDomain_GoesToTheSubjectDomain()
    {
        // ORCHESTRATION_CONTEXT without a parent: a trigger from another domain → the subject's domain.
        var orchestrator = Orchestrator(OrchestrationTestMachines.WorkedExample());
        var command = (await orchestrator.ExecuteAsync(OrchestrationTestMachines.Init(domain: "root.dom"))).All.Single();

        var answer = OrchestrationTestMachines.IncrementSuccess(command, 2).WithDomain("other.dom");
        var done = (await orchestrator.ExecuteAsync(answer)).All.Single(e => e.Type == "arvo.orc.test.done");

        done.Domain.Should().Be("root.dom");
    }

    [Fact]
    public async Task ExecuteAsync_LiteralDefaultDomain_IsEmittedAsNull()
    {
        var machine = OrchestrationTestMachines.Variant(increment: a => a.Emit(ctx => ArvoMachineEmit.Create("com.number.increment", new { delta = ctx.Delta }) with
        {
            Domain = ["default", "external"],
        }));

        var result = (await Orchestrator(machine).ExecuteAsync(OrchestrationTestMachines.Init())).All;

        result.Select(e => e.Domain).Should().Equal(null, "external");
    }
}
