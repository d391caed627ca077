using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Contracts;
using Arvo.Schemas;
using Arvo.Tests.Schemas;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Contracts;

/// <summary>
/// The reference vectors: every contract exported in <c>contracts.json</c> loads (all versions, accepts, emits,
/// system error) and exports back unchanged; every event in <c>contracts.json</c> and <c>events.json</c>
/// validates against the schema its type and dataschema select, and a mutated copy does not.
/// </summary>
public sealed class ContractVectorTests
{
    // The contracts of contracts.json, built with the public API (one loader for the vector and untrusted-input tests).
    private static IReadOnlyDictionary<string, ArvoContract> Contracts => UntrustedInputContracts.Load().ByName;

    public static TheoryData<string> ContractNames()
    {
        var data = new TheoryData<string>();
        foreach (var contract in ContractVectorFiles.Contracts.GetProperty("contracts").EnumerateObject())
        {
            data.Add(contract.Name);
        }

        return data;
    }

    public static TheoryData<int> ContractEventIndexes()
    {
        var data = new TheoryData<int>();
        var count = ContractVectorFiles.Contracts.GetProperty("events").GetArrayLength();
        for (var index = 0; index < count; index++)
        {
            data.Add(index);
        }

        return data;
    }

    public static TheoryData<string> WorkflowEventLabels()
    {
        var data = new TheoryData<string>();
        foreach (var (label, _) in UntrustedInputContracts.WorkflowEvents())
        {
            data.Add(label);
        }

        return data;
    }

    [Fact]
    public void Vectors_AreFound()
    {
        ContractVectorFiles.Contracts.GetProperty("contracts").EnumerateObject().Select(contract => contract.Name)
            .Should().Equal("increment", "decrement", "notification", "orchestrator");
    }

    [Theory]
    [MemberData(nameof(ContractNames))]
    public void ExportedContract_Loads_AndExportsBackUnchanged(string name)
    {
        var vector = ContractVectorFiles.Contracts.GetProperty("contracts").GetProperty(name);

        var export = Contracts[name].ToJsonSchema();

        export.ToJsonString().Should().Be(JsonNode.Parse(vector.GetRawText())!.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(ContractNames))]
    public void ExportedContract_Loads_EveryVersionWithAcceptsEmitsAndSystemError(string name)
    {
        var vector = ContractVectorFiles.Contracts.GetProperty("contracts").GetProperty(name);
        var contract = Contracts[name];

        contract.Uri.Should().Be(vector.GetProperty("uri").GetString());
        foreach (var versionVector in vector.GetProperty("versions").EnumerateArray())
        {
            var version = contract.Version(versionVector.GetProperty("version").GetString()!);
            version.Accepts.Type.Should().Be(versionVector.GetProperty("accepts").GetProperty("type").GetString());
            version.EmitList.Select(emit => emit.Type).Should().Equal(
                versionVector.GetProperty("emits").EnumerateArray().Select(emit => emit.GetProperty("type").GetString()));
            version.SystemError.Type.Should().Be(versionVector.GetProperty("systemError").GetProperty("type").GetString());
            ContractTestJson.Compact(version.SystemError.Schema.Json)
                .Should().Be(ContractTestJson.Compact(versionVector.GetProperty("systemError").GetProperty("schema")));
        }
    }

    [Fact]
    public void OrchestratorVector_IsAnOrchestratorContract()
    {
        var contract = Contracts["orchestrator"].Should().BeOfType<ArvoOrchestratorContract>().Subject;

        contract.Name.Should().Be("counter");
        contract.CompleteEventType.Should().Be("arvo.orc.counter.done");
        contract.SystemError.Type.Should().Be("sys.arvo.orc.counter.error");
    }

    [Theory]
    [MemberData(nameof(ContractEventIndexes))]
    public void ContractEvent_SchemaAndDataschema_MatchTheLoadedContract(int index)
    {
        var vector = ContractVectorFiles.Contracts.GetProperty("events")[index];
        var contract = Contracts[vector.GetProperty("contract").GetString()!];
        var eventType = vector.GetProperty("event_type").GetString()!;
        var dataschema = vector.GetProperty("dataschema").GetString()!;
        ArvoDataschema.TryParse(dataschema, out var reference).Should().BeTrue();
        var version = reference.Version.IsWildcard ? contract.Latest : contract.Version(reference.Version.Text);

        version.TryGetSchema(eventType, out var schema).Should().BeTrue();

        ContractTestJson.Compact(schema!.Json).Should().Be(ContractTestJson.Compact(vector.GetProperty("json_schema")));
        (eventType == version.SystemError.Type ? version.SystemError.Dataschema : version.Dataschema).Should().Be(dataschema);
    }

    [Theory]
    [MemberData(nameof(WorkflowEventLabels))]
    public void WorkflowEvent_Data_IsValidForItsSchema(string label)
    {
        var (type, dataschema, data) = FindWorkflowEvent(label);

        var result = SchemaFor(type, dataschema).Validate(data);

        result.IsValid.Should().BeTrue(result.ToString());
    }

    [Theory]
    [MemberData(nameof(WorkflowEventLabels))]
    public void WorkflowEvent_DataWithAWrongRequiredValue_IsInvalid(string label)
    {
        var (type, dataschema, data) = FindWorkflowEvent(label);
        var mutated = JsonNode.Parse(data.GetRawText())!.AsObject();
        var firstKey = mutated.First().Key;
        mutated[firstKey] = new JsonArray(1, 2);

        var result = SchemaFor(type, dataschema).Validate(ContractTestJson.Parse(mutated.ToJsonString()));

        result.Issues.Should().Contain(issue => issue.Path == $"$.{firstKey}" && (issue.Found == "array" || issue.Found == "[1,2]"));
    }

