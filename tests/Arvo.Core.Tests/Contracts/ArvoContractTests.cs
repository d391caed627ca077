using System.ComponentModel;
using System.Text.Json;
using System.Text.RegularExpressions;
using Arvo.Contracts;
using Arvo.Schemas;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Contracts;

/// <summary>contracts.md 1, 1.1, 1.2 and 4; scenarios C-1 to C-7.</summary>
public sealed class ArvoContractTests
{
    private const string AnyObject = """{"type":"object","properties":{}}""";

    private static JsonElement Data(string json) => ContractTestJson.Parse(json);

    private static string NormalizeWhitespace(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    private static ArvoContract CreateSimpleC1() => ArvoContract.CreateSimple("#/simple/test", "simple.test", c => c
        .Description("A simple contract")
        .Metadata("access", "private")
        .Version("0.0.1", v => v.Accepts("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""").Emits(AnyObject))
        .Version("1.0.1", v => v.Accepts(AnyObject).Emits(AnyObject)));

    private static ArvoContract CreatePlainC2() => ArvoContract.Create("#/contracts/myContract", "com.example.input", c => c
        .Version("0.0.1", v => v.Accepts(AnyObject).Emits("com.example.output", AnyObject))
        .Version("1.0.0", v => v.Accepts(AnyObject)));

    public sealed record IncrementResult(double NewValue);

    [Fact]
    public void Create_FluentExample_BuildsTheDocumentedContract()
    {
        var contract = ArvoContract.Create("#/test/service/increment", "com.number.increment", c => c
            .Version("0.0.1", v => v
                .Accepts(ArvoSchema.FromJson("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}"""))
                .Emits("evt.number.increment.success", ArvoSchema.FromType<IncrementResult>())));

        var version = contract.Version("0.0.1");
        version.Dataschema.Should().Be("#/test/service/increment/0.0.1");
        version.Accepts.Schema.Validate(Data("""{"delta":1}""")).IsValid.Should().BeTrue();
        ContractTestJson.Compact(version.Emits["evt.number.increment.success"].Parse(Data("""{"newValue":2,"debug":true}""")))
            .Should().Be("""{"newValue":2}""");
    }

    // ---- C-1 Simple contract ----

    [Fact]
    public void CreateSimple_C1_PrefixesTheContractType()
    {
        var contract = CreateSimpleC1();

        contract.Type.Should().Be("com.simple.test");
        contract.Version("0.0.1").Accepts.Type.Should().Be("com.simple.test");
        contract.Description.Should().Be("A simple contract");
    }

    [Fact]
    public void CreateSimple_C1_EmitsOneSuccessEventPerVersion()
    {
        var contract = CreateSimpleC1();

        contract.Version("0.0.1").EmitList.Select(emit => emit.Type).Should().Equal("evt.simple.test.success");
        contract.Version("1.0.1").EmitList.Select(emit => emit.Type).Should().Equal("evt.simple.test.success");
    }

    [Fact]
    public void CreateSimple_C1_HasTheSystemErrorAndLatestVersion()
    {
        var contract = CreateSimpleC1();

        contract.SystemError.Type.Should().Be("sys.com.simple.test.error");
        contract.Version("0.0.1").SystemError.Type.Should().Be("sys.com.simple.test.error");
        contract.Version("latest").Version.Should().Be("1.0.1");
    }

    [Fact]
    public void CreateSimple_C1_MergesMetadataOnContractAndVersions()
    {
        var contract = CreateSimpleC1();
        const string expected = """{"access":"private","contractType":"SimpleArvoContract","rootType":"simple.test"}""";

        ContractTestJson.Compact(contract.Metadata).Should().Be(expected);
        contract.Versions.Should().AllSatisfy(version => ContractTestJson.Compact(version.Metadata).Should().Be(expected));
    }

    [Fact]
    public void CreateSimple_C1_DomainIsNullEverywhere()
    {
        var contract = CreateSimpleC1();

        contract.Domain.Should().BeNull();
        contract.Versions.Should().AllSatisfy(version => version.Domain.Should().BeNull());
    }

    [Fact]
    public void CreateSimple_CallerMetadataWithReservedKeys_IsOverridden()
    {
        var contract = ArvoContract.CreateSimple("#/s", "s.s", c => c
            .Metadata("contractType", "mine")
            .Metadata("rootType", "mine")
            .Version("0.0.1", v => v.Accepts(AnyObject).Emits(AnyObject)));

        ContractTestJson.Compact(contract.Metadata).Should().Be("""{"contractType":"SimpleArvoContract","rootType":"s.s"}""");
    }

    [Fact]
    public void CreateSimple_VersionWithoutEmits_Throws()
    {
        var act = () => ArvoContract.CreateSimple("#/s", "s.s", c => c.Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>()
            .WithMessage("In contract (uri=#/s, version=0.0.1), no 'emits' schema was given.");
    }

    // ---- C-2 Plain contract ----

    [Fact]
    public void Create_C2_ExposesAcceptsEmitsAndSystemError()
    {
        var contract = CreatePlainC2();
        var version = contract.Version("0.0.1");

        version.Accepts.Type.Should().Be("com.example.input");
        version.EmitList.Select(emit => emit.Type).Should().Equal("com.example.output");
        version.SystemError.Type.Should().Be("sys.com.example.input.error");
        contract.Version("latest").Version.Should().Be("1.0.0");
        contract.Domain.Should().BeNull();
    }

    [Fact]
    public void Create_C2_EmptyEmitsIsValid()
    {
        var contract = CreatePlainC2();

        contract.Version("1.0.0").Emits.Should().BeEmpty();
        contract.Version("1.0.0").EmitList.Should().BeEmpty();
    }

    [Fact]
    public void Create_WithoutOptionalMembers_HasNullDescriptionAndEmptyMetadata()
    {
        var contract = CreatePlainC2();

        contract.Description.Should().BeNull();
        ContractTestJson.Compact(contract.Metadata).Should().Be("{}");
        contract.IsOrchestrator.Should().BeFalse();
    }

    [Fact]
    public void Create_MetadataObject_IsCopied()
    {
        var metadata = new System.Text.Json.Nodes.JsonObject { ["team"] = "core", ["level"] = 2 };
        var contract = ArvoContract.Create("#/m", "com.m.m", c => c.Metadata(metadata).Version("0.0.1", v => v.Accepts(AnyObject)));

        metadata["team"] = "changed";

        ContractTestJson.Compact(contract.Metadata).Should().Be("""{"team":"core","level":2}""");
    }

    [Fact]
    public void Create_SysErrorAsEmitType_IsAccepted()
    {
        var contract = ArvoContract.Create("#/e", "com.e.e", c => c.Version("0.0.1", v => v
            .Accepts(AnyObject)
            .Emits("sys.com.e.e.error", ArvoSchema.SystemError)));

        contract.Version("0.0.1").Emits.Keys.Should().Equal("sys.com.e.e.error");
    }

    // ---- C-3 Construction failures ----

    [Fact]
    public void Create_UriWithSpaces_Throws()
    {
        var act = () => ArvoContract.Create("invalid uri with space", "com.example.input", c => c.Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>()
            .WithMessage("The contract uri 'invalid uri with space' is invalid*")
            .Which.Uri.Should().Be("invalid uri with space");
    }

    [Fact]
    public void Create_EmptyUri_Throws()
    {
        var act = () => ArvoContract.Create(string.Empty, "com.example.input", c => c.Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>().WithMessage("The contract uri '' is invalid*");
    }

    [Fact]
    public void Create_InvalidType_Throws()
    {
        var act = () => ArvoContract.Create("#/v", "com.Example", c => c.Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>()
            .WithMessage("In contract (uri=#/v), the 'accepts' event type 'com.Example' is invalid*")
            .Which.EventType.Should().Be("com.Example");
    }

    [Fact]
    public void Create_InvalidVersionKey_Throws()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c.Version("invalid.version", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>()
            .WithMessage("In contract (uri=#/v), the version 'invalid.version' is invalid*")
            .Which.Version.Should().Be("invalid.version");
    }

    [Fact]
    public void Create_WildcardVersion_ThrowsTheReservedVersionError()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c.Version("0.0.0", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>()
            .Which.Message.Should().Be("For contract (uri=#/v), the version cannot be '0.0.0'. It is a reserved version type.");
    }

    [Fact]
    public void Create_NoVersions_ThrowsTheAtLeastOneVersionError()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", _ => { });

        act.Should().Throw<ArvoContractDefinitionException>()
            .Which.Message.Should().Be("An ArvoContract (uri=#/v) must have at least one version");
    }

    [Fact]
    public void Create_InvalidEmitType_Throws()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c.Version("0.0.1", v => v.Accepts(AnyObject).Emits("Bad.Type", AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>()
            .WithMessage("In contract (uri=#/v, version=0.0.1), the 'emits' event type 'Bad.Type' is invalid*")
            .Which.EventType.Should().Be("Bad.Type");
    }

    [Fact]
    public void Create_InvalidDomain_Throws()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c.Domain("A").Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>().WithMessage("In contract (uri=#/v), the domain 'A' is invalid*");
    }

    [Fact]
    public void Create_InvalidDomain_MessageSaysWhatIsAllowed()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c.Domain("Test Domain").Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>().Which.Message.Should().Be(
            "In contract (uri=#/v), the domain 'Test Domain' is invalid: it must be null (no domain) or a non-empty string of lowercase letters, digits and dots, e.g. test.domain.");
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("Simple.Test")]
    [InlineData("simple..test")]
    public void CreateSimple_InvalidType_ThrowsNamingTheGivenType(string type)
    {
        var act = () => ArvoContract.CreateSimple("#/simple/test", type, c => c.Version("0.0.1", v => v.Accepts(AnyObject).Emits(AnyObject)));

        var thrown = act.Should().Throw<ArvoContractDefinitionException>().Which;
        thrown.Message.Should().Be(
            $"In contract (uri=#/simple/test), the simple contract type '{type}' is invalid: it must be two or more segments of lowercase letters and digits separated by single dots, e.g. number.increment (the contract type is com.<type>).");
        thrown.EventType.Should().Be($"com.{type}");
    }

    [Fact]
    public void Create_EmptyDomain_Throws()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c.Domain(string.Empty).Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>().WithMessage("In contract (uri=#/v), the domain '' is invalid*");
    }

    [Fact]
    public void Create_VersionWithoutAccepts_Throws()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c.Version("0.0.1", _ => { }));

        act.Should().Throw<ArvoContractDefinitionException>()
            .Which.Message.Should().Be("In contract (uri=#/v, version=0.0.1), no 'accepts' schema was given.");
    }

