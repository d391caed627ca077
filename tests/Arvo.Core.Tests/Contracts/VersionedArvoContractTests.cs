using System.Text.Json.Nodes;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Contracts;

/// <summary>contracts.md 2 and 2.1; scenario C-5 (dataschemas).</summary>
public sealed class VersionedArvoContractTests
{
    private const string AnyObject = """{"type":"object","properties":{}}""";

    private static ArvoContract CreateComplex() => ArvoContract.Create("#/contracts/complexContract", "com.complex.contract", c => c
        .Domain("test.test")
        .Description("complex")
        .Metadata("team", "core")
        .Version("0.0.1", v => v.Accepts("""{"type":"object","properties":{"a":{"type":"number"}}}""").Emits("evt.complex.done", AnyObject))
        .Version("0.0.2", v => v.Accepts(AnyObject).Emits("evt.complex.done", AnyObject).Emits("evt.complex.other", AnyObject)));

    [Theory]
    [InlineData("0.0.1")]
    [InlineData("0.0.2")]
    public void Dataschema_C5_IsUriSlashVersion(string version)
    {
        CreateComplex().Version(version).Dataschema.Should().Be($"#/contracts/complexContract/{version}");
    }

    [Theory]
    [InlineData("0.0.1")]
    [InlineData("0.0.2")]
    public void SystemErrorDataschema_C5_UsesTheWildcardVersion(string version)
    {
        CreateComplex().Version(version).SystemError.Dataschema.Should().Be("#/contracts/complexContract/0.0.0");
    }

    [Fact]
    public void View_CopiesTheContractMembers()
    {
        var contract = CreateComplex();
        var version = contract.Version("0.0.1");

        version.Contract.Should().BeSameAs(contract);
        version.Uri.Should().Be("#/contracts/complexContract");
        version.Type.Should().Be("com.complex.contract");
        version.Description.Should().Be("complex");
        version.Domain.Should().Be("test.test");
        ContractTestJson.Compact(version.Metadata).Should().Be("""{"team":"core"}""");
        version.Version.Should().Be("0.0.1");
        version.IsOrchestrator.Should().BeFalse();
        version.ToString().Should().Be("#/contracts/complexContract/0.0.1");
    }

    [Fact]
    public void SystemError_IsSharedByAllVersions()
    {
        var contract = CreateComplex();

        contract.Version("0.0.1").SystemError.Should().BeSameAs(contract.Version("0.0.2").SystemError);
        contract.SystemError.Schema.Should().BeSameAs(ArvoSchema.SystemError);
    }

    [Fact]
    public void EmitList_MatchesEmitsInOrder()
    {
        var version = CreateComplex().Version("0.0.2");

        version.EmitList.Select(emit => emit.Type).Should().Equal(version.Emits.Keys);
        version.EmitList.Select(emit => emit.Schema).Should().Equal(version.Emits.Values);
    }

    [Theory]
    [InlineData("com.complex.contract", true)]
    [InlineData("evt.complex.other", true)]
    [InlineData("sys.com.complex.contract.error", true)]
    [InlineData("evt.unknown.type", false)]
    public void TryGetSchema_KnowsAcceptsEmitsAndSystemError(string eventType, bool expected)
    {
        CreateComplex().Version("0.0.2").TryGetSchema(eventType, out _).Should().Be(expected);
    }

    [Fact]
    public void TryGetSchema_SystemErrorType_ReturnsTheErrorSchema()
    {
        CreateComplex().Version("0.0.1").TryGetSchema("sys.com.complex.contract.error", out var schema).Should().BeTrue();

        schema.Should().BeSameAs(ArvoSchema.SystemError);
    }

    [Fact]
    public void ToJsonSchema_Version_HasTheExportShape()
    {
        var export = CreateComplex().Version("0.0.1").ToJsonSchema();

        export.ToJsonString().Should().Be(
            "{\"uri\":\"#/contracts/complexContract\",\"description\":\"complex\",\"domain\":\"test.test\",\"version\":\"0.0.1\",\"metadata\":{\"team\":\"core\"}," +
            "\"accepts\":{\"type\":\"com.complex.contract\",\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"}}}}," +
            "\"systemError\":{\"type\":\"sys.com.complex.contract.error\",\"schema\":" + ArvoSchema.SystemError.Json.GetRawText() + "}," +
            "\"emits\":[{\"type\":\"evt.complex.done\",\"schema\":{\"type\":\"object\",\"properties\":{}}}]}");
    }

    [Fact]
    public void ToJsonSchema_Contract_ListsVersionsInDeclarationOrderWithTheReferenceKeyOrder()
    {
        var export = CreateComplex().ToJsonSchema();

        export.Select(property => property.Key).Should().Equal("uri", "domain", "description", "metadata", "versions");
        var versions = export["versions"]!.AsArray();
        versions.Select(version => version!["version"]!.GetValue<string>()).Should().Equal("0.0.1", "0.0.2");
        versions[0]!.AsObject().Select(property => property.Key).Should().Equal("domain", "version", "accepts", "systemError", "emits", "metadata");
        versions[1]!["emits"]!.AsArray().Select(emit => emit!["type"]!.GetValue<string>()).Should().Equal("evt.complex.done", "evt.complex.other");
    }

    [Fact]
    public void ToJsonSchema_EveryCall_ReturnsAnIndependentObject()
    {
        var version = CreateComplex().Version("0.0.1");
        var first = version.ToJsonSchema();

        first["metadata"]!.AsObject()["team"] = "changed";

        version.ToJsonSchema()["metadata"]!["team"]!.GetValue<string>().Should().Be("core");
        JsonNode.DeepEquals(version.ToJsonSchema(), version.ToJsonSchema()).Should().BeTrue();
    }
}
