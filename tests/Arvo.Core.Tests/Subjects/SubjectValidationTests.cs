using Arvo.Subjects;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Subjects;

/// <summary>The field rules of wire-format.md 9.1, field by field, on the parse and the create side.</summary>
public sealed class SubjectValidationTests
{
    private const string Orchestrator = "\"orchestrator\":{\"name\":\"a.b.c\",\"version\":\"1.0.0\"}";
    private const string Execution = "\"execution\":{\"id\":\"x\",\"initiator\":\"d.e.f\",\"domain\":null}";
    private const string Meta = "\"meta\":{}";

    public static TheoryData<string, string, string> BadParsedFields => new()
    {
        // orchestrator
        { $"{{{Execution},{Meta}}}", "orchestrator", "missing" },
        { $"{{\"orchestrator\":null,{Execution},{Meta}}}", "orchestrator", "null" },
        { $"{{\"orchestrator\":\"a.b.c\",{Execution},{Meta}}}", "orchestrator", "\"a.b.c\"" },
        { $"{{\"orchestrator\":{{\"version\":\"1.0.0\"}},{Execution},{Meta}}}", "orchestrator.name", "missing" },
        { $"{{\"orchestrator\":{{\"name\":null,\"version\":\"1.0.0\"}},{Execution},{Meta}}}", "orchestrator.name", "null" },
        { $"{{\"orchestrator\":{{\"name\":7,\"version\":\"1.0.0\"}},{Execution},{Meta}}}", "orchestrator.name", "a number" },
        { $"{{\"orchestrator\":{{\"name\":\"a.b\",\"version\":\"1.0.0\"}},{Execution},{Meta}}}", "orchestrator.name", "\"a.b\"" },
        { $"{{\"orchestrator\":{{\"name\":\"com.A.b\",\"version\":\"1.0.0\"}},{Execution},{Meta}}}", "orchestrator.name", "\"com.A.b\"" },
        { $"{{\"orchestrator\":{{\"name\":\"a.b;c.d\",\"version\":\"1.0.0\"}},{Execution},{Meta}}}", "orchestrator.name", "\"a.b;c.d\"" },
        { $"{{\"orchestrator\":{{\"name\":\"a.b.c\"}},{Execution},{Meta}}}", "orchestrator.version", "missing" },
        { $"{{\"orchestrator\":{{\"name\":\"a.b.c\",\"version\":\"1.2\"}},{Execution},{Meta}}}", "orchestrator.version", "\"1.2\"" },
        { $"{{\"orchestrator\":{{\"name\":\"a.b.c\",\"version\":\"1.2.3-beta\"}},{Execution},{Meta}}}", "orchestrator.version", "\"1.2.3-beta\"" },
        { $"{{\"orchestrator\":{{\"name\":\"a.b.c\",\"version\":[1,2,3]}},{Execution},{Meta}}}", "orchestrator.version", "an array" },

        // execution
        { $"{{{Orchestrator},{Meta}}}", "execution", "missing" },
        { $"{{{Orchestrator},\"execution\":[],{Meta}}}", "execution", "an array" },
        { $"{{{Orchestrator},\"execution\":{{\"initiator\":\"d.e.f\",\"domain\":null}},{Meta}}}", "execution.id", "missing" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"\",\"initiator\":\"d.e.f\",\"domain\":null}},{Meta}}}", "execution.id", "\"\"" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"a;b\",\"initiator\":\"d.e.f\",\"domain\":null}},{Meta}}}", "execution.id", "\"a;b\"" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":1,\"initiator\":\"d.e.f\",\"domain\":null}},{Meta}}}", "execution.id", "a number" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"domain\":null}},{Meta}}}", "execution.initiator", "missing" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"initiator\":\"bad\",\"domain\":null}},{Meta}}}", "execution.initiator", "\"bad\"" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"initiator\":false,\"domain\":null}},{Meta}}}", "execution.initiator", "false" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"initiator\":\"d.e.f\",\"domain\":\"\"}},{Meta}}}", "execution.domain", "\"\"" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"initiator\":\"d.e.f\",\"domain\":\"Prod\"}},{Meta}}}", "execution.domain", "\"Prod\"" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"initiator\":\"d.e.f\",\"domain\":\"a-b\"}},{Meta}}}", "execution.domain", "\"a-b\"" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"initiator\":\"d.e.f\",\"domain\":1}},{Meta}}}", "execution.domain", "a number" },
        { $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"initiator\":\"d.e.f\",\"domain\":{{}}}},{Meta}}}", "execution.domain", "an object" },

        // meta
        { $"{{{Orchestrator},{Execution}}}", "meta", "missing" },
        { $"{{{Orchestrator},{Execution},\"meta\":null}}", "meta", "null" },
        { $"{{{Orchestrator},{Execution},\"meta\":[]}}", "meta", "an array" },
        { $"{{{Orchestrator},{Execution},\"meta\":{{\"k\":null}}}}", "meta.k", "null" },
        { $"{{{Orchestrator},{Execution},\"meta\":{{\"k\":true}}}}", "meta.k", "true" },
        { $"{{{Orchestrator},{Execution},\"meta\":{{\"k\":{{\"x\":\"y\"}}}}}}", "meta.k", "an object" },
    };