    [Fact]
    public void Create_VersionDeclaredTwice_Throws()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c
            .Version("0.0.1", v => v.Accepts(AnyObject))
            .Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>()
            .Which.Message.Should().Be("In contract (uri=#/v), the version '0.0.1' is declared twice.");
    }

    [Fact]
    public void Create_NumericallyEqualVersions_Throws()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c
            .Version("1.0.0", v => v.Accepts(AnyObject))
            .Version("01.0.0", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>().WithMessage("In contract (uri=#/v), the version '01.0.0' is declared twice*");
    }

    [Fact]
    public void Create_EmitTypeDeclaredTwice_Throws()
    {
        var act = () => ArvoContract.Create("#/v", "com.example.input", c => c.Version("0.0.1", v => v
            .Accepts(AnyObject)
            .Emits("evt.a.b", AnyObject)
            .Emits("evt.a.b", AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>()
            .Which.Message.Should().Be("In contract (uri=#/v, version=0.0.1), the 'emits' event (type=evt.a.b) is declared twice.");
    }

    [Fact]
    public void Create_UriCheckedBeforeType_ReportsTheUri()
    {
        var act = () => ArvoContract.Create("bad uri", "Bad", c => c.Version("0.0.0", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>().WithMessage("The contract uri 'bad uri' is invalid*");
    }

    // ---- C-4 Reserved prefix ----

    [Fact]
    public void Create_ReservedPrefixInEmits_ThrowsTheReferenceText()
    {
        var act = () => ArvoContract.Create("#/contracts/myContract", "com.example.input", c => c
            .Version("0.0.1", v => v.Accepts(AnyObject).Emits("arvo.orc.test", AnyObject)));

        var exception = act.Should().Throw<ArvoContractDefinitionException>().Which;
        NormalizeWhitespace(exception.Message).Should().Be(
            "In contract (uri=#/contracts/myContract, version=0.0.1), the 'emits' event (type=arvo.orc.test) must not start with 'arvo.orc' because this is a reserved pattern for Arvo orchestrators.");
        exception.Version.Should().Be("0.0.1");
        exception.EventType.Should().Be("arvo.orc.test");
    }

    [Fact]
    public void Create_ReservedPrefixAsType_ThrowsTheReferenceText()
    {
        var act = () => ArvoContract.Create("#/contracts/myContract", "arvo.orc.test", c => c.Version("0.0.1", v => v.Accepts(AnyObject)));

        NormalizeWhitespace(act.Should().Throw<ArvoContractDefinitionException>().Which.Message).Should().Be(
            "In contract (uri=#/contracts/myContract), the 'accepts' event (type=arvo.orc.test) must not start with 'arvo.orc' because this is a reserved pattern for Arvo orchestrators.");
    }

    [Theory]
    [InlineData("arvo.orchestra.x")]
    [InlineData("arvo.orcx.y")]
    public void Create_PrefixWithoutTrailingDot_IsAlsoReserved(string type)
    {
        var act = () => ArvoContract.Create("#/contracts/myContract", type, c => c.Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>().WithMessage("*must not start with 'arvo.orc'*");
    }

    [Fact]
    public void Create_ReservedPrefixCheckedBeforeUri_ReportsThePrefix()
    {
        var act = () => ArvoContract.Create("bad uri", "arvo.orc.test", c => c.Version("0.0.1", v => v.Accepts(AnyObject)));

        act.Should().Throw<ArvoContractDefinitionException>().WithMessage("*must not start with 'arvo.orc'*");
    }

    // ---- C-5 Emits, domain ----

    [Fact]
    public void Create_C5_TwoEmitsAreExposedInOrder()
    {
        var contract = ArvoContract.Create("#/contracts/two", "com.two.emits", c => c.Version("0.0.1", v => v
            .Accepts(AnyObject)
            .Emits("evt.two.b", AnyObject)
            .Emits("evt.two.a", AnyObject)));

        var version = contract.Version("0.0.1");
        version.Emits.Keys.Should().Equal("evt.two.b", "evt.two.a");
        version.EmitList.Select(emit => emit.Type).Should().Equal("evt.two.b", "evt.two.a");
    }

    [Fact]
    public void Create_C5_DomainIsOnTheContractAndEveryVersion()
    {
        var contract = ArvoContract.Create("#/contracts/complexContract", "com.complex.contract", c => c
            .Domain("test.test")
            .Version("0.0.1", v => v.Accepts(AnyObject))
            .Version("0.0.2", v => v.Accepts(AnyObject)));

        contract.Domain.Should().Be("test.test");
        contract.Version("0.0.1").Domain.Should().Be("test.test");
        contract.Version("0.0.2").Domain.Should().Be("test.test");
        contract.Version("any").Domain.Should().Be("test.test");
    }

    // ---- C-6 Version selection ----

    private static ArvoContract CreateC6() => ArvoContract.Create("#/contracts/versions", "com.versions.test", c => c
        .Version("0.0.10", v => v.Accepts(AnyObject))
        .Version("0.0.9", v => v.Accepts(AnyObject))
        .Version("1.0.0", v => v.Accepts(AnyObject)));

    [Theory]
    [InlineData("latest", "1.0.0")]
    [InlineData("any", "1.0.0")]
    [InlineData("oldest", "0.0.9")]
    [InlineData("0.0.10", "0.0.10")]
    public void Version_Option_SelectsByNumericOrder(string option, string expected)
    {
        CreateC6().Version(option).Version.Should().Be(expected);
    }

    [Fact]
    public void GetSortedVersionNumbers_Ascending_IsNumeric()
    {
        CreateC6().GetSortedVersionNumbers().Should().Equal("0.0.9", "0.0.10", "1.0.0");
    }

    [Fact]
    public void GetSortedVersionNumbers_Descending_IsNumeric()
    {
        CreateC6().GetSortedVersionNumbers(ListSortDirection.Descending).Should().Equal("1.0.0", "0.0.10", "0.0.9");
    }

    [Fact]
    public void Versions_AreInDeclarationOrder()
    {
        CreateC6().Versions.Select(version => version.Version).Should().Equal("0.0.10", "0.0.9", "1.0.0");
    }

    [Fact]
    public void Version_Undeclared_ThrowsTheReferenceText()
    {
        var act = () => CreateC6().Version("0.0.3");

        act.Should().Throw<KeyNotFoundException>().WithMessage("The contract (uri=#/contracts/versions) does not have version=0.0.3");
    }

    [Fact]
    public void Version_Wildcard_Throws()
    {
        var act = () => CreateC6().Version("0.0.0");

        act.Should().Throw<KeyNotFoundException>().WithMessage("The contract (uri=#/contracts/versions) does not have version=0.0.0");
    }

    [Fact]
    public void Version_SameVersionTwice_ReturnsTheSameView()
    {
        var contract = CreateC6();

        contract.Version("0.0.9").Should().BeSameAs(contract.Version("0.0.9"));
        contract.Version("oldest").Should().BeSameAs(contract.Version("0.0.9"));
        contract.Latest.Should().BeSameAs(contract.Version("1.0.0"));
    }

    [Fact]
    public void TryGetVersion_Unknown_ReturnsFalse()
    {
        CreateC6().TryGetVersion("2.0.0", out var version).Should().BeFalse();
        version.Should().BeNull();
    }

    // ---- C-7 Schema per version ----

    private static ArvoContract CreateC7() => ArvoContract.Create("#/contracts/tasks", "com.task.create", c => c
        .Version("0.0.1", v => v.Accepts("""
            {"type":"object","properties":{
              "title":{"type":"string"},
              "priority":{"type":"string","enum":["low","medium","high"]},
              "meta":{"type":"object","properties":{"owner":{"type":"string"}},"required":["owner"]}},
             "required":["title","priority","meta"]}
            """))
        .Version("0.0.2", v => v.Accepts("""
            {"type":"object","properties":{
              "title":{"type":"string"},
              "priority":{"type":"string","enum":["low","medium","high","critical"]},
              "meta":{"type":"object","properties":{"owner":{"type":"string"}},"required":["owner"]},
              "dueDate":{"type":"string"}},
             "required":["title","priority","meta","dueDate"]}
            """)));

    [Fact]
    public void AcceptsSchema_C7_CriticalIsValidOnlyInTheVersionDeclaringIt()
    {
        var contract = CreateC7();
        var data = Data("""{"title":"t","priority":"critical","meta":{"owner":"o"},"dueDate":"2025-01-01"}""");

        contract.Version("0.0.2").Accepts.Schema.Validate(data).IsValid.Should().BeTrue();
        contract.Version("0.0.1").Accepts.Schema.Validate(data).Issues.Should().ContainSingle()
            .Which.Should().Be(new ArvoSchemaIssue("$.priority", "invalid_enum_value", "one of \"low\", \"medium\", \"high\"", "\"critical\""));
    }

    [Fact]
    public void AcceptsSchema_C7_MissingRequiredObject_IsInvalid()
    {
        var result = CreateC7().Version("0.0.1").Accepts.Schema.Validate(Data("""{"title":"t","priority":"low"}"""));

        result.Issues.Should().ContainSingle().Which.Should().Be(new ArvoSchemaIssue("$.meta", "invalid_type", "object (required)", "missing"));
    }

    [Fact]
    public void AcceptsSchema_C7_WrongFieldTypes_AreEachReported()
    {
        var result = CreateC7().Version("0.0.1").Accepts.Schema.Validate(Data("""{"title":1,"priority":"low","meta":{"owner":false}}"""));

        result.Issues.Select(issue => issue.Message).Should().Equal(
            "$.title: expected string, found number",
            "$.meta.owner: expected string, found boolean");
    }

    [Fact]
    public void ToString_NamesUriAndType()
    {
        CreatePlainC2().ToString().Should().Be("ArvoContract(uri=#/contracts/myContract, type=com.example.input)");
    }
}
