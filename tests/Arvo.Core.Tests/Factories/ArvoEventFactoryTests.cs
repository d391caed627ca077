using System.Text.Json;
using Arvo.Contracts;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Subjects;

namespace Arvo.Tests.Factories;

/// <summary>Scenarios F-1..F-5 of the spec (mock contract <c>#/mock/contract</c>).</summary>
public sealed class ArvoEventFactoryTests
{
    internal static readonly ArvoContract Mock = ArvoContract.Create("#/mock/contract", "test.input.0", c => c
        .Version("0.0.1", v => v
            .Accepts("""{"type":"object","properties":{"input":{"type":"string"}},"required":["input"]}""")
            .Emits("test.output.0", """{"type":"object","properties":{"output":{"type":"number"}},"required":["output"]}""")
            .Emits("test.output.1", """{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}"""))
        .Version("0.0.8", v => v
            .Accepts("""{"type":"object","properties":{"input":{"type":"string"}},"required":["input"]}""")
            .Emits("test.output.0", """{"type":"object","properties":{"output":{"type":"number"}},"required":["output"]}""")));

    private static readonly ArvoEventFactory Factory = new(Mock.Version("0.0.1"));

    [Fact]
    public void Emits_ValidOutput_BuildsEventWithDataschemaAndData()
    {
        var evt = Factory.Emits(
            new ArvoEventEnvelope { Id = ArvoEventId.DeveloperManaged("custom-id"), Source = "test-source", Subject = "test-subject", To = "cmd.saad.test" },
            "test.output.0",
            new { output = 42 });

        evt.Id.Should().Be("custom-id");
        evt.Type.Should().Be("test.output.0");
        evt.Data.GetRawText().Should().Be("""{"output":42}""");
        evt.DataSchema.Should().Be("#/mock/contract/0.0.1");
        ArvoDataschema.TryParse(evt.DataSchema, out var dataschema).Should().BeTrue();
        dataschema.Uri.Should().Be("#/mock/contract");
        dataschema.Version.Text.Should().Be("0.0.1");
        evt.Subject.Should().Be("test-subject");
        evt.To.Should().Be("cmd.saad.test");
        evt.Domain.Should().BeNull();
        evt.ParentId.Should().BeNull();
    }

    [Fact]
    public void Emits_InvalidData_ThrowsContractViolationNamingThePath()
    {
        var act = () => Factory.Emits(new ArvoEventEnvelope { Source = "test-source", Subject = "test-subject" }, "test.output.0", new { output = "not a number" });

        act.Should().Throw<ContractViolation>()
            .WithMessage("ViolationError<Contract> Emit Event data validation failed: *output*");
    }

    [Fact]
    public void Emits_UnknownType_ThrowsNoContractAvailable()
    {
        var act = () => Factory.Emits(new ArvoEventEnvelope { Source = "test-source", Subject = "test-subject" }, "unknown.type.0", new { output = 1 });

        act.Should().Throw<ContractViolation>()
            .WithMessage("*Emit Event data validation failed: No contract available for unknown.type.0");
    }

    [Fact]
    public void Accepts_InvalidData_ThrowsAcceptValidationFailure()
    {
        var act = () => Factory.Accepts(new ArvoEventEnvelope { Source = "test-source", Subject = "test-subject" }, new { input = 42 });

        act.Should().Throw<ContractViolation>().WithMessage("ViolationError<Contract> Accept Event data validation failed: *input*");
    }

    [Theory]
    [InlineData("parent-event-123", "parent-event-123")]
    [InlineData("parent event with spaces", "parent%20event%20with%20spaces")]
    [InlineData(null, null)]
    public void Emits_ParentId_IsCopiedAndEncoded(string? parentId, string? expected)
    {
        var evt = Factory.Emits(new ArvoEventEnvelope { Source = "test-source", Subject = "test-subject", ParentId = parentId }, "test.output.0", new { output = 1 });

        evt.ParentId.Should().Be(expected);
    }

    [Fact]
    public void Emits_UndeclaredKeys_AreRemovedFromEmittedData()
    {
        var evt = Factory.Emits(new ArvoEventEnvelope { Source = "test-source", Subject = "s" }, "test.output.0", new { output = 1, debug = true });

        evt.Data.GetRawText().Should().Be("""{"output":1}""");
    }

    [Fact]
    public void Accepts_DomainWithoutSubject_SetsEventAndSubjectDomain()
    {
        var evt = Factory.Accepts(new ArvoEventEnvelope { Source = "test.test.test", Domain = "external.review" }, new { input = "x" });

        evt.Domain.Should().Be("external.review");
        ArvoOrchestrationSubject.Parse(evt.Subject).Execution.Domain.Should().Be("external.review");
    }

    [Fact]
    public void Accepts_ExplicitSubjectAndOtherDomain_KeepsThemIndependent()
    {
        var subject = Factory.Accepts(new ArvoEventEnvelope { Source = "test.test.test", Domain = "external.review" }, new { input = "x" }).Subject;

        var withDomain = Factory.Accepts(new ArvoEventEnvelope { Source = "test.test.test", Subject = subject, Domain = "external.review.1" }, new { input = "x" });
        var withoutDomain = Factory.Accepts(new ArvoEventEnvelope { Source = "test.test.test", Subject = subject }, new { input = "x" });

        withDomain.Domain.Should().Be("external.review.1");
        withoutDomain.Domain.Should().BeNull();
        ArvoOrchestrationSubject.Parse(withDomain.Subject).Execution.Domain.Should().Be("external.review");
        ArvoOrchestrationSubject.Parse(withoutDomain.Subject).Execution.Domain.Should().Be("external.review");
    }

