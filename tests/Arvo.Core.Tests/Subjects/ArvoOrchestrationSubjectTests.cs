using System.Text.RegularExpressions;
using Arvo.Subjects;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Subjects;

/// <summary>Scenarios S-1 to S-6 of scenarios.md and wire-format.md Example C.</summary>
public sealed partial class ArvoOrchestrationSubjectTests
{
    private const string CreatePrefix = "Error creating orchestration subject string from the provided context.";
    private const string ParsePrefix = "Error parsing orchestration subject string to the context.";

    private const string C1 = "eJwlzUsOwyAMRdG9eBwQ5NM22Y3rGJUBIIGLKiH2XppO35Hua5AyvbhIRkkZjgYRA8MBmGvSw7QMhAkq5+JTHGK00Rb6BPxhess1NvDnoMVZN+PK6uE2UistrHbcdjXT7bRsnne0drR89OL/f0ApXBe6cK6e+BcOLDiavX8B/PkzFA==";
    private const string C2 = "eJwlzVsKwyAQheG9zHMUzaVtspvpZEIHooIxUpDsvUP6ej44f4OU6cNHyVhShqVBxMCwAOaarJotitBB5XxIiirOOuvh6oC/TGe5xwayKg2b33oc2by2icxIA5sZp9n09Fg9u/cTvdcviVLk3wNK4U7Yg3MVYuU1BRQ9jee+ayZwQS1c1w/oxTfx";
    private const string C3 = "eJxtzUkOwzAIQNG7sI6tjJ1uQ2yiIDWmIjSqFOXutdtFN13CF7wdRMNMqymaKNx2SLgQ3AB1E5+bDzPfI1Swka4sKafG176GowJ6UXjaZ7kDx5yuYxv70JCrpw5dT8PoLuEc3YmGqcdubENTfnFi4y/4gx6olCzXKAtygVTEfJ6KtZBhYZQiKwUz+XN7HG+yAkS9";
    private const string C1Json = """{"orchestrator":{"name":"arvo.orc.test","version":"0.0.1"},"execution":{"id":"3f1f2a4e-8f5c-4c3e-9a59-2c6d1e0b7a11","initiator":"com.test.service"},"meta":{}}""";
    private const string C2Json = """{"orchestrator":{"name":"arvo.orc.test","version":"0.0.1"},"execution":{"id":"3f1f2a4e-8f5c-4c3e-9a59-2c6d1e0b7a11","initiator":"com.test.service","domain":null},"meta":{}}""";
    private const string C3Json = """{"orchestrator":{"name":"arvo.orc.child","version":"1.0.0"},"execution":{"id":"9b2d4c1e-0f3a-4e5b-8c7d-6e5f4a3b2c1d","initiator":"arvo.orc.parent","domain":"root.dom"},"meta":{"redirectto":"arvo.orc.parent"}}""";

    private static readonly ArvoSubjectOptions Strict = new() { Compatibility = ArvoSubjectCompatibility.Strict };

    private static readonly Dictionary<string, string> SessionMeta = new() { ["sessionId"] = "test-123-456" };

    // ---- S-1 new ----

    [Fact]
    public void New_WithMeta_ParsesToGivenFieldsAndUuidV4Id()
    {
        var subject = ArvoOrchestrationSubject.New("com.example.orchestrator", "1.0.0", "com.example.initiator", meta: SessionMeta);

        var content = ArvoOrchestrationSubject.Parse(subject);

        content.Orchestrator.Name.Should().Be("com.example.orchestrator");
        content.Orchestrator.Version.Should().Be("1.0.0");
        content.Execution.Initiator.Should().Be("com.example.initiator");
        content.Execution.Id.Should().MatchRegex(UuidV4().ToString());
        content.Execution.Domain.Should().BeNull();
        content.Meta.Should().Equal(new Dictionary<string, string> { ["sessionId"] = "test-123-456" });
    }

    [Fact]
    public void New_WithDomain_ParsesDomain()
    {
        var subject = ArvoOrchestrationSubject.New("com.example.orchestrator", "1.0.0", "com.example.initiator", domain: "test.test", meta: SessionMeta);

        ArvoOrchestrationSubject.Parse(subject).Execution.Domain.Should().Be("test.test");
    }

    [Fact]
    public void New_NullVersionAndNoMeta_WritesWildcardVersionNullDomainAndEmptyMetaInReferenceKeyOrder()
    {
        var subject = ArvoOrchestrationSubject.New("arvo.orc.counter", null, "com.test.service", idGenerator: new SequenceIdGenerator("exec-1"));

        SubjectText.DecodeText(subject).Should().Be(
            """{"orchestrator":{"name":"arvo.orc.counter","version":"0.0.0"},"execution":{"id":"exec-1","initiator":"com.test.service","domain":null},"meta":{}}""");
    }

