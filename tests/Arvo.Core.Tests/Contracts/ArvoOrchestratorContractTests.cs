using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Contracts;
using Arvo.Schemas;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Contracts;

/// <summary>contracts.md 5 and 5.1; scenarios C-8 and C-9.</summary>
public sealed class ArvoOrchestratorContractTests
{
    private const string FooInit = """{"type":"object","properties":{"foo":{"type":"string"}},"required":["foo"]}""";
    private const string BarComplete = """{"type":"object","properties":{"bar":{"type":"number"}},"required":["bar"]}""";

    private static JsonElement Data(string json) => ContractTestJson.Parse(json);

    private static ArvoOrchestratorContract CreateC8() => ArvoContract.CreateOrchestrator("test://example", "test.contract", c => c
        .Metadata("name", 1)
        .Version("0.0.1", v => v.Init(FooInit).Complete(BarComplete))
        .Version("0.0.2", v => v.Init(FooInit).Complete(BarComplete)));

    // ---- C-8 ----

    [Fact]
    public void CreateOrchestrator_C8_TypesFollowTheName()
    {
        var contract = CreateC8();

        contract.Type.Should().Be("arvo.orc.test.contract");
        contract.InitEventType.Should().Be("arvo.orc.test.contract");
        contract.CompleteEventType.Should().Be("arvo.orc.test.contract.done");
        contract.Name.Should().Be("test.contract");
        contract.Version("0.0.1").Emits.Keys.Should().Equal("arvo.orc.test.contract.done");
        contract.Version("0.0.2").Emits.Keys.Should().Equal("arvo.orc.test.contract.done");
    }

    [Fact]
    public void CreateOrchestrator_C8_MetadataHasTheOrchestratorKeys()
    {
        ContractTestJson.Compact(CreateC8().Metadata).Should().Be(
            """{"name":1,"contractType":"ArvoOrchestratorContract","rootType":"test.contract","completeEventType":"arvo.orc.test.contract.done","initEventType":"arvo.orc.test.contract"}""");
    }

    [Fact]
    public void CreateOrchestrator_CallerMetadataWithReservedKeys_IsOverridden()
    {
        var contract = ArvoContract.CreateOrchestrator("#/o", "o", c => c
            .Metadata("initEventType", "x")
            .Metadata("contractType", "x")
            .Version("0.0.1", v => v.Init(FooInit).Complete(BarComplete)));

        ContractTestJson.Compact(contract.Metadata).Should().Be(
            """{"initEventType":"arvo.orc.o","contractType":"ArvoOrchestratorContract","rootType":"o","completeEventType":"arvo.orc.o.done"}""");
    }

