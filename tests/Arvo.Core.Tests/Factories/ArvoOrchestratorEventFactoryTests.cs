using Arvo.Factories;
using Arvo.Subjects;

namespace Arvo.Tests.Factories;

/// <summary>Scenarios F-5..F-8 of the spec (orchestrator contract <c>test.contract</c>).</summary>
public sealed class ArvoOrchestratorEventFactoryTests
{
    private static readonly ArvoOrchestratorContract Contract = ArvoContract.CreateOrchestrator("#/test/orc", "test.contract", c => c
        .Version("2.0.0", v => v
            .Init("""{"type":"object","properties":{"foo":{"type":"string"},"additional":{"type":"number"}},"required":["foo"]}""")
            .Complete("""{"type":"object","properties":{"bar":{"type":"number"}},"required":["bar"]}""")));

    private static readonly ArvoOrchestratorEventFactory Factory = new(Contract.Version("2.0.0"));

    [Fact]
    public void Constructor_SimpleContract_ThrowsOnlyForOrchestratorContracts()
    {
        var simple = ArvoContract.CreateSimple("#/simple/test", "simple.test", c => c
            .Version("0.0.1", v => v.Accepts("""{"type":"object"}""").Emits("""{"type":"object"}""")));

        var act = () => new ArvoOrchestratorEventFactory(simple.Version("0.0.1"));

        act.Should().Throw<ArgumentException>().WithMessage("This factory can only be used for ArvoOrchestratorContract*");
    }

    [Fact]
    public void Init_RootWithRedirect_SetsRedirectOnEventAndSubject()
    {
        var evt = Factory.Init(
            new ArvoEventEnvelope { Source = "com.test.test", RedirectTo = "com.redirect.to" },
            new Dictionary<string, object?> { ["foo"] = "saad", ["additional"] = 2, ["parentSubject$$"] = null });

        evt.Type.Should().Be("arvo.orc.test.contract");
        evt.To.Should().Be("arvo.orc.test.contract");
        evt.RedirectTo.Should().Be("com.redirect.to");
        evt.DataSchema.Should().Be("#/test/orc/2.0.0");
        var subject = ArvoOrchestrationSubject.Parse(evt.Subject);
        subject.Meta.Should().Equal(new Dictionary<string, string> { ["redirectto"] = "com.redirect.to" });
        subject.Orchestrator.Name.Should().Be("arvo.orc.test.contract");
        subject.Orchestrator.Version.Should().Be("2.0.0");
        subject.Execution.Initiator.Should().Be("com.test.test");
    }

    [Fact]
    public void Init_WithParentSubject_DerivesChildSubjectRedirectingToParentInitiator()
    {
        var parent = Factory.Init(
            new ArvoEventEnvelope { Source = "com.test.test", RedirectTo = "com.redirect.to" },
            new Dictionary<string, object?> { ["foo"] = "saad", ["parentSubject$$"] = null });

        var child = Factory.Init(
            new ArvoEventEnvelope { Source = "com.test.test" },
            new Dictionary<string, object?> { ["foo"] = "saad", ["parentSubject$$"] = parent.Subject });

        var subject = ArvoOrchestrationSubject.Parse(child.Subject);
        subject.Meta["redirectto"].Should().Be("com.test.test");
        subject.Execution.Initiator.Should().Be("arvo.orc.test.contract");
        child.RedirectTo.Should().BeNull();
        child.Data.GetProperty("parentSubject$$").GetString().Should().Be(parent.Subject);
    }

    [Fact]
    public void Init_RootWithoutRedirect_HasNoRedirectMeta()
    {
        var evt = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new Dictionary<string, object?> { ["foo"] = "saad", ["parentSubject$$"] = null });

