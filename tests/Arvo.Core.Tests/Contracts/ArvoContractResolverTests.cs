using System.Text.Json;
using Arvo.Contracts;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Contracts;

/// <summary>contracts.md 6.1 (handler) and 6.2 (machines and resumables); scenarios H-3, H-6, H-9 and MS-7.</summary>
public sealed class ArvoContractResolverTests
{
    private static JsonElement Data(string json) => ContractTestJson.Parse(json);

    // ---- 6.1 Single contract (HelloContract of scenarios.md) ----

    private static readonly ArvoContract Hello = ArvoContract.Create("#/test/ArvoEventHandler", "com.hello.world", c => c
        .Version("0.0.1", v => v
            .Accepts("""{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"number"}},"required":["name","age"]}""")
            .Emits("evt.hello.world.success", """{"type":"object","properties":{"result":{"type":"string"}},"required":["result"]}""")));

    private static readonly JsonElement HelloData = Data("""{"name":"Saad Ahmad","age":26}""");

    [Fact]
    public void ResolveHandlerInput_MatchingDataschema_ReturnsThatVersion()
    {
        var version = ArvoContractResolver.ResolveHandlerInput(Hello, "com.hello.world", "#/test/ArvoEventHandler/0.0.1", HelloData, out var usedLatest);

        version.Should().BeSameAs(Hello.Version("0.0.1"));
        usedLatest.Should().BeFalse();
    }

    [Fact]
    public void ResolveHandlerInput_TypeMismatch_ThrowsConfigViolation()
    {
        var act = () => ArvoContractResolver.ResolveHandlerInput(Hello, "com.saad.invalid.test", null, Data("""{"name":"saad"}"""), out _);

        act.Should().Throw<ConfigViolation>()
            .Which.Message.Should().Be("ViolationError<Config> Event type mismatch: Received 'com.saad.invalid.test', expected 'com.hello.world'");
    }

    [Fact]
    public void ResolveHandlerInput_OtherUri_ThrowsContractViolation()
    {
        var act = () => ArvoContractResolver.ResolveHandlerInput(Hello, "com.hello.world", "#/wrong/contract/0.0.1", HelloData, out _);

        act.Should().Throw<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Contract URI mismatch: Handler expects '#/test/ArvoEventHandler' but event dataschema specifies '#/wrong/contract/0.0.1'. Events must reference the same contract URI as their handler.");
    }

    [Fact]
    public void ResolveHandlerInput_UnknownVersion_ThrowsConfigViolation()
    {
        var act = () => ArvoContractResolver.ResolveHandlerInput(Hello, "com.hello.world", "#/test/ArvoEventHandler/0.0.2", HelloData, out _);

        act.Should().Throw<ConfigViolation>().Which.Message.Should().Be("ViolationError<Config> Invalid contract version: 0.0.2. Available versions: 0.0.1");
    }

    [Fact]
    public void ResolveHandlerInput_WildcardVersion_ThrowsConfigViolation()
    {
        var act = () => ArvoContractResolver.ResolveHandlerInput(Hello, "com.hello.world", "#/test/ArvoEventHandler/0.0.0", HelloData, out _);

        act.Should().Throw<ConfigViolation>().Which.Message.Should().Be("ViolationError<Config> Invalid contract version: 0.0.0. Available versions: 0.0.1");
    }

    [Fact]
    public void ResolveHandlerInput_AvailableVersions_AreListedInDeclarationOrder()
    {
        var contract = ArvoContract.Create("#/m", "com.m.m", c => c
            .Version("0.0.2", v => v.Accepts("{}"))
            .Version("0.0.1", v => v.Accepts("{}")));

        var act = () => ArvoContractResolver.ResolveHandlerInput(contract, "com.m.m", "#/m/1.0.0", Data("{}"), out _);

        act.Should().Throw<ConfigViolation>().Which.Detail.Should().Be("Invalid contract version: 1.0.0. Available versions: 0.0.2, 0.0.1");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("#/test/ArvoEventHandler/v1")]
    [InlineData("#/test/ArvoEventHandler/1.2.3-beta")]
    public void ResolveHandlerInput_NoParsableDataschema_UsesLatest(string? dataschema)
    {
        var version = ArvoContractResolver.ResolveHandlerInput(Hello, "com.hello.world", dataschema, HelloData, out var usedLatest);

        version.Should().BeSameAs(Hello.Latest);
        usedLatest.Should().BeTrue();
    }

