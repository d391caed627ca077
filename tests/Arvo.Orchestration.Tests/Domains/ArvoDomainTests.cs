namespace Arvo.Tests.Domains;

/// <summary>Scenarios D-1..D-4: <see cref="ArvoDomain.Resolve"/>.</summary>
public sealed class ArvoDomainTests
{
    private static readonly VersionedArvoContract Plain = HelloFixture.Contract.Version("0.0.1");
    private static readonly VersionedArvoContract Domained = HelloFixture.CreateContract("x.y").Version("0.0.1");

    private static string Subj(string? domain) => ArvoOrchestrationSubject.New("arvo.orc.test", "0.0.1", "com.test.env", domain);

    private static string? Resolve(
        string? value,
        string? current = "test-subject",
        string? parent = null,
        VersionedArvoContract? self = null,
        VersionedArvoContract? eventContract = null,
        string? trigger = null) =>
        ArvoDomain.Resolve(value, parent, current, self ?? Plain, eventContract, HelloFixture.Event(domain: trigger, subject: current ?? "test-subject"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Resolve_NullOrEmpty_ReturnsNull(string? value) => Resolve(value, trigger: "t.t").Should().BeNull();

    [Fact]
    public void Resolve_Local_ReturnsNull() => Resolve(ArvoDomain.Local, trigger: "t.t").Should().BeNull();

    [Fact]
    public void Resolve_Literal_ReturnsItUnchanged() => Resolve("analytics").Should().Be("analytics");

    [Fact]
    public void Resolve_FromEventContractWithoutContract_ReturnsNull() => Resolve(ArvoDomain.FromEventContract).Should().BeNull();

    [Fact]
    public void Resolve_FromEventContractWithContract_ReturnsItsDomain() =>
        Resolve(ArvoDomain.FromEventContract, eventContract: Domained).Should().Be("x.y");

    [Fact]
    public void Resolve_FromSelfContract_ReturnsSelfDomain()
    {
        Resolve(ArvoDomain.FromSelfContract, self: Domained).Should().Be("x.y");
        Resolve(ArvoDomain.FromSelfContract, self: Plain).Should().BeNull();
    }

    [Fact]
    public void Resolve_FromTriggeringEvent_ReturnsEventDomain() =>
        Resolve(ArvoDomain.FromTriggeringEvent, trigger: "trig.dom").Should().Be("trig.dom");

    [Fact]
    public void Resolve_FromCurrentSubjectValid_ReturnsSubjectDomain() =>
        Resolve(ArvoDomain.FromCurrentSubject, current: Subj("a")).Should().Be("a");

    [Fact]
    public void Resolve_FromCurrentSubjectInvalid_ReturnsNullWithoutThrowing() =>
        Resolve(ArvoDomain.FromCurrentSubject, current: "test-subject").Should().BeNull();

    [Fact]
    public void Resolve_FromParentSubject_ReturnsParentDomainOrNull()
    {
        Resolve(ArvoDomain.FromParentSubject, parent: null).Should().BeNull();
        Resolve(ArvoDomain.FromParentSubject, parent: Subj("p")).Should().Be("p");
    }

    [Fact]
    public void Resolve_OrchestrationContextWithoutParent_FollowsStep7()
    {
        Resolve(ArvoDomain.OrchestrationContext, current: Subj("d1"), trigger: null).Should().BeNull();
        Resolve(ArvoDomain.OrchestrationContext, current: Subj("d1"), trigger: "d1").Should().BeNull();
        Resolve(ArvoDomain.OrchestrationContext, current: Subj("d1"), trigger: "d2").Should().Be("d1");
        Resolve(ArvoDomain.OrchestrationContext, current: "test-subject", trigger: "d2").Should().BeNull();
    }

    [Fact]
    public void Resolve_OrchestrationContextWithParent_FollowsStep7()
    {
        Resolve(ArvoDomain.OrchestrationContext, current: Subj("x"), parent: Subj("x")).Should().BeNull();
        Resolve(ArvoDomain.OrchestrationContext, current: Subj("ext.dom"), parent: Subj(null)).Should().BeNull();
        Resolve(ArvoDomain.OrchestrationContext, current: Subj("a"), parent: Subj("b")).Should().Be("b");
    }

    [Theory]
    [InlineData("default", null)]
    [InlineData("analytics", "analytics")]
    [InlineData(null, null)]
    public void Normalize_DefaultLiteral_BecomesNull(string? value, string? expected) => ArvoDomain.Normalize(value).Should().Be(expected);
}