        ArvoOrchestrationSubject.Parse(evt.Subject).Meta.Should().NotContainKey("redirectto");
        evt.RedirectTo.Should().BeNull();
    }

    [Fact]
    public void Init_InvalidData_ThrowsInitValidationFailure()
    {
        var act = () => Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new Dictionary<string, object?> { ["foo"] = "saad", ["additional"] = "ass", ["parentSubject$$"] = null });

        act.Should().Throw<ContractViolation>().WithMessage("ViolationError<Contract> Init Event data validation failed: *additional*");
    }

    [Fact]
    public void Init_DataWithoutParentSubject_AddsNullForARootWorkflow()
    {
        var evt = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new { foo = "saad" });

        evt.Data.GetRawText().Should().Be("""{"parentSubject$$":null,"foo":"saad"}""");
        ArvoOrchestrationSubject.Parse(evt.Subject).Execution.Initiator.Should().Be("com.test.test");
    }

    [Fact]
    public void Init_InvalidParentSubject_ThrowsSubjectParseError()
    {
        var act = () => Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new Dictionary<string, object?> { ["foo"] = "saad", ["parentSubject$$"] = "test" });

        act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage("Error parsing orchestration subject string to the context.*");
    }

    [Fact]
    public void Complete_ExplicitSubject_BuildsDoneEvent()
    {
        var evt = Factory.Complete(new ArvoEventEnvelope { Source = "com.test.test", Subject = "test", To = "com.ret.test" }, new { bar = 0 });

        evt.Subject.Should().Be("test");
        evt.Type.Should().Be("arvo.orc.test.contract.done");
        evt.To.Should().Be("com.ret.test");
        evt.Data.GetRawText().Should().Be("""{"bar":0}""");
    }

    [Fact]
    public void Complete_NoSubject_GeneratesDoneSubject()
    {
        var evt = Factory.Complete(new ArvoEventEnvelope { Source = "com.test.test" }, new { bar = 0 });

        var subject = ArvoOrchestrationSubject.Parse(evt.Subject);
        subject.Orchestrator.Name.Should().Be("arvo.orc.test.contract.done");
        subject.Orchestrator.Version.Should().Be("2.0.0");
        subject.Execution.Initiator.Should().Be("com.test.test");
    }

    [Fact]
    public void Complete_InvalidData_ThrowsEmitValidationFailure()
    {
        var act = () => Factory.Complete(new ArvoEventEnvelope { Source = "com.test.test", Subject = "test" }, new { bar = "1" });

        act.Should().Throw<ContractViolation>().WithMessage("ViolationError<Contract> Emit Event data validation failed: *bar*");
    }

    [Fact]
    public void Init_ChildWithoutDomain_InheritsParentSubjectDomainButNotEventDomain()
    {
        var parent = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test", Domain = "production.us" }, new Dictionary<string, object?> { ["foo"] = "a", ["parentSubject$$"] = null });

        var child = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new Dictionary<string, object?> { ["foo"] = "a", ["parentSubject$$"] = parent.Subject });
        var childWithDomain = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test", Domain = "staging.eu" }, new Dictionary<string, object?> { ["foo"] = "a", ["parentSubject$$"] = parent.Subject });

        parent.Domain.Should().Be("production.us");
        child.Domain.Should().BeNull();
        var childSubject = ArvoOrchestrationSubject.Parse(child.Subject);
        childSubject.Execution.Initiator.Should().Be("arvo.orc.test.contract");
        childSubject.Execution.Domain.Should().Be("production.us");
        childWithDomain.Domain.Should().Be("staging.eu");
        ArvoOrchestrationSubject.Parse(childWithDomain.Subject).Execution.Domain.Should().Be("staging.eu");
    }

    [Fact]
    public void Complete_UnderDomainedSubject_TakesOnlyTheGivenEventDomain()
    {
        var init = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test", Domain = "region.asia" }, new Dictionary<string, object?> { ["foo"] = "a", ["parentSubject$$"] = null });

        var plain = Factory.Complete(new ArvoEventEnvelope { Source = "com.test.test", Subject = init.Subject }, new { bar = 1 });
        var notified = Factory.Complete(new ArvoEventEnvelope { Source = "com.test.test", Subject = init.Subject, Domain = "notification.email" }, new { bar = 1 });

        plain.Domain.Should().BeNull();
        ArvoOrchestrationSubject.Parse(plain.Subject).Execution.Domain.Should().Be("region.asia");
        notified.Domain.Should().Be("notification.email");
    }

    [Fact]
    public void SystemError_UsesOrchestratorErrorType()
    {
        var evt = Factory.SystemError(new ArvoEventEnvelope { Source = "arvo.orc.test.contract", Subject = "s", To = "com.test.test" }, new InvalidOperationException("boom"));

        evt.Type.Should().Be("sys.arvo.orc.test.contract.error");
        evt.DataSchema.Should().Be("#/test/orc/0.0.0");
        evt.Data.GetProperty("errorMessage").GetString().Should().Be("boom");
    }

    // ---- Issue 16 item 7: a typed init record need not declare parentSubject$$ ----

    private sealed record FooInit(string Foo, double Additional);

    private sealed record FooInitWithParent(string Foo, [property: System.Text.Json.Serialization.JsonPropertyName("parentSubject$$")] string? ParentSubject);

    [Fact]
    public void Init_TypedRecordWithoutParentSubject_IsARootWorkflow()
    {
        var evt = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new FooInit("saad", 2));

        evt.Data.GetRawText().Should().Be("""{"parentSubject$$":null,"foo":"saad","additional":2}""");
        var subject = ArvoOrchestrationSubject.Parse(evt.Subject);
        subject.Execution.Initiator.Should().Be("com.test.test");
        subject.Orchestrator.Name.Should().Be("arvo.orc.test.contract");
    }

    [Fact]
    public void Init_TypedRecordWithGivenParent_IsAChildOfThatParent()
    {
        var parent = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test", Domain = "production.us" }, new FooInit("a", 1));

        var child = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new FooInit("b", 2), parent.Subject);

        child.Data.GetProperty("parentSubject$$").GetString().Should().Be(parent.Subject);
        var subject = ArvoOrchestrationSubject.Parse(child.Subject);
        subject.Execution.Initiator.Should().Be("arvo.orc.test.contract");
        subject.Execution.Domain.Should().Be("production.us");
        subject.Meta["redirectto"].Should().Be("com.test.test");
    }

    [Fact]
    public void Init_JsonWithoutParentSubject_AddsNull()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"foo":"saad"}""");

        var evt = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, document.RootElement);

        evt.Data.GetRawText().Should().Be("""{"parentSubject$$":null,"foo":"saad"}""");
    }

    [Fact]
    public void Init_RecordDeclaringNullParentAndGivenParent_TakesTheGivenParent()
    {
        var parent = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new FooInit("a", 1));

        var child = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new FooInitWithParent("b", null), parent.Subject);

        child.Data.GetProperty("parentSubject$$").GetString().Should().Be(parent.Subject);
    }

    [Fact]
    public void Init_RecordDeclaringOtherParentThanGiven_Throws()
    {
        var parent = Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new FooInit("a", 1));

        var act = () => Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new FooInitWithParent("b", "other"), parent.Subject);

        act.Should().Throw<ArgumentException>().WithParameterName("parentSubject")
            .WithMessage($"The init data's 'parentSubject$$' (\"other\") differs from the parentSubject argument ('{parent.Subject}'); give the parent subject once.*");
    }

    [Fact]
    public void Init_TypedRecordBreakingTheSchema_IsStillAViolation()
    {
        var act = () => Factory.Init(new ArvoEventEnvelope { Source = "com.test.test" }, new { additional = 1 });

        act.Should().Throw<ContractViolation>().WithMessage("ViolationError<Contract> Init Event data validation failed: *foo*");
    }
}