    [Fact]
    public void ResolveHandlerInput_VersionWithoutUri_UsesThatVersion()
    {
        var version = ArvoContractResolver.ResolveHandlerInput(Hello, "com.hello.world", "0.0.1", HelloData, out var usedLatest);

        version.Version.Should().Be("0.0.1");
        usedLatest.Should().BeFalse();
    }

    [Fact]
    public void ResolveHandlerInput_InvalidDataWithoutDataschema_ThrowsContractViolation()
    {
        var act = () => ArvoContractResolver.ResolveHandlerInput(Hello, "com.hello.world", null, Data("""{"name":"Saad"}"""), out _);

        act.Should().Throw<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Input event payload validation failed: $.age: expected number (required), found missing");
    }

    [Fact]
    public void ResolveHandlerInput_InvalidDataWithDataschema_ThrowsContractViolation()
    {
        var act = () => ArvoContractResolver.ResolveHandlerInput(Hello, "com.hello.world", "#/test/ArvoEventHandler/0.0.1", Data("""{"input":2}"""), out _);

        act.Should().Throw<ContractViolation>().WithMessage("ViolationError<Contract> Input event payload validation failed: *");
    }

    [Fact]
    public void ResolveHandlerInput_TypeCheckedBeforeDataschema()
    {
        var act = () => ArvoContractResolver.ResolveHandlerInput(Hello, "com.other.type", "#/wrong/contract/0.0.1", Data("{}"), out _);

        act.Should().Throw<ConfigViolation>().WithMessage("*Event type mismatch*");
    }

    [Fact]
    public void ResolveHandlerInput_UriCheckedBeforeVersion()
    {
        var act = () => ArvoContractResolver.ResolveHandlerInput(Hello, "com.hello.world", "#/wrong/contract/9.9.9", Data("{}"), out _);

        act.Should().Throw<ContractViolation>().WithMessage("*Contract URI mismatch*");
    }

    // ---- 6.2 Self + services (TestMachine of scenarios.md) ----