    [Fact]
    public void FactoryMethods_NoSubjectNoDomain_LeaveBothNull()
    {
        var envelope = new ArvoEventEnvelope { Source = "test.test.test" };
        var events = new[]
        {
            Factory.Accepts(envelope, new { input = "x" }),
            Factory.Emits(envelope, "test.output.0", new { output = 1 }),
            Factory.SystemError(envelope, new InvalidOperationException("x")),
        };

        events.Should().AllSatisfy(e =>
        {
            e.Domain.Should().BeNull();
            ArvoOrchestrationSubject.Parse(e.Subject).Execution.Domain.Should().BeNull();
        });
    }

    [Fact]
    public void FactoryMethods_DomainWithoutSubject_SetBothDomainsForEveryMethod()
    {
        var envelope = new ArvoEventEnvelope { Source = "test.test.test", Domain = "external.review" };
        var events = new[]
        {
            Factory.Emits(envelope, "test.output.0", new { output = 1 }),
            Factory.SystemError(envelope, new InvalidOperationException("x")),
        };

        events.Should().AllSatisfy(e =>
        {
            e.Domain.Should().Be("external.review");
            ArvoOrchestrationSubject.Parse(e.Subject).Execution.Domain.Should().Be("external.review");
        });
    }

    [Fact]
    public void SystemError_ThrownException_BuildsErrorEvent()
    {
        Exception error;
        try
        {
            throw new InvalidOperationException("Some error");
        }
        catch (InvalidOperationException caught)
        {
            error = caught;
        }

        var evt = Factory.SystemError(new ArvoEventEnvelope { Source = "test", Subject = "test", To = "cmd.saad.test" }, error);

        evt.Type.Should().Be("sys.test.input.0.error");
        evt.To.Should().Be("cmd.saad.test");
        evt.Data.GetProperty("errorName").GetString().Should().Be("InvalidOperationException");
        evt.Data.GetProperty("errorMessage").GetString().Should().Be("Some error");
        evt.Data.GetProperty("errorStack").GetString().Should().NotBeNullOrEmpty();
        evt.DataSchema.Should().Be("#/mock/contract/0.0.0");
        ArvoDataschema.TryParse(evt.DataSchema, out var dataschema).Should().BeTrue();
        dataschema.Version.IsWildcard.Should().BeTrue();
        evt.Domain.Should().BeNull();
        ArvoSchema.SystemError.Validate(evt.Data).IsValid.Should().BeTrue();
    }

    [Fact]
    public void SystemError_Violation_UsesViolationNameAndNullStackWhenNeverThrown()
    {
        var evt = Factory.SystemError(new ArvoEventEnvelope { Source = "test", Subject = "test" }, new ConfigViolation("bad wiring"));

        evt.Data.GetProperty("errorName").GetString().Should().Be("ViolationError<Config>");
        evt.Data.GetProperty("errorMessage").GetString().Should().Be("ViolationError<Config> bad wiring");
        evt.Data.GetProperty("errorStack").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void AutomaticSubjects_NameTheEventKindAndVersion()
    {
        var envelope = new ArvoEventEnvelope { Source = "com.test.test" };

        var accepts = ArvoOrchestrationSubject.Parse(Factory.Accepts(envelope, new { input = "x" }).Subject);
        var emits = ArvoOrchestrationSubject.Parse(Factory.Emits(envelope, "test.output.0", new { output = 1 }).Subject);
        var error = ArvoOrchestrationSubject.Parse(Factory.SystemError(envelope, new InvalidOperationException("x")).Subject);

        accepts.Orchestrator.Name.Should().Be("test.input.0");
        accepts.Orchestrator.Version.Should().Be("0.0.1");
        accepts.Execution.Initiator.Should().Be("com.test.test");
        accepts.Meta.Should().BeEmpty();
        emits.Orchestrator.Name.Should().Be("test.output.0");
        error.Orchestrator.Name.Should().Be("sys.test.input.0.error");
    }

    [Fact]
    public void Accepts_RedirectToWithoutSubject_WritesRedirectIntoSubjectMeta()
    {
        var evt = Factory.Accepts(new ArvoEventEnvelope { Source = "com.test.test", RedirectTo = "com.r.r" }, new { input = "x" });

        ArvoOrchestrationSubject.Parse(evt.Subject).Meta.Should().Equal(new Dictionary<string, string> { ["redirectto"] = "com.r.r" });
        evt.RedirectTo.Should().Be("com.r.r");
    }

    [Fact]
    public void Accepts_NonTypeSourceWithoutSubject_ThrowsSubjectCreationError()
    {
        var act = () => Factory.Accepts(new ArvoEventEnvelope { Source = "test-source" }, new { input = "x" });

        act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage("Error creating orchestration subject string from the provided context.*");
    }

    [Fact]
    public void Accepts_InjectedClockAndIds_AreUsed()
    {
        var time = new FixedTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(5)));
        var factory = new ArvoEventFactory(Mock.Version("0.0.8"), new ArvoEventCreationOptions { TimeProvider = time, IdGenerator = new CountingIds() });

        var evt = factory.Accepts(new ArvoEventEnvelope { Source = "com.test.test" }, new { input = "x" });

        evt.Time.Should().Be("2025-01-01T22:04:05.678+00:00");
        evt.DataSchema.Should().Be("#/mock/contract/0.0.8");
        var ids = new[] { evt.Id, ArvoOrchestrationSubject.Parse(evt.Subject).Execution.Id };
        ids.Should().BeEquivalentTo(["id-1", "id-2"]);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }

    private sealed class CountingIds : IArvoIdGenerator
    {
        private int _next;

        public string NewId() => "id-" + Interlocked.Increment(ref _next);
    }
}
