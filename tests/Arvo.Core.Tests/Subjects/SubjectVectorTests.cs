using System.Text.Json.Nodes;
using Arvo.Subjects;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Subjects;

/// <summary>
/// Every vector of shared/spec/vectors/subjects.json: valid ones decode to their <c>decoded</c>
/// content and survive re-encoding; <c>create</c>/<c>new</c>/<c>from</c> inputs reproduce the
/// reference content; invalid ones are rejected (all of them in strict mode, all but the 2.x subject
/// by default).
/// </summary>
public sealed class SubjectVectorTests
{
    private const string LegacyLabel = "zlib JSON missing execution.domain";
    private const string ParsePrefix = "Error parsing orchestration subject string to the context.";

    private static readonly ArvoSubjectOptions Strict = new() { Compatibility = ArvoSubjectCompatibility.Strict };

    private static readonly Lazy<JsonNode> File = new(() => VectorFiles.Load("subjects.json"));

    public static TheoryData<string> ValidLabels => Labels("vectors", _ => true);

    public static TheoryData<string> CreateLabels => Labels("vectors", v => (string)v["method"]! == "create");

    public static TheoryData<string> NewLabels => Labels("vectors", v => (string)v["method"]! == "new");

    public static TheoryData<string> FromLabels => Labels("vectors", v => (string)v["method"]! == "from" && v["input"]!["subject"] is not null);

    public static TheoryData<string> InvalidLabels => Labels("invalid", _ => true);

    public static TheoryData<string> InvalidLabelsExceptLegacy => Labels("invalid", v => (string)v["label"]! != LegacyLabel);

    [Fact]
    public void Vectors_File_HasElevenValidAndSixInvalidIncludingTheLegacyOne()
    {
        File.Value["vectors"]!.AsArray().Should().HaveCount(11);
        File.Value["invalid"]!.AsArray().Select(v => (string)v!["label"]!).Should().HaveCount(6).And.ContainSingle(l => l == LegacyLabel);
    }

    [Theory]
    [MemberData(nameof(ValidLabels))]
    public void Parse_ValidVector_DecodesToTheDecodedContent(string label)
    {
        var vector = Find("vectors", label);

        var content = ArvoOrchestrationSubject.Parse((string)vector["encoded"]!);

        content.ToNode().ShouldDeepEqual(vector["decoded"]);
    }

    [Theory]
    [MemberData(nameof(ValidLabels))]
    public void Parse_ValidVectorStrict_DecodesToTheDecodedContent(string label)
    {
        var vector = Find("vectors", label);

        ArvoOrchestrationSubject.Parse((string)vector["encoded"]!, Strict).ToNode().ShouldDeepEqual(vector["decoded"]);
    }

    [Theory]
    [MemberData(nameof(ValidLabels))]
    public void Create_ParsedValidVector_ReencodesToTheSameContent(string label)
    {
        var vector = Find("vectors", label);

        var reencoded = ArvoOrchestrationSubject.Create(ArvoOrchestrationSubject.Parse((string)vector["encoded"]!));

        SubjectText.DecodeNode(reencoded).ShouldDeepEqual(vector["decoded"]);
        ArvoOrchestrationSubject.Parse(reencoded).ToNode().ShouldDeepEqual(vector["decoded"]);
    }

    [Theory]
    [MemberData(nameof(CreateLabels))]
    public void Create_CreateVectorInput_WritesTheReferenceJsonText(string label)
    {
        var vector = Find("vectors", label);
        var content = ContentFrom(vector["input"]!);

        var subject = ArvoOrchestrationSubject.Create(content);

        SubjectText.DecodeText(subject).Should().Be((string)vector["decoded_json_string"]!);
        content.ToJsonString().Should().Be((string)vector["decoded_json_string"]!);
    }

    [Theory]
    [MemberData(nameof(NewLabels))]
    public void New_NewVectorInput_ProducesTheReferenceContent(string label)
    {
        var vector = Find("vectors", label);
        var input = vector["input"]!;
        var ids = new SequenceIdGenerator((string)vector["decoded"]!["execution"]!["id"]!);

        var subject = ArvoOrchestrationSubject.New(
            (string)input["orchestator"]!,
            (string?)input["version"],
            (string)input["initiator"]!,
            (string?)input["domain"],
            Meta(input["meta"]),
            ids);

        SubjectText.DecodeText(subject).Should().Be((string)vector["decoded_json_string"]!);
    }

    [Theory]
    [MemberData(nameof(FromLabels))]
    public void From_FromVectorInput_ProducesTheReferenceContent(string label)
    {
        var vector = Find("vectors", label);
        var input = vector["input"]!;
        var ids = new SequenceIdGenerator((string)vector["decoded"]!["execution"]!["id"]!);

        var subject = ArvoOrchestrationSubject.From(
            (string)input["orchestator"]!,
            (string?)input["version"],
            (string)input["subject"]!,
            (string?)input["domain"],
            Meta(input["meta"]),
            ids);

        SubjectText.DecodeText(subject).Should().Be((string)vector["decoded_json_string"]!);
    }

