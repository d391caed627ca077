using System.Diagnostics;
using System.Text.Json.Nodes;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Resumable;

/// <summary>How a resumable is built: <see cref="ArvoResumable.CreateBuilder{TContext}"/>, the builder's checks and its product.</summary>
public sealed class ArvoResumableBuilderTests
{
    private static readonly ArvoOrchestratorContract CountContract = ArvoContract.CreateOrchestrator("#/test/builder/count", "builder.count", c => c
        .Version("0.0.1", v => v
            .Init("""{"type":"object","properties":{}}""")
            .Complete("""{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}""")));

    private readonly SimpleMachineMemory<ArvoResumableState> _memory = new();

    /// <summary>The context of the test resumables.</summary>
    public sealed record CountContext(int N);

    private static ArvoEvent Init() => new ArvoOrchestratorEventFactory(CountContract.Version("0.0.1"))
        .Init(new ArvoEventEnvelope { Source = "com.test.client" }, new JsonObject { ["parentSubject$$"] = null });

    private ArvoResumableBuilder<CountContext> Builder() => ArvoResumable.CreateBuilder<CountContext>(CountContract).Memory(_memory);

    [Fact]
    public async Task Version_SynchronousHandler_CompletesTheWorkflow()
    {
        var resumable = Builder().Version("0.0.1", _ => new() { Output = new { n = 1 } }).Build();
        var init = Init();

        var done = (await resumable.ExecuteAsync(init)).All.Should().ContainSingle().Subject;

        done.Type.Should().Be("arvo.orc.builder.count.done");
        done.Data.GetRawText().Should().Be("""{"n":1}""");
        (await _memory.ReadRecordAsync(init.Subject))!.Status.Should().Be("done");
    }

    [Fact]
    public async Task Version_SynchronousHandlerThatOnlyThrows_FailsTheWorkflowWithTheSystemErrorEvent()
    {
        // Issue 16 item 9: a throw-only body needs no spelled-out return type.
        var resumable = Builder().Version("0.0.1", _ => throw new InvalidOperationException("x")).Build();
        var init = Init();

        var error = (await resumable.ExecuteAsync(init)).All.Should().ContainSingle().Subject;

        error.Type.Should().Be("sys.arvo.orc.builder.count.error");
        error.Data.GetProperty("errorMessage").GetString().Should().Be("x");
        error.To.Should().Be("com.test.client");
        (await _memory.ReadRecordAsync(init.Subject))!.IsFailure.Should().BeTrue();
    }

    [Fact]
    public async Task Version_SynchronousHandlerReturningNull_KeepsWaitingAndEmitsNothing()
    {
        var resumable = Builder().Version("0.0.1", _ => null).Build();
        var init = Init();

        (await resumable.ExecuteAsync(init)).All.Should().BeEmpty();

        (await _memory.ReadRecordAsync(init.Subject))!.Status.Should().Be("active");
    }

    [Fact]
    public void Build_NothingConfigured_HasTheReferenceDefaults()
    {
        var resumable = Builder().Version("0.0.1", _ => null).Build();

        resumable.ExecutionUnits.Should().Be(0);
        resumable.RequiresResourceLocking.Should().BeFalse();
        resumable.Memory.Should().BeSameAs(_memory);
        resumable.Services.Should().BeEmpty();
        resumable.HandlerVersions.Should().Equal("0.0.1");
        resumable.SpanOptions.Kind.Should().Be(ActivityKind.Producer);
        resumable.DefaultEventEmissionDomains.Should().Be(ArvoEventEmissionDomains.Default);
        resumable.CreationOptions.Should().BeSameAs(ArvoEventCreationOptions.Default);
        resumable.ExecutionTimeout.Should().Be(TimeSpan.FromSeconds(4));
        resumable.StrictAnswerValidation.Should().BeFalse();
    }