    public static TheoryData<string, string> ValidDomains => new()
    {
        { "\"a..b\"", "a..b" },
        { "\".x\"", ".x" },
        { "\"default\"", "default" },
        { "\"0\"", "0" },
        { "null", null! },
    };

    [Theory]
    [MemberData(nameof(BadParsedFields))]
    public void Parse_BadField_ThrowsInvalidContentNamingFieldAndActualValue(string json, string field, string actual)
    {
        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.Encode(json));

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidContent);
        error.Field.Should().Be(field);
        error.Actual.Should().Be(actual);
        error.Message.Should().StartWith($"Error parsing orchestration subject string to the context. Invalid '{field}': expected ")
            .And.EndWith($", found {actual}.");
    }

    [Theory]
    [MemberData(nameof(ValidDomains))]
    public void Parse_DomainAllowedByTheRegex_IsAccepted(string jsonValue, string? domain)
    {
        var json = $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"initiator\":\"d.e.f\",\"domain\":{jsonValue}}},{Meta}}}";

        ArvoOrchestrationSubject.Parse(SubjectText.Encode(json)).Execution.Domain.Should().Be(domain);
    }

    [Theory]
    [InlineData("0.0.0")]
    [InlineData("01.2.3")]
    [InlineData("10.20.30")]
    public void Parse_SemanticVersions_AreAccepted(string version)
    {
        var json = $"{{\"orchestrator\":{{\"name\":\"a.b.c\",\"version\":\"{version}\"}},{Execution},{Meta}}}";

        ArvoOrchestrationSubject.Parse(SubjectText.Encode(json)).Orchestrator.Version.Should().Be(version);
    }

    [Fact]
    public void Parse_DomainErrorMessage_NamesFieldExpectedAndActual()
    {
        var json = $"{{{Orchestrator},\"execution\":{{\"id\":\"x\",\"initiator\":\"d.e.f\",\"domain\":\"TEST\"}},{Meta}}}";

        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.Encode(json));

        act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(
            "Error parsing orchestration subject string to the context. Invalid 'execution.domain': expected null or a non-empty string matching ^[a-z0-9.]+$, found \"TEST\".");
    }

    [Fact]
    public void Parse_LongBadValue_IsQuotedAndTruncatedInTheMessage()
    {
        var name = new string('X', 100);
        var json = $"{{\"orchestrator\":{{\"name\":\"{name}\",\"version\":\"1.0.0\"}},{Execution},{Meta}}}";

        var act = () => ArvoOrchestrationSubject.Parse(SubjectText.Encode(json));

        act.Should().Throw<ArvoOrchestrationSubjectException>()
            .Which.Actual.Should().Be($"\"{new string('X', 64)}…\" (100 characters)");
    }

    [Theory]
    [InlineData("invalid name", "1.0.0", "x", "d.e.f", "ok", "orchestrator.name", "\"invalid name\"")]
    [InlineData(null, "1.0.0", "x", "d.e.f", "ok", "orchestrator.name", "null")]
    [InlineData("a.b.c", "1.0", "x", "d.e.f", "ok", "orchestrator.version", "\"1.0\"")]
    [InlineData("a.b.c", null, "x", "d.e.f", "ok", "orchestrator.version", "null")]
    [InlineData("a.b.c", "1.0.0", "", "d.e.f", "ok", "execution.id", "\"\"")]
    [InlineData("a.b.c", "1.0.0", null, "d.e.f", "ok", "execution.id", "null")]
    [InlineData("a.b.c", "1.0.0", "a;b", "d.e.f", "ok", "execution.id", "\"a;b\"")]
    [InlineData("a.b.c", "1.0.0", "x", "bad", "ok", "execution.initiator", "\"bad\"")]
    [InlineData("a.b.c", "1.0.0", "x", null, "ok", "execution.initiator", "null")]
    public void Create_BadField_ThrowsCreateErrorNamingFieldAndActualValue(
        string? name, string? version, string? id, string? initiator, string metaValue, string field, string actual)
    {
        var content = new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator(name!, version!),
            new ArvoSubjectExecution(id!, initiator!),
            new Dictionary<string, string> { ["k"] = metaValue });

        var act = () => ArvoOrchestrationSubject.Create(content);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Kind.Should().Be(ArvoSubjectErrorKind.InvalidContent);
        error.Field.Should().Be(field);
        error.Actual.Should().Be(actual);
        error.Message.Should().StartWith($"Error creating orchestration subject string from the provided context. Invalid '{field}': expected ");
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER")]
    [InlineData("a b")]
    [InlineData("a_b")]
    public void Create_BadDomain_ThrowsNamingExecutionDomain(string domain)
    {
        var act = () => ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", domain: domain);

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Field.Should().Be("execution.domain");
    }

    [Fact]
    public void Create_IdWithLoneSurrogate_ThrowsNamingExecutionId()
    {
        // The JSON writer would silently turn a lone surrogate into U+FFFD; create refuses instead.
        var act = () => ArvoOrchestrationSubject.Create(new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator("a.b.c", "1.0.0"),
            new ArvoSubjectExecution("x\ud800", "d.e.f")));

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Field.Should().Be("execution.id");
        error.Actual.Should().Be("\"x\ud800\"");
    }

    [Fact]
    public void Create_MetaValueWithLoneSurrogate_ThrowsNamingTheMetaKey()
    {
        var act = () => ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", meta: new Dictionary<string, string> { ["k"] = "lone \udc00" });

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Field.Should().Be("meta.k");
        error.Expected.Should().Be("a string without lone surrogates");
    }

    [Fact]
    public void Create_MetaValueWithSurrogatePair_IsAccepted()
    {
        var subject = ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", meta: new Dictionary<string, string> { ["k"] = "\U0001F600" });

        ArvoOrchestrationSubject.Parse(subject).Meta["k"].Should().Be("\U0001F600");
    }

    [Fact]
    public void Create_MetaKeyWithLoneSurrogate_ThrowsNamingMeta()
    {
        var act = () => ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", meta: new Dictionary<string, string> { ["\ud800"] = "v" });

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Field.Should().Be("meta");
        error.Expected.Should().Be("a key without lone surrogates");
    }

    [Fact]
    public void New_IdGeneratorReturningInvalidId_ThrowsNamingExecutionId()
    {
        var act = () => ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", idGenerator: new SequenceIdGenerator("a;b"));

        act.Should().Throw<ArvoOrchestrationSubjectException>().Which.Field.Should().Be("execution.id");
    }

    [Fact]
    public void New_NullMetaKey_ThrowsArgumentException()
    {
        var act = () => ArvoOrchestrationSubject.New("a.b.c", "1.0.0", "d.e.f", meta: [new KeyValuePair<string, string>(null!, "v")]);

        act.Should().Throw<ArgumentException>().WithParameterName("meta");
    }
}