    [Fact]
    public void New_Always_WritesDefaultZlibHeaderAndPaddedStandardBase64()
    {
        var subject = ArvoOrchestrationSubject.New("com.example.orchestrator", "1.0.0", "com.example.initiator", meta: SessionMeta);

        subject.Should().StartWith("eJ").And.MatchRegex("^[A-Za-z0-9+/]+={0,2}$");
        (subject.Length % 4).Should().Be(0);
    }

    [Fact]
    public void New_TwoCalls_UseFreshIdsFromTheGenerator()
    {
        var ids = new SequenceIdGenerator("first", "second");

        var a = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", idGenerator: ids));
        var b = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", idGenerator: ids));

        a.Execution.Id.Should().Be("first");
        b.Execution.Id.Should().Be("second");
    }

    // ---- S-2 invalid input ----

    [Fact]
    public void New_OrchestratorWithSpace_ThrowsCreateErrorNamingOrchestratorName()
    {
        var act = () => ArvoOrchestrationSubject.New("invalid name", "1.0.0", "com.example.initiator");

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Message.Should().Be(CreatePrefix + " Invalid 'orchestrator.name': expected a reverse-DNS type matching ^[a-z0-9]+(\\.[a-z0-9]+)+\\.[a-z0-9]+$ (no ';'), found \"invalid name\".");
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidContent);
        error.Field.Should().Be("orchestrator.name");
        error.Actual.Should().Be("\"invalid name\"");
    }

    [Fact]
    public void New_InitiatorWithoutDots_ThrowsCreateErrorNamingExecutionInitiator()
    {
        var act = () => ArvoOrchestrationSubject.New("com.example.orchestrator", "1.0.0", "bad");

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(CreatePrefix + "*").Which;
        error.Field.Should().Be("execution.initiator");
        error.Actual.Should().Be("\"bad\"");
    }

    [Fact]
    public void Create_ExecutionIdWithSemicolon_ThrowsCreateErrorNamingExecutionId()
    {
        var content = Content(id: "a;b");

        var act = () => ArvoOrchestrationSubject.Create(content);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(CreatePrefix + "*").Which;
        error.Field.Should().Be("execution.id");
        error.Expected.Should().Be("a non-empty string without ';' or lone surrogates");
        error.Actual.Should().Be("\"a;b\"");
    }

    [Fact]
    public void Create_NullMetaValue_ThrowsCreateErrorNamingTheMetaKey()
    {
        var content = Content(meta: new Dictionary<string, string> { ["ok"] = "yes", ["count"] = null! });

        var act = () => ArvoOrchestrationSubject.Create(content);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(CreatePrefix + "*").Which;
        error.Field.Should().Be("meta.count");
        error.Actual.Should().Be("null");
    }

    [Fact]
    public void Parse_NumberMetaValue_ThrowsParseErrorNamingTheMetaKey()
    {
        var subject = SubjectText.Encode("""{"orchestrator":{"name":"a.b.c","version":"1.0.0"},"execution":{"id":"x","initiator":"d.e.f","domain":null},"meta":{"count":3}}""");

        var act = () => ArvoOrchestrationSubject.Parse(subject);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Message.Should().Be(ParsePrefix + " Invalid 'meta.count': expected a string, found a number.");
        error.Field.Should().Be("meta.count");
    }

    [Fact]
    public void Parse_InvalidBase64String_ThrowsParseErrorOfKindInvalidBase64()
    {
        var act = () => ArvoOrchestrationSubject.Parse("invalid_base64_string");

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(ParsePrefix + "*").Which;
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidBase64);
        error.Field.Should().BeNull();
        error.Actual.Should().Be("\"invalid_base64_string\"");
    }

    [Fact]
    public void Parse_ZlibOfObjectWithoutKnownKeys_ThrowsParseErrorNamingOrchestrator()
    {
        var subject = SubjectText.Encode("""{"invalid":"content"}""");

        var act = () => ArvoOrchestrationSubject.Parse(subject);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Message.Should().Be(ParsePrefix + " Invalid 'orchestrator': expected an object, found missing.");
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidContent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("test")]
    [InlineData(null)]
    public void IsValid_NonSubjects_ReturnsFalse(string? subject)
    {
        ArvoOrchestrationSubject.IsValid(subject).Should().BeFalse();
    }

    [Fact]
    public void TryParse_InvalidSubject_ReturnsFalseAndNullContent()
    {
        ArvoOrchestrationSubject.TryParse("abc", out var content).Should().BeFalse();
        content.Should().BeNull();
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        var act = () => ArvoOrchestrationSubject.Parse(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("subject");
    }

    // ---- S-3 round trip ----

    [Fact]
    public void ParseOfCreate_ReferenceContent_DeepEqualsTheContent()
    {
        const string Json = """{"orchestrator":{"name":"com.example.orchestrator","version":"1.0.0"},"execution":{"id":"123e4567-e89b-12d3-a456-426614174000","initiator":"com.example.initiator","domain":null},"meta":{}}""";
        var content = new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator("com.example.orchestrator", "1.0.0"),
            new ArvoSubjectExecution("123e4567-e89b-12d3-a456-426614174000", "com.example.initiator", domain: null));

        var parsed = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.Create(content));

        parsed.ToNode().ShouldDeepEqual(SubjectText.Parse(Json));
        parsed.ToJsonString().Should().Be(Json);
    }

    // ---- S-4 from ----

    [Fact]
    public void From_ChildOfParent_InheritsMetaAndUsesParentOrchestratorAsInitiator()
    {
        var parentSubject = Parent(out var parent);

        var child = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.From("com.child.process", "2.0.0", parentSubject));

        child.Orchestrator.Name.Should().Be("com.child.process");
        child.Orchestrator.Version.Should().Be("2.0.0");
        child.Execution.Initiator.Should().Be("com.parent.process");
        child.Execution.Id.Should().MatchRegex(UuidV4().ToString()).And.NotBe(parent.Execution.Id);
        child.Meta.Should().Equal(new Dictionary<string, string> { ["environment"] = "test", ["parentKey"] = "parentValue" });
    }

    [Fact]
    public void From_WithMeta_MergesGivenKeysOverParentKeys()
    {
        var parentSubject = Parent(out _);
        var meta = new Dictionary<string, string> { ["childKey"] = "childValue", ["environment"] = "production" };

        var child = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.From("com.child.process", "2.0.0", parentSubject, meta: meta));

        child.Meta.Should().Equal(new Dictionary<string, string>
        {
            ["childKey"] = "childValue",
            ["environment"] = "production",
            ["parentKey"] = "parentValue",
        });
        child.Meta.Keys.Should().Equal("environment", "parentKey", "childKey");
    }

    [Fact]
    public void From_NullVersion_UsesWildcardVersion()
    {
        var child = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.From("com.child.process", null, Parent(out _)));

        child.Orchestrator.Version.Should().Be("0.0.0");
    }

    [Fact]
    public void From_InvalidParentSubject_ThrowsParseError()
    {
        var act = () => ArvoOrchestrationSubject.From("com.child.process", "2.0.0", "invalid-subject");

        act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(ParsePrefix + "*");
    }

    [Fact]
    public void From_OrchestratorWithSpaces_ThrowsCreateErrorNamingOrchestratorName()
    {
        var act = () => ArvoOrchestrationSubject.From("invalid name with spaces", "2.0.0", Parent(out _));

        act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(CreatePrefix + "*")
            .Which.Field.Should().Be("orchestrator.name");
    }

    [Fact]
    public void From_ParentWithExtraKeys_DoesNotCarryThemOver()
    {
        var parentSubject = SubjectText.Encode("""{"orchestrator":{"name":"a.b.c","version":"1.0.0","o":1},"execution":{"id":"x","initiator":"d.e.f","domain":null,"e":2},"meta":{},"r":3}""");

        var child = ArvoOrchestrationSubject.From("g.h.i", "1.0.0", parentSubject, idGenerator: new SequenceIdGenerator("y"));

        SubjectText.DecodeText(child).Should().Be(
            """{"orchestrator":{"name":"g.h.i","version":"1.0.0"},"execution":{"id":"y","initiator":"a.b.c","domain":null},"meta":{}}""");
    }

    // ---- S-5 from and domains ----

    [Fact]
    public void From_WithoutDomain_InheritsParentDomain()
    {
        var parent = ArvoOrchestrationSubject.New("com.parent.process", "1.0.0", "com.system.init", domain: "production.us");

        var child = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.From("com.child.process", "2.0.0", parent));

        child.Execution.Domain.Should().Be("production.us");
    }

    [Fact]
    public void From_WithDomain_OverridesParentDomain()
    {
        var parent = ArvoOrchestrationSubject.New("com.parent.process", "1.0.0", "com.system.init", domain: "production.us");

        var child = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.From("com.child.process", "2.0.0", parent, domain: "staging.eu"));

        child.Execution.Domain.Should().Be("staging.eu");
    }

    [Fact]
    public void From_NoDomainAnywhere_LeavesDomainNull()
    {
        var child = ArvoOrchestrationSubject.Parse(ArvoOrchestrationSubject.From("com.child.process", "2.0.0", Parent(out _)));

        child.Execution.Domain.Should().BeNull();
    }

    // ---- S-6 literal subjects (wire-format.md Example C) ----

    [Theory]
    [InlineData(C2, C2Json)]
    [InlineData(C3, C3Json)]
    public void Parse_ExampleC2AndC3_YieldExactlyTheReferenceJson(string subject, string json)
    {
        var content = ArvoOrchestrationSubject.Parse(subject, Strict);

        content.ToNode().ShouldDeepEqual(SubjectText.Parse(json));
        content.ToJsonString().Should().Be(json);
    }

    [Theory]
    [InlineData(C2, C2Json)]
    [InlineData(C3, C3Json)]
    public void Create_ParsedExampleC2AndC3_EncodesContentThatDecodesEqual(string subject, string json)
    {
        var reencoded = ArvoOrchestrationSubject.Create(ArvoOrchestrationSubject.Parse(subject));

        SubjectText.DecodeNode(reencoded).ShouldDeepEqual(SubjectText.Parse(json));
        ArvoOrchestrationSubject.Parse(reencoded).ToNode().ShouldDeepEqual(SubjectText.Parse(json));
    }

    [Fact]
    public void Parse_ExampleC3_ExposesRedirectMeta()
    {
        var content = ArvoOrchestrationSubject.Parse(C3);

        content.Execution.Domain.Should().Be("root.dom");
        content.Meta["redirectto"].Should().Be("arvo.orc.parent");
    }

    [Fact]
    public void Parse_ExampleC1DefaultLenient_AcceptsLegacySubjectWithNullDomain()
    {
        SubjectText.DecodeText(C1).Should().Be(C1Json);

        var content = ArvoOrchestrationSubject.Parse(C1);

        content.Orchestrator.Name.Should().Be("arvo.orc.test");
        content.Orchestrator.Version.Should().Be("0.0.1");
        content.Execution.Id.Should().Be("3f1f2a4e-8f5c-4c3e-9a59-2c6d1e0b7a11");
        content.Execution.Initiator.Should().Be("com.test.service");
        content.Execution.Domain.Should().BeNull();
        content.Meta.Should().BeEmpty();
    }

    [Fact]
    public void Create_ParsedExampleC1_WritesTheThreeXFormatWithExplicitNullDomain()
    {
        var reencoded = ArvoOrchestrationSubject.Create(ArvoOrchestrationSubject.Parse(C1));

        SubjectText.DecodeText(reencoded).Should().Be(C2Json);
    }

    [Fact]
    public void Parse_ExampleC1Strict_ThrowsLikeReference3025()
    {
        var act = () => ArvoOrchestrationSubject.Parse(C1, Strict);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(ParsePrefix + "*").Which;
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidContent);
        error.Field.Should().Be("execution.domain");
        error.Actual.Should().Be("missing");
        ArvoOrchestrationSubject.IsValid(C1, Strict).Should().BeFalse();
        ArvoOrchestrationSubject.IsValid(C1).Should().BeTrue();
    }

    [Fact]
    public void From_LegacyParentStrict_ThrowsParseError()
    {
        var act = () => ArvoOrchestrationSubject.From("com.child.process", "2.0.0", C1, options: Strict);

        act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(ParsePrefix + "*")
            .Which.Field.Should().Be("execution.domain");
    }

    private static string Parent(out ArvoOrchestrationSubjectContent parent)
    {
        var meta = new Dictionary<string, string> { ["environment"] = "test", ["parentKey"] = "parentValue" };
        var subject = ArvoOrchestrationSubject.New("com.parent.process", "1.0.0", "com.system.init", meta: meta);
        parent = ArvoOrchestrationSubject.Parse(subject);
        return subject;
    }

    private static ArvoOrchestrationSubjectContent Content(string id = "exec-1", IReadOnlyDictionary<string, string>? meta = null) =>
        new(
            new ArvoSubjectOrchestrator("com.example.orchestrator", "1.0.0"),
            new ArvoSubjectExecution(id, "com.example.initiator"),
            meta);

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex UuidV4();
}