    [Fact]
    public void CreateOrchestrator_C8_InitWithParentSubject_IsValid()
    {
        CreateC8().Version("0.0.1").Accepts.Schema.Validate(Data("""{"parentSubject$$":"parent-123","foo":"test"}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void CreateOrchestrator_C8_InitWithNullParentSubject_IsValid()
    {
        CreateC8().Version("0.0.2").Accepts.Schema.Validate(Data("""{"parentSubject$$":null,"foo":"test"}""")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void CreateOrchestrator_C8_InitWithoutParentSubject_IsInvalid()
    {
        CreateC8().Version("0.0.1").Accepts.Schema.Validate(Data("""{"foo":"test"}""")).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.parentSubject$$", "invalid_type", "string or null (required)", "missing"));
    }

    [Fact]
    public void CreateOrchestrator_C8_InitWithEmptyParentSubject_IsInvalid()
    {
        CreateC8().Version("0.0.1").Accepts.Schema.Validate(Data("""{"parentSubject$$":"","foo":"test"}""")).Issues.Should().ContainSingle()
            .Which.Path.Should().Be("$.parentSubject$$");
    }

    [Fact]
    public void CreateOrchestrator_C8_SystemErrorType()
    {
        var contract = CreateC8();

        contract.SystemError.Type.Should().Be("sys.arvo.orc.test.contract.error");
        contract.Version("0.0.2").SystemError.Dataschema.Should().Be("test://example/0.0.0");
    }

    [Fact]
    public void CreateOrchestrator_InvalidName_ThrowsNamingWhatIsAllowed()
    {
        var act = () => ArvoContract.CreateOrchestrator("test://example", "Invalid Type", c => c.Version("0.0.1", v => v.Init(FooInit).Complete(BarComplete)));

        act.Should().Throw<ArvoContractDefinitionException>().Which.Message.Should().Be(
            "Invalid 'name' = 'Invalid Type'. The 'name' must be lowercase letters and digits, in one or more segments separated by single dots, e.g. test.orchestrator or payment.");
    }

    [Theory]
    [InlineData("a.")]
    [InlineData(".a")]
    [InlineData("a..b")]
    [InlineData("Test.orchestrator")]
    [InlineData("test-orchestrator")]
    [InlineData("")]
    public void CreateOrchestrator_NameBreakingTheRule_ThrowsNamingTheNameAndTheRule(string name)
    {
        var act = () => ArvoContract.CreateOrchestrator("test://example", name, c => c.Version("0.0.1", v => v.Init(FooInit).Complete(BarComplete)));

        var thrown = act.Should().Throw<ArvoContractDefinitionException>().Which;
        thrown.Message.Should().Be(
            $"Invalid 'name' = '{name}'. The 'name' must be lowercase letters and digits, in one or more segments separated by single dots, e.g. test.orchestrator or payment.");
        thrown.Uri.Should().Be("test://example");
        thrown.EventType.Should().Be($"arvo.orc.{name}");
    }

    [Theory]
    [InlineData("test.orchestrator", "arvo.orc.test.orchestrator")]
    [InlineData("a.b.c1", "arvo.orc.a.b.c1")]
    [InlineData("payment", "arvo.orc.payment")]
    public void CreateOrchestrator_DottedName_IsAccepted(string name, string type)
    {
        ArvoContract.CreateOrchestrator("test://example", name, c => c.Version("0.0.1", v => v.Init(FooInit).Complete(BarComplete)))
            .Type.Should().Be(type);
    }

    [Fact]
    public void CreateOrchestrator_SingleSegmentName_IsAccepted()
    {
        var contract = ArvoContract.CreateOrchestrator("test://example", "single", c => c.Version("0.0.1", v => v.Init(FooInit).Complete(BarComplete)));

        contract.Type.Should().Be("arvo.orc.single");
    }

    [Fact]
    public void CreateOrchestrator_IsAnArvoContract()
    {
        ArvoContract contract = CreateC8();

        contract.IsOrchestrator.Should().BeTrue();
        contract.Version("0.0.1").IsOrchestrator.Should().BeTrue();
        contract.Version("0.0.1").Contract.Should().BeOfType<ArvoOrchestratorContract>();
    }

    [Fact]
    public void CreateOrchestrator_VersionWithoutComplete_Throws()
    {
        var act = () => ArvoContract.CreateOrchestrator("#/o", "o", c => c.Version("0.0.1", v => v.Init(FooInit)));

        act.Should().Throw<ArvoContractDefinitionException>().Which.Message.Should().Be("In contract (uri=#/o, version=0.0.1), no 'complete' schema was given.");
    }

    [Fact]
    public void CreateOrchestrator_VersionWithoutInit_Throws()
    {
        var act = () => ArvoContract.CreateOrchestrator("#/o", "o", c => c.Version("0.0.1", v => v.Complete(BarComplete)));

        act.Should().Throw<ArvoContractDefinitionException>().Which.Message.Should().Be("In contract (uri=#/o, version=0.0.1), no 'init' schema was given.");
    }

    [Fact]
    public void CreateOrchestrator_NonObjectInit_Throws()
    {
        var act = () => ArvoContract.CreateOrchestrator("#/o", "o", c => c.Version("0.0.1", v => v.Init("""{"type":"string"}""").Complete(BarComplete)));

        act.Should().Throw<ArvoContractDefinitionException>().WithMessage("In contract (uri=#/o, version=0.0.1), the 'init' schema must be an object schema*");
    }

    // ---- 5.1 The init schema merge ----

    [Fact]
    public void InitSchema_Merge_PutsParentSubjectFirstAndRequiresIt()
    {
        var schema = JsonNode.Parse(CreateC8().Version("0.0.1").Accepts.Schema.Json.GetRawText())!.AsObject();

        schema["properties"]!.AsObject().Select(property => property.Key).Should().Equal("parentSubject$$", "foo");
        schema["required"]!.AsArray().Select(item => item!.GetValue<string>()).Should().Equal("parentSubject$$", "foo");
        schema["properties"]!["parentSubject$$"]!["anyOf"]!.ToJsonString().Should().Be("""[{"type":"string","minLength":1},{"type":"null"}]""");
    }

    [Fact]
    public void InitSchema_OwnParentSubjectDefinition_ReplacesTheBaseOne()
    {
        var contract = ArvoContract.CreateOrchestrator("#/o", "o", c => c.Version("0.0.1", v => v
            .Init("""{"type":"object","properties":{"x":{"type":"number"},"parentSubject$$":{"type":"string"}},"required":["x"]}""")
            .Complete(BarComplete)));
        var schema = contract.Version("0.0.1").Accepts.Schema;

        schema.Validate(Data("""{"x":1}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"x":1,"parentSubject$$":null}""")).IsValid.Should().BeFalse();
        JsonNode.Parse(schema.Json.GetRawText())!["properties"]!.AsObject().Select(property => property.Key).Should().Equal("parentSubject$$", "x");
    }

    [Fact]
    public void InitSchema_FromType_IsMerged()
    {
        var contract = ArvoContract.CreateOrchestrator("#/o", "o", c => c.Version("0.0.1", v => v
            .Init(ArvoSchema.FromType<CounterInit>())
            .Complete(BarComplete)));
        var schema = contract.Version("0.0.1").Accepts.Schema;

        schema.Validate(Data("""{"parentSubject$$":null,"delta":1}""")).IsValid.Should().BeTrue();
        schema.Validate(Data("""{"delta":1}""")).Issues.Select(issue => issue.Path).Should().Equal("$.parentSubject$$");
        ContractTestJson.Compact(schema.Parse(Data("""{"delta":1,"parentSubject$$":null,"x":1}""")))
            .Should().Be("""{"parentSubject$$":null,"delta":1}""");
    }

    [Fact]
    public void InitSchema_ZodExportOptions_AreKept()
    {
        var contract = ArvoContract.CreateOrchestrator("#/o", "o", c => c.Version("0.0.1", v => v
            .Init(ArvoSchema.FromZodExport("""{"type":"object","properties":{"foo":{"type":"string"}},"required":["foo"],"additionalProperties":false}"""))
            .Complete(BarComplete)));

        contract.Version("0.0.1").Accepts.Schema.Validate(Data("""{"parentSubject$$":null,"foo":"f","extra":1}""")).IsValid.Should().BeTrue();
    }

    public sealed record CounterInit(double Delta);

    // ---- C-9 JSON Schema export ----

    [Fact]
    public void ToJsonSchema_C9_VersionHasTheEnvelopeKeys()
    {
        var export = CreateC8().Version("0.0.1").ToJsonSchema();

        export.Select(property => property.Key).Should().Equal("uri", "description", "domain", "version", "metadata", "accepts", "systemError", "emits");
        export["accepts"]!.AsObject().Select(property => property.Key).Should().Equal("type", "schema");
        export["systemError"]!.AsObject().Select(property => property.Key).Should().Equal("type", "schema");
        export["emits"]!.AsArray().Should().ContainSingle().Which!.AsObject().Select(property => property.Key).Should().Equal("type", "schema");
        export["emits"]![0]!["type"]!.GetValue<string>().Should().Be("arvo.orc.test.contract.done");
    }

    [Fact]
    public void ToJsonSchema_C9_AcceptsRequiresParentSubject()
    {
        var accepts = CreateC8().Version("0.0.1").ToJsonSchema()["accepts"]!["schema"]!;

        accepts["required"]!.AsArray().Select(item => item!.GetValue<string>()).Should().Contain("parentSubject$$");
        accepts["properties"]!["parentSubject$$"]!["anyOf"]!.ToJsonString().Should().Be("""[{"type":"string","minLength":1},{"type":"null"}]""");
    }

    [Fact]
    public void ToJsonSchema_C9_SystemErrorRequiresTheErrorFields()
    {
        var systemError = CreateC8().Version("0.0.1").ToJsonSchema()["systemError"]!;

        systemError["type"]!.GetValue<string>().Should().Be("sys.arvo.orc.test.contract.error");
        systemError["schema"]!["required"]!.AsArray().Select(item => item!.GetValue<string>()).Should().Equal("errorName", "errorMessage", "errorStack");
    }
}