    [Theory]
    [MemberData(nameof(WorkflowEventLabels))]
    public void WorkflowEvent_DataWithoutItsFirstProperty_IsInvalid(string label)
    {
        var (type, dataschema, data) = FindWorkflowEvent(label);
        var mutated = JsonNode.Parse(data.GetRawText())!.AsObject();
        var firstKey = mutated.First().Key;
        mutated.Remove(firstKey);

        var result = SchemaFor(type, dataschema).Validate(ContractTestJson.Parse(mutated.ToJsonString()));

        result.Issues.Should().Contain(issue => issue.Path == $"$.{firstKey}" && issue.Found == "missing");
    }

    [Fact]
    public void Behaviour_InitFailingTheInitSchema_IsInvalidDataOnDelta()
    {
        var behaviour = Behaviour("init with data that fails the init schema (built with createArvoEvent, bypassing the factory)");
        var input = behaviour.GetProperty("input");

        var result = ValidateAsCounterMachine(input);

        result.Kind.Should().Be(ArvoInputValidationKind.InvalidData);
        result.Validation!.Issues.Should().ContainSingle().Which.Should().Be(new ArvoSchemaIssue("$.delta", "invalid_type", "number", "string"));
        result.ToViolation("machine")!.Message.Should().StartWith(PrefixBeforeDetails(behaviour));
    }

    [Fact]
    public void Behaviour_InitWithoutDataschema_GivesTheReferenceMessageExactly()
    {
        var behaviour = Behaviour("init without dataschema");

        var violation = ValidateAsCounterMachine(behaviour.GetProperty("input")).ToViolation("machine");

        violation.Should().BeOfType<ContractViolation>().Which.Message.Should().Be(behaviour.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("handler: command with the wrong event type")]
    [InlineData("handler: command whose dataschema names another contract")]
    public void Behaviour_HandlerRejection_GivesTheReferenceMessageExactly(string label)
    {
        var behaviour = Behaviour(label);
        var input = behaviour.GetProperty("input");

        var act = () => ResolveAsIncrementHandler(input);

        var violation = act.Should().Throw<ArvoViolation>().Which;
        violation.Message.Should().Be(behaviour.GetProperty("error").GetProperty("message").GetString());
        violation.Name.Should().Be(behaviour.GetProperty("error").GetProperty("name").GetString());
    }

    [Fact]
    public void Behaviour_HandlerCommandWithInvalidData_HasTheReferencePrefix()
    {
        var behaviour = Behaviour("handler: command with invalid data");

        var act = () => ResolveAsIncrementHandler(behaviour.GetProperty("input"));

        act.Should().Throw<ContractViolation>().Which.Message.Should().Be(
            "ViolationError<Contract> Input event payload validation failed: $.delta: expected number, found string")
            .And.StartWith(PrefixBeforeDetails(behaviour));
    }

    [Fact]
    public void Behaviour_HandlerCommandWithoutDataschema_UsesTheLatestVersion()
    {
        var behaviour = Behaviour("handler: command without dataschema (latest version is used) and a non-orchestration subject");

        var version = ResolveAsIncrementHandler(behaviour.GetProperty("input"), out var usedLatest);

        usedLatest.Should().BeTrue();
        version.Dataschema.Should().Be(behaviour.GetProperty("events")[0].GetProperty("dataschema").GetString());
    }

    private static VersionedArvoContract ResolveAsIncrementHandler(JsonElement input) => ResolveAsIncrementHandler(input, out _);

    private static VersionedArvoContract ResolveAsIncrementHandler(JsonElement input, out bool usedLatest) =>
        ArvoContractResolver.ResolveHandlerInput(
            Contracts["increment"], input.GetProperty("type").GetString()!, NullableString(input.GetProperty("dataschema")), input.GetProperty("data"), out usedLatest);

    private static ArvoInputValidationResult ValidateAsCounterMachine(JsonElement input) =>
        ArvoContractResolver.ValidateInput(
            input.GetProperty("id").GetString()!,
            input.GetProperty("type").GetString()!,
            NullableString(input.GetProperty("dataschema")),
            input.GetProperty("data"),
            Contracts["orchestrator"].Version("0.0.1"),
            [Contracts["increment"].Version("0.0.1"), Contracts["decrement"].Version("0.0.1"), Contracts["notification"].Version("0.0.1")]);

    /// <summary>The reference message up to the zod issue list (which the port words differently).</summary>
    private static string PrefixBeforeDetails(JsonElement behaviour)
    {
        var message = behaviour.GetProperty("error").GetProperty("message").GetString()!;
        return message[..(message.IndexOf(": [", StringComparison.Ordinal) + 2)];
    }

    private static JsonElement Behaviour(string label) =>
        ContractVectorFiles.Events.GetProperty("behaviours").EnumerateArray().Single(behaviour => behaviour.GetProperty("label").GetString() == label);

    private static string? NullableString(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetString();

    private static ArvoSchema SchemaFor(string type, string dataschema)
    {
        ArvoDataschema.TryParse(dataschema, out var reference).Should().BeTrue();
        var contract = Contracts.Values.Single(candidate => candidate.Uri == reference.Uri);
        var version = reference.Version.IsWildcard ? contract.Latest : contract.Version(reference.Version.Text);
        version.TryGetSchema(type, out var schema).Should().BeTrue($"{type} belongs to {dataschema}");
        return schema!;
    }

    private static (string Type, string Dataschema, JsonElement Data) FindWorkflowEvent(string label)
    {
        var json = UntrustedInputContracts.WorkflowEvents().Single(entry => entry.Label == label).Json;
        return (json.GetProperty("type").GetString()!, json.GetProperty("dataschema").GetString()!, json.GetProperty("data"));
    }
}