    [Fact]
    public async Task Build_CalledAgainAfterAChange_LeavesTheFirstResumableAsItWas()
    {
        var builder = Builder().Version("0.0.1", _ => new() { Output = new { n = 1 } });
        var first = builder.Build();

        var second = builder
            .Version("0.0.1", _ => new() { Output = new { n = 2 } })
            .Service("valueRead", ReferenceContracts.ValueRead.Version("0.0.1"))
            .Build();

        (await first.ExecuteAsync(Init())).All.Single().Data.GetRawText().Should().Be("""{"n":1}""");
        (await second.ExecuteAsync(Init())).All.Single().Data.GetRawText().Should().Be("""{"n":2}""");
        first.Services.Should().BeEmpty();
        second.Services.Keys.Should().Equal("valueRead");
    }

    [Fact]
    public void Build_WithoutMemory_ThrowsInvalidOperation()
    {
        var act = () => ArvoResumable.CreateBuilder<CountContext>(CountContract).Version("0.0.1", _ => null).Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("A memory is required: call Memory(...) before Build().");
    }

    [Fact]
    public void Build_WithoutVersion_ThrowsInvalidOperation()
    {
        var act = () => Builder().Build();

        act.Should().Throw<InvalidOperationException>()
            .WithMessage("ArvoResumable #/test/builder/count has no handler: call Version(\"<version>\", …) at least once before Build().");
    }

    [Fact]
    public void Build_ServiceNameTwice_ThrowsConfigViolation()
    {
        var act = () => Builder()
            .Service("read", ReferenceContracts.ValueRead.Version("0.0.1"))
            .Service("read", ReferenceContracts.ValueWrite.Version("0.0.1"))
            .Version("0.0.1", _ => null)
            .Build();

        act.Should().Throw<ConfigViolation>().WithMessage("ViolationError<Config> In ArvoResumable, the service name 'read' is registered twice");
    }

    [Fact]
    public void DefaultEventEmissionDomains_EmptyServices_ThrowsNamingTheList()
    {
        var act = () => Builder().DefaultEventEmissionDomains(new ArvoEventEmissionDomains { Services = [] });

        act.Should().Throw<ArgumentException>()
            .WithMessage("ArvoEventEmissionDomains.Services must hold at least one value (use [ArvoDomain.Local] for no domain).*");
    }

    [Fact]
    public void InboxCapacity_Zero_ThrowsArgumentOutOfRange()
    {
        var act = () => Builder().InboxCapacity(0);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("capacity");
    }

    [Fact]
    public void CreateBuilder_NullContract_Throws()
    {
        var act = () => ArvoResumable.CreateBuilder<CountContext>(null!);

        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("self");
    }

    // ---- Issue 16 item 10: version strings and domain literals are checked when they are given ----

    [Theory]
    [InlineData("1.0")]
    [InlineData("v0.0.1")]
    [InlineData("0.0.1-beta")]
    public void Version_NotASemanticVersion_ThrowsNamingTheValueAndTheFormat(string version)
    {
        var act = () => Builder().Version(version, _ => null);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(version)).WithMessage(
            $"The version '{version}' is not a contract version: it must be MAJOR.MINOR.PATCH with digits only, e.g. 0.0.1.*");
    }

    [Fact]
    public void Version_Wildcard_Throws()
    {
        var act = () => Builder().Version("0.0.0", _ => null);

        act.Should().Throw<ArgumentException>().WithMessage(
            "The version '0.0.0' is the reserved wildcard version, which no contract declares: give a declared version, e.g. 0.0.1.*");
    }

    [Fact]
    public void DefaultEventEmissionDomains_InvalidCompleteLiteral_Throws()
    {
        var act = () => Builder().DefaultEventEmissionDomains(new ArvoEventEmissionDomains { Complete = ["Root.Dom"] });

        act.Should().Throw<ArgumentException>().WithMessage("ArvoEventEmissionDomains.Complete[0] = 'Root.Dom' is not a valid domain*");
    }
}
