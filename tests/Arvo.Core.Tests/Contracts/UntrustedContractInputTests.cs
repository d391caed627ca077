using System.Text.Json;
using Arvo.Contracts;
using Arvo.Factories;
using Arvo.Tests.Schemas;

namespace Arvo.Tests.Contracts;

/// <summary>
/// Contract input validation and the event factories on the hostile inputs that escaped them as untyped exceptions
/// (found by <see cref="UntrustedSchemaInputTests"/>): each now gives the entry point's typed outcome.
/// </summary>
public sealed class UntrustedContractInputTests
{
    private const string LoneSurrogateIssue =
        "$.delta: expected text without a lone UTF-16 surrogate (text must be encodable as UTF-8), found a string holding the lone surrogate \\uDC00";

    private static UntrustedInputContracts Contracts => UntrustedInputContracts.Load();

    private static JsonElement Data(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Fact]
    public void ValidateInput_LoneSurrogateInTheData_IsInvalidDataNamingThePath()
    {
        var result = ArvoContractResolver.ValidateInput(
            "evt-1", "arvo.orc.counter", "#/test/machine/0.0.1", Data("""{"parentSubject$$":null,"delta":"\udc00","type":"increment"}"""),
            Contracts.Machine, Contracts.Services);

        result.Kind.Should().Be(ArvoInputValidationKind.InvalidData);
        result.Error.Should().Be(LoneSurrogateIssue);
        result.ToViolation("machine").Should().BeOfType<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Input validation failed - Event data does not meet contract requirements: " + LoneSurrogateIssue);
    }

    [Fact]
    public void ValidateInput_DefaultJsonElement_IsInvalidData()
    {
        var result = ArvoContractResolver.ValidateInput("evt-1", "arvo.orc.counter", "#/test/machine/0.0.1", default, Contracts.Machine.Contract, Contracts.Services);

        result.Kind.Should().Be(ArvoInputValidationKind.InvalidData);
        result.Error.Should().Be("$: expected a JSON value, found an undefined JsonElement (default(JsonElement))");
    }

    [Fact]
    public void ValidateInput_InfiniteNumber_IsInvalidData()
    {
        var result = ArvoContractResolver.ValidateInput(
            "evt-1", "com.number.increment", "#/test/service/increment/0.0.1", Data("""{"delta":1e309}"""),
            Contracts.Machine, Contracts.Services);

        result.Kind.Should().Be(ArvoInputValidationKind.ContractUnresolved);
        ArvoContractResolver.ValidateInput(
                "evt-1", "evt.number.increment.success", "#/test/service/increment/0.0.1", Data("""{"newValue":1e309}"""), Contracts.Machine, Contracts.Services)
            .Error.Should().Be("$.newValue: expected a finite number (within the double range), found 1e309");
    }

    [Fact]
    public void ValidateInput_NullServiceContract_IsArgumentException()
    {
        var act = () => ArvoContractResolver.ValidateInput(
            "evt-1", "evt.number.increment.success", "#/test/service/increment/0.0.1", Data("""{"newValue":1}"""), Contracts.Machine, [null!]);

        act.Should().Throw<ArgumentException>().WithParameterName("services");
    }

    [Fact]
    public void ResolveHandlerInput_LoneSurrogateInTheData_IsContractViolation()
    {
        var act = () => ArvoContractResolver.ResolveHandlerInput(
            Contracts.ByName["increment"], "com.number.increment", "#/test/service/increment/0.0.1", Data("""{"delta":"\udc00"}"""), out _);

        act.Should().Throw<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Input event payload validation failed: " + LoneSurrogateIssue);
    }

    [Fact]
    public void TryGetSchema_NullEventType_IsArgumentNullException()
    {
        var act = () => Contracts.Machine.TryGetSchema(null!, out _);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void ArvoEventFactory_Accepts_LoneSurrogatePropertyName_IsContractViolation()
    {
        var factory = new ArvoEventFactory(Contracts.ByName["increment"].Version("0.0.1"));

        var act = () => factory.Accepts(new ArvoEventEnvelope { Source = "com.test.untrusted" }, Data("""{"delta":5,"a\udc00b":""}"""));

        act.Should().Throw<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Accept Event data validation failed: $['a\\udc00b']: expected a property name without a lone UTF-16 surrogate (text must be encodable as UTF-8), found the name \"a\\udc00b\" holding the lone surrogate \\uDC00");
    }

    [Fact]
    public void ArvoEventFactory_Emits_InfiniteNumber_IsContractViolation()
    {
        var factory = new ArvoEventFactory(Contracts.ByName["increment"].Version("0.0.1"));

        var act = () => factory.Emits(new ArvoEventEnvelope { Source = "com.test.untrusted" }, "evt.number.increment.success", Data("""{"newValue":1e309}"""));

        act.Should().Throw<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Emit Event data validation failed: $.newValue: expected a finite number (within the double range), found 1e309");
    }

    [Fact]
    public void ArvoOrchestratorEventFactory_Init_LoneSurrogate_IsContractViolation()
    {
        var factory = new ArvoOrchestratorEventFactory(Contracts.Machine);

        var act = () => factory.Init(new ArvoEventEnvelope { Source = "com.test.untrusted" }, Data("""{"parentSubject$$":null,"delta":"\udc00","type":"increment"}"""));

        act.Should().Throw<ContractViolation>().Which.Message.Should().Be("ViolationError<Contract> Init Event data validation failed: " + LoneSurrogateIssue);
    }

    [Fact]
    public void ArvoOrchestratorEventFactory_Complete_LoneSurrogate_IsContractViolation()
    {
        var factory = new ArvoOrchestratorEventFactory(Contracts.Machine);

        var act = () => factory.Complete(new ArvoEventEnvelope { Source = "com.test.untrusted" }, Data("""{"final":"\ud800\ud800"}"""));

        act.Should().Throw<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Emit Event data validation failed: $.final: expected text without a lone UTF-16 surrogate (text must be encodable as UTF-8), found a string holding the lone surrogate \\uD800");
    }
}