    [Fact]
    public void From_FactoryInitVector_ProducesTheReferenceContent()
    {
        // The orchestrator event factory calls from() with its own name and version and, when no
        // redirectto is given, meta.redirectto = the parent's initiator.
        var vector = Find("vectors", "ArvoOrchestratorEventFactory.init() with parentSubject$$ (child of the fixed-id root)");
        var parentSubject = (string)vector["input"]!["parentSubject$$"]!;
        var parent = ArvoOrchestrationSubject.Parse(parentSubject);

        var subject = ArvoOrchestrationSubject.From(
            "arvo.orc.counter",
            "0.0.1",
            parentSubject,
            meta: new Dictionary<string, string> { ["redirectto"] = parent.Execution.Initiator },
            idGenerator: new SequenceIdGenerator((string)vector["decoded"]!["execution"]!["id"]!));

        SubjectText.DecodeText(subject).Should().Be((string)vector["decoded_json_string"]!);
    }

    [Theory]
    [MemberData(nameof(InvalidLabels))]
    public void Parse_InvalidVectorStrict_IsRejected(string label)
    {
        var subject = (string)Find("invalid", label)["subject"]!;

        var act = () => ArvoOrchestrationSubject.Parse(subject, Strict);

        act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(ParsePrefix + " *");
        ArvoOrchestrationSubject.IsValid(subject, Strict).Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(InvalidLabelsExceptLegacy))]
    public void Parse_InvalidVectorDefault_IsRejected(string label)
    {
        var subject = (string)Find("invalid", label)["subject"]!;

        var act = () => ArvoOrchestrationSubject.Parse(subject);

        act.Should().Throw<ArvoOrchestrationSubjectException>().WithMessage(ParsePrefix + " *");
        ArvoOrchestrationSubject.IsValid(subject).Should().BeFalse();
    }

    [Theory]
    [InlineData("plain string", ArvoSubjectErrorKind.InvalidBase64, null)]
    [InlineData("base64 of non-zlib bytes", ArvoSubjectErrorKind.InvalidZlib, null)]
    [InlineData("zlib JSON with orchestrator name lacking reverse-DNS dots", ArvoSubjectErrorKind.InvalidContent, "orchestrator.name")]
    [InlineData("zlib JSON with bad version", ArvoSubjectErrorKind.InvalidContent, "orchestrator.version")]
    [InlineData(LegacyLabel, ArvoSubjectErrorKind.InvalidContent, "execution.domain")]
    [InlineData("zlib JSON with upper-case domain", ArvoSubjectErrorKind.InvalidContent, "execution.domain")]
    public void Parse_InvalidVectorStrict_ReportsKindAndField(string label, ArvoSubjectErrorKind kind, string? field)
    {
        var act = () => ArvoOrchestrationSubject.Parse((string)Find("invalid", label)["subject"]!, Strict);

        var error = act.Should().Throw<ArvoOrchestrationSubjectException>().Which;
        error.Kind.Should().Be(kind);
        error.Field.Should().Be(field);
    }

    [Fact]
    public void Parse_LegacyInvalidVectorDefault_DecodesWithNullDomain()
    {
        var subject = (string)Find("invalid", LegacyLabel)["subject"]!;

        var content = ArvoOrchestrationSubject.Parse(subject);

        content.ToNode().ShouldDeepEqual(SubjectText.Parse(
            """{"orchestrator":{"name":"arvo.orc.counter","version":"0.0.1"},"execution":{"id":"x","initiator":"com.test.service","domain":null},"meta":{}}"""));
    }

    private static JsonNode Find(string list, string label) =>
        File.Value[list]!.AsArray().Single(v => (string)v!["label"]! == label)!;

    private static TheoryData<string> Labels(string list, Func<JsonNode, bool> predicate)
    {
        var data = new TheoryData<string>();
        foreach (var vector in File.Value[list]!.AsArray())
        {
            if (predicate(vector!))
            {
                data.Add((string)vector!["label"]!);
            }
        }

        return data;
    }

    private static Dictionary<string, string>? Meta(JsonNode? meta) =>
        meta?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);

    private static ArvoOrchestrationSubjectContent ContentFrom(JsonNode input)
    {
        var orchestrator = input["orchestrator"]!;
        var execution = input["execution"]!;
        return new ArvoOrchestrationSubjectContent(
            new ArvoSubjectOrchestrator((string)orchestrator["name"]!, (string)orchestrator["version"]!),
            new ArvoSubjectExecution((string)execution["id"]!, (string)execution["initiator"]!, (string?)execution["domain"]),
            input["meta"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, (string)p.Value!)));
    }
}