    private static readonly ArvoOrchestratorContract Machine = ArvoContract.CreateOrchestrator("#/test/machine", "test", c => c
        .Version("0.0.1", v => v
            .Init("""{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string","enum":["increment","decrement"]}},"required":["delta","type"]}""")
            .Complete("""{"type":"object","properties":{"final":{"type":"number"}},"required":["final"]}"""))
        .Version("0.0.2", v => v
            .Init("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
            .Complete("""{"type":"object","properties":{"final":{"type":"number"}},"required":["final"]}""")));

    private static readonly ArvoContract Increment = ArvoContract.Create("#/test/service/increment", "com.number.increment", c => c
        .Version("0.0.1", v => v.Accepts("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
            .Emits("evt.number.increment.success", """{"type":"object","properties":{"newValue":{"type":"number"}},"required":["newValue"]}"""))
        .Version("0.0.2", v => v.Accepts("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
            .Emits("evt.number.increment.success", """{"type":"object","properties":{"newValue":{"type":"number"}},"required":["newValue"]}""")));

    private static readonly ArvoContract Decrement = ArvoContract.Create("#/test/service/decrement", "com.number.decrement", c => c
        .Version("0.0.1", v => v.Accepts("""{"type":"object","properties":{"delta":{"type":"number"}},"required":["delta"]}""")
            .Emits("evt.number.decrement.success", """{"type":"object","properties":{"newValue":{"type":"number"}},"required":["newValue"]}""")));

    private static readonly ArvoContract Notification = ArvoContract.Create("#/test/notification/decrement", "notif.number.update", c => c
        .Version("0.0.1", v => v.Accepts("""{"type":"object","properties":{"delta":{"type":"number"},"type":{"type":"string"}},"required":["delta","type"]}""")));

    private static readonly VersionedArvoContract[] Services =
        [Increment.Version("0.0.1"), Decrement.Version("0.0.1"), Notification.Version("0.0.1")];

    private static ArvoInputValidationResult ValidateMachineInput(string type, string? dataschema, string data) =>
        ArvoContractResolver.ValidateInput("evt-1", type, dataschema, Data(data), Machine.Version("0.0.1"), Services);

    [Fact]
    public void ValidateInput_MS7a_FactoryInit_IsValidSelf()
    {
        var result = ValidateMachineInput("arvo.orc.test", "#/test/machine/0.0.1", """{"parentSubject$$":null,"delta":1,"type":"decrement"}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
        result.IsValid.Should().BeTrue();
        result.Role.Should().Be(ArvoContractRole.Self);
        result.Contract.Should().BeSameAs(Machine.Version("0.0.1"));
        result.ToViolation("machine").Should().BeNull();
    }

    [Fact]
    public void ValidateInput_MS7b_InitWithWrongEnumValue_IsInvalidData()
    {
        var result = ValidateMachineInput("arvo.orc.test", "#/test/machine/0.0.1", """{"parentSubject$$":null,"delta":1,"type":"test"}""");

        result.Kind.Should().Be(ArvoInputValidationKind.InvalidData);
        result.Validation!.Issues.Should().ContainSingle().Which.Path.Should().Be("$.type");
        result.Error.Should().Be("$.type: expected one of \"increment\", \"decrement\", found \"test\"");
    }

    [Fact]
    public void ValidateInput_MS7c_InitWithoutDataschema_IsInvalid()
    {
        var result = ValidateMachineInput("arvo.orc.test", null, """{"parentSubject$$":null,"delta":1,"type":"increment"}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Error.Should().Be(
            "Event dataschema resolution failed: Unable to parse dataschema='null' for event(id='evt-1', type='arvo.orc.test'). This makes the event opaque and does not allow contract resolution");
    }

    [Fact]
    public void ValidateInput_MS7d_OtherSelfVersion_IsInvalid()
    {
        var result = ValidateMachineInput("arvo.orc.test", "#/test/machine/0.0.2", """{"parentSubject$$":null,"delta":1,"type":"increment"}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Error.Should().Be(
            "Contract version mismatch: self Contract(version='0.0.1', type='arvo.orc.test', uri=#/test/machine) does not match Event(dataschema='#/test/machine/0.0.2', type='arvo.orc.test')");
    }

    [Fact]
    public void ValidateInput_MS7e_OtherSelfUri_IsInvalid()
    {
        var result = ValidateMachineInput("arvo.orc.test", "#/test/machine/invalid/0.0.1", """{"parentSubject$$":null,"delta":1,"type":"increment"}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Error.Should().Be(
            "Contract URI mismatch: self Contract(uri='#/test/machine', type='arvo.orc.test') does not match Event(dataschema='#/test/machine/invalid/0.0.1', type='arvo.orc.test')");
    }

    [Fact]
    public void ValidateInput_MS7f_UnknownType_IsContractUnresolved()
    {
        var result = ValidateMachineInput("com.test.test", "#/test/machine/0.0.1", "{}");

        result.Should().BeSameAs(ArvoInputValidationResult.ContractUnresolved);
        result.Role.Should().BeNull();
        result.Contract.Should().BeNull();
    }

    [Fact]
    public void ValidateInput_MS7f_UnparsableDataschema_IsInvalidBeforeTypeResolution()
    {
        var result = ValidateMachineInput("com.test.test", "saad", "{}");

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Error.Should().Be(
            "Event dataschema resolution failed: Unable to parse dataschema='saad' for event(id='evt-1', type='com.test.test'). This makes the event opaque and does not allow contract resolution");
    }

    [Fact]
    public void ValidateInput_MS7g_ServiceResponseOfTheRegisteredVersion_IsValidService()
    {
        var result = ValidateMachineInput("evt.number.increment.success", "#/test/service/increment/0.0.1", """{"newValue":1}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
        result.Role.Should().Be(ArvoContractRole.Service);
        result.Contract.Should().BeSameAs(Increment.Version("0.0.1"));
    }

    [Fact]
    public void ValidateInput_MS7g_ServiceResponseOfAnotherVersion_IsInvalid()
    {
        var result = ValidateMachineInput("evt.number.increment.success", "#/test/service/increment/0.0.2", """{"newValue":1}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Error.Should().Be(
            "Contract version mismatch: service Contract(version='0.0.1', type='com.number.increment', uri=#/test/service/increment) does not match Event(dataschema='#/test/service/increment/0.0.2', type='evt.number.increment.success')");
    }

    [Fact]
    public void ValidateInput_ServiceResponseWithOtherUri_IsInvalid()
    {
        var result = ValidateMachineInput("evt.number.increment.success", "#/test/service/decrement/0.0.1", """{"newValue":1}""");

        result.Error.Should().Be(
            "Contract URI mismatch: service Contract(uri='#/test/service/increment', type='com.number.increment') does not match Event(dataschema='#/test/service/decrement/0.0.1', type='evt.number.increment.success')");
    }

    [Fact]
    public void ValidateInput_DataschemaWithoutUri_IsAUriMismatch()
    {
        var result = ValidateMachineInput("evt.number.increment.success", "0.0.1", """{"newValue":1}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Error.Should().StartWith("Contract URI mismatch: service Contract(uri='#/test/service/increment'");
    }

    [Fact]
    public void ValidateInput_ServiceSystemErrorWithWildcardVersion_IsValidService()
    {
        var result = ValidateMachineInput("sys.com.number.increment.error", "#/test/service/increment/0.0.0",
            """{"errorName":"RangeError","errorMessage":"overflow","errorStack":null}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
        result.Role.Should().Be(ArvoContractRole.Service);
        result.Contract.Should().BeSameAs(Increment.Version("0.0.1"));
    }

    [Fact]
    public void ValidateInput_ServiceSystemErrorWithInvalidData_IsInvalidData()
    {
        var result = ValidateMachineInput("sys.com.number.increment.error", "#/test/service/increment/0.0.0", """{"errorName":"E"}""");

        result.Kind.Should().Be(ArvoInputValidationKind.InvalidData);
        result.Validation!.Issues.Select(issue => issue.Path).Should().Equal("$.errorMessage", "$.errorStack");
    }

    [Fact]
    public void ValidateInput_ServiceResponseWithInvalidData_IsInvalidData()
    {
        var result = ValidateMachineInput("evt.number.increment.success", "#/test/service/increment/0.0.1", """{"newValue":"saad"}""");

        result.Kind.Should().Be(ArvoInputValidationKind.InvalidData);
        result.Role.Should().Be(ArvoContractRole.Service);
        result.Error.Should().Be("$.newValue: expected number, found string");
    }

    [Fact]
    public void ValidateInput_OwnCommandFedBack_IsContractUnresolved()
    {
        var result = ValidateMachineInput("com.number.increment", "#/test/service/increment/0.0.1", """{"delta":1}""");

        result.Kind.Should().Be(ArvoInputValidationKind.ContractUnresolved);
    }

    [Fact]
    public void ValidateInput_InitWithoutParentSubject_IsInvalidData()
    {
        var result = ValidateMachineInput("arvo.orc.test", "#/test/machine/0.0.1", """{"delta":1,"type":"increment"}""");

        result.Kind.Should().Be(ArvoInputValidationKind.InvalidData);
        result.Validation!.Issues.Should().ContainSingle().Which.Path.Should().Be("$.parentSubject$$");
    }

    [Fact]
    public void ValidateInput_SelfWildcardVersion_PassesTheVersionCheck()
    {
        var result = ValidateMachineInput("arvo.orc.test", "#/test/machine/0.0.0", """{"parentSubject$$":null,"delta":1,"type":"increment"}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
    }

    [Fact]
    public void ValidateInput_TwoServicesEmittingTheSameType_FirstRegisteredWins()
    {
        var other = ArvoContract.Create("#/other", "com.other.increment", c => c.Version("1.0.0", v => v
            .Accepts("{}")
            .Emits("evt.number.increment.success", "{}")));

        var result = ArvoContractResolver.ValidateInput("evt-1", "evt.number.increment.success", "#/other/1.0.0", Data("{}"),
            Machine.Version("0.0.1"), [other.Version("1.0.0"), Increment.Version("0.0.1")]);

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
        result.Contract.Should().BeSameAs(other.Version("1.0.0"));
    }

    [Fact]
    public void ValidateInput_EmitTypesBeforeSystemErrorWithinAService()
    {
        var echo = ArvoContract.Create("#/echo", "com.echo.echo", c => c.Version("0.0.1", v => v
            .Accepts("{}")
            .Emits("sys.com.echo.echo.error", """{"type":"object","properties":{"only":{"type":"boolean"}},"required":["only"]}""")));

        var result = ArvoContractResolver.ValidateInput("evt-1", "sys.com.echo.echo.error", "#/echo/0.0.1", Data("""{"only":true}"""),
            Machine.Version("0.0.1"), [echo.Version("0.0.1")]);

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
    }

    // ---- 6.2 with an unversioned self contract (resumables) ----

    private static ArvoInputValidationResult ValidateResumableInput(string dataschema, string data) =>
        ArvoContractResolver.ValidateInput("evt-2", "arvo.orc.test", dataschema, Data(data), Machine, Services);

    [Fact]
    public void ValidateInput_UnversionedSelf_UsesTheDataschemaVersion()
    {
        var result = ValidateResumableInput("#/test/machine/0.0.2", """{"parentSubject$$":null,"delta":1}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Valid);
        result.Contract.Should().BeSameAs(Machine.Version("0.0.2"));
    }

    [Fact]
    public void ValidateInput_UnversionedSelfUndeclaredVersion_IsInvalid()
    {
        var result = ValidateResumableInput("#/test/machine/0.0.3", """{"parentSubject$$":null,"delta":1}""");

        result.Kind.Should().Be(ArvoInputValidationKind.Invalid);
        result.Role.Should().Be(ArvoContractRole.Self);
        result.Error.Should().Be("The contract (uri=#/test/machine) does not have version=0.0.3");
    }

    [Fact]
    public void ValidateInput_UnversionedSelfWildcardVersion_IsInvalid()
    {
        var result = ValidateResumableInput("#/test/machine/0.0.0", """{"parentSubject$$":null,"delta":1}""");

        result.Error.Should().Be("The contract (uri=#/test/machine) does not have version=0.0.0");
    }

    [Fact]
    public void ValidateInput_UnversionedSelfOtherUri_IsInvalid()
    {
        var result = ValidateResumableInput("#/resumables/inc/0.0.1", """{"parentSubject$$":null,"delta":1,"type":"increment"}""");

        result.Error.Should().Be(
            "Contract URI mismatch: self Contract(uri='#/test/machine', type='arvo.orc.test') does not match Event(dataschema='#/resumables/inc/0.0.1', type='arvo.orc.test')");
    }

    // ---- Mapping to violations (orchestrator.md step 11, resumable.md 4) ----

    [Fact]
    public void ToViolation_ContractUnresolved_IsConfigViolation()
    {
        var violation = ValidateMachineInput("com.number.increment", "#/test/service/increment/0.0.1", "{}").ToViolation("machine");

        violation.Should().BeOfType<ConfigViolation>().Which.Message.Should().Be(
            "ViolationError<Config> Contract validation failed - Event does not match any registered contract schemas in the machine");
    }

    [Fact]
    public void ToViolation_Invalid_IsContractViolation()
    {
        var violation = ValidateMachineInput("arvo.orc.test", null, "{}").ToViolation("resumable");

        violation.Should().BeOfType<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Input validation failed - Event data does not meet contract requirements: Event dataschema resolution failed: Unable to parse dataschema='null' for event(id='evt-1', type='arvo.orc.test'). This makes the event opaque and does not allow contract resolution");
    }

    [Fact]
    public void ToViolation_InvalidData_IsContractViolation()
    {
        var violation = ValidateMachineInput("evt.number.increment.success", "#/test/service/increment/0.0.1", """{"newValue":"saad"}""").ToViolation("machine");

        violation.Should().BeOfType<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Input validation failed - Event data does not meet contract requirements: $.newValue: expected number, found string");
    }

    [Theory]
    [InlineData("#/test/service/decrement/0.0.1", ArvoInputValidationKind.Valid)]
    [InlineData("#/test/service/decrement/0.0.0", ArvoInputValidationKind.Valid)]
    [InlineData("#/test/service/decrement/0.0.2", ArvoInputValidationKind.Invalid)]
    public void ValidateInput_ServicesAsALazySequence_ResolveAsAList(string dataschema, ArvoInputValidationKind kind)
    {
        var lazy = Services.Where(_ => true);

        var fromSequence = ArvoContractResolver.ValidateInput("evt-1", "evt.number.decrement.success", dataschema, Data("""{"newValue":1}"""), Machine.Version("0.0.1"), lazy);
        var fromList = ValidateMachineInput("evt.number.decrement.success", dataschema, """{"newValue":1}""");

        fromSequence.Kind.Should().Be(kind);
        fromSequence.Kind.Should().Be(fromList.Kind);
        fromSequence.Error.Should().Be(fromList.Error);
        fromSequence.Contract.Should().BeSameAs(Decrement.Version("0.0.1"));
    }

    [Fact]
    public void ValidateInput_ServicesHoldingNull_ThrowsNamingTheServices()
    {
        VersionedArvoContract[] services = [Increment.Version("0.0.1"), null!];

        var act = () => ArvoContractResolver.ValidateInput("evt-1", "evt.number.decrement.success", "#/test/service/decrement/0.0.1", Data("""{"newValue":1}"""), Machine.Version("0.0.1"), services);

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("services");
    }
}
