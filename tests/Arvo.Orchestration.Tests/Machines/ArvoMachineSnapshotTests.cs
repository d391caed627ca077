using System.Text;
using Arvo.Machines;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Machines;

/// <summary>Snapshot JSON: layout 1, round trips, the layout-0 (reference XState) reader path and rejected layouts.</summary>
public sealed class ArvoMachineSnapshotTests
{
    private const string Active = """{"layout":1,"status":"active","value":"increment","context":{"delta":1,"type":"increment","errors":[]}}""";
    private const string Done = """{"layout":1,"status":"done","value":"done","context":{"delta":1,"type":"increment","errors":[]},"output":{"final":1}}""";
    private const string Parallel = """{"layout":1,"status":"active","value":{"work":{"inc":"incDone","dec":"decWaiting"}},"context":{"delta":2}}""";
    private const string Nested = """{"layout":1,"status":"active","value":{"fulfil":{"both":{"left":"finished","right":{"retry":"waiting"}}}},"context":{"delta":2}}""";

    [Theory]
    [InlineData(Active)]
    [InlineData(Done)]
    [InlineData(Parallel)]
    [InlineData(Nested)]
    public void Parse_Layout1_RoundTripsExactly(string json)
    {
        var snapshot = ArvoMachineSnapshot.Parse(json);

        snapshot.ToJson().Should().Be(json);
        snapshot.LayoutVersion.Should().Be(1);
    }

    [Fact]
    public void Parse_Active_ReadsEveryField()
    {
        var snapshot = ArvoMachineSnapshot.Parse(Active);

        snapshot.Status.Should().Be(ArvoMachineStatus.Active);
        snapshot.StatusText.Should().Be("active");
        snapshot.Value.Should().Be("increment");
        snapshot.Regions.Should().BeNull();
        snapshot.Context.GetRawText().Should().Be("""{"delta":1,"type":"increment","errors":[]}""");
        snapshot.Output.Should().BeNull();
        snapshot.ValueToJson().ToJsonString().Should().Be("\"increment\"");
    }

    [Fact]
    public void Parse_Parallel_ReadsRegionsInOrder()
    {
        var snapshot = ArvoMachineSnapshot.Parse(Parallel);

        snapshot.Value.Should().Be("work");
        snapshot.Regions!.Select(r => $"{r.Key}={r.Value}").Should().Equal("inc=incDone", "dec=decWaiting");
        snapshot.ValueToJson().ToJsonString().Should().Be("""{"work":{"inc":"incDone","dec":"decWaiting"}}""");
    }

    [Fact]
    public void Parse_NestedValue_KeepsTheXStateValue()
    {
        var snapshot = ArvoMachineSnapshot.Parse(Nested);

        snapshot.Value.Should().Be("fulfil");
        snapshot.Regions.Should().BeNull();
        snapshot.StateValue.GetRawText().Should().Be("""{"fulfil":{"both":{"left":"finished","right":{"retry":"waiting"}}}}""");
    }

    [Theory]
    [InlineData("fulfil", true)]
    [InlineData("fulfil.both", true)]
    [InlineData("fulfil.both.left.finished", true)]
    [InlineData("fulfil.both.right.retry.waiting", true)]
    [InlineData("fulfil.both.left.running", false)]
    [InlineData("fulfil.both.left.finished.deeper", false)]
    [InlineData("both", false)]
    public void Matches_StatePath_IsTrueWhenEveryNamedStateIsActive(string path, bool expected)
    {
        ArvoMachineSnapshot.Parse(Nested).Matches(path).Should().Be(expected);
    }

    [Fact]
    public void Matches_FlatValue_MatchesOnlyTheStateName()
    {
        var snapshot = ArvoMachineSnapshot.Parse(Active);

        snapshot.Matches("increment").Should().BeTrue();
        snapshot.Matches("increment.child").Should().BeFalse();
    }

    [Fact]
    public void Parse_ValueDeeperThanTheLimit_ThrowsFormatException()
    {
        var value = string.Concat(Enumerable.Repeat("{\"s\":", 70)) + "\"x\"" + new string('}', 70);

        // The text readers stop at depth 64 already; an element parsed with a larger depth reaches the value check.
        using var document = System.Text.Json.JsonDocument.Parse(
            $$$"""{"layout":1,"status":"active","value":{{{value}}},"context":{}}""", new System.Text.Json.JsonDocumentOptions { MaxDepth = 200 });

        var act = () => ArvoMachineSnapshot.Parse(document.RootElement);

        act.Should().Throw<FormatException>().Which.Message.Should().StartWith("A machine snapshot 'value' nests deeper than 64 levels at 's.s.s");
    }

    [Fact]
    public void Parse_Utf8Bytes_MatchesText()
    {
        var snapshot = ArvoMachineSnapshot.Parse(Encoding.UTF8.GetBytes(Done));

        Encoding.UTF8.GetString(snapshot.ToUtf8Bytes()).Should().Be(Done);
        snapshot.Output!.Value.GetRawText().Should().Be("""{"final":1}""");
    }

    [Fact]
    public void ToJson_Indented_IsIndented()
    {
        ArvoMachineSnapshot.Parse(Active).ToJson(indented: true).Should().Contain("\n  \"status\": \"active\"");
    }

    [Fact]
    public void Parse_ReferenceXStateSnapshot_ReadsAsLayout0AndDropsReservedKey()
    {
        var snapshot = ArvoMachineSnapshot.Parse(
            """{"status":"active","value":"increment","historyValue":{},"context":{"delta":1,"type":"increment","errors":[],"arvo$$":{"volatile$$":{"eventQueue$$":[]}}},"children":{}}""");

        snapshot.LayoutVersion.Should().Be(0);
        snapshot.Status.Should().Be(ArvoMachineStatus.Active);
        snapshot.Value.Should().Be("increment");
        snapshot.Context.GetRawText().Should().Be("""{"delta":1,"type":"increment","errors":[]}""");
        snapshot.ToJson().Should().Be(Active);
    }

    [Fact]
    public void Execute_FromReferenceSnapshot_ResumesTheCounterMachine()
    {
        var snapshot = ArvoMachineSnapshot.Parse(
            """{"status":"active","value":"increment","historyValue":{},"context":{"delta":1,"type":"increment","errors":[]},"children":{}}""");
        var subject = MachineEvents.Init().Subject;

        var result = MachineExecutionEngine.Instance.Execute(CounterMachine.Create(), snapshot, MachineEvents.IncrementSuccess(subject));

        result.Snapshot.ToJson().Should().Be(Done);
    }

    [Fact]
    public void Parse_FutureLayout_ThrowsFormatException()
    {
        var act = () => ArvoMachineSnapshot.Parse("""{"layout":2,"status":"active","value":"a","context":{}}""");

        act.Should().Throw<FormatException>().Which.Message.Should().Be(
            "Unsupported machine snapshot layout version 2: this version of Arvo.Orchestration reads layout versions 0 (the reference XState snapshot) to 1. Upgrade the library to read snapshots written by a newer version.");
    }

    [Theory]
    [InlineData("[]", "A machine snapshot must be a JSON object, received Array")]
    [InlineData("{", "A machine snapshot must be JSON: ")]
    [InlineData("""{"layout":"1","status":"active","value":"a","context":{}}""", "A machine snapshot 'layout' must be a positive integer, received \"1\"")]
    [InlineData("""{"layout":0,"status":"active","value":"a","context":{}}""", "A machine snapshot 'layout' must be a positive integer, received 0")]
    [InlineData("""{"layout":1,"value":"a","context":{}}""", "A machine snapshot must have a string 'status'")]
    [InlineData("""{"layout":1,"status":"running","value":"a","context":{}}""", "A machine snapshot 'status' must be one of active, done, error, stopped, received 'running'")]
    [InlineData("""{"layout":1,"status":"active","context":{}}""", "A machine snapshot must have a 'value'")]
    [InlineData("""{"layout":1,"status":"active","value":3,"context":{}}""", "A machine snapshot 'value' must be a state name or an object naming the active state at each level ({\"<state>\":\"<child>\"}, {\"<parallel state>\":{\"<region>\":\"<state>\"}}), received 3")]
    [InlineData("""{"layout":1,"status":"active","value":{"a":"x","b":"y"},"context":{}}""", "A machine snapshot 'value' must be a state name or an object naming the active state at each level")]
    [InlineData("""{"layout":1,"status":"active","value":{"p":{"r":3}},"context":{}}""", "A machine snapshot 'value' must name a state at 'p.r', received 3")]
    [InlineData("""{"layout":1,"status":"active","value":"a","context":[]}""", "A machine snapshot must have an object 'context'")]
    [InlineData("""{"layout":1,"status":"active","value":"a","context":{"arvo$$":{}}}""", "A machine snapshot context must not contain the reserved key 'arvo$$'")]
    public void Parse_InvalidSnapshot_ThrowsFormatException(string json, string message)
    {
        var act = () => ArvoMachineSnapshot.Parse(json);

        act.Should().Throw<FormatException>().Which.Message.Should().StartWith(message);
    }

    [Theory]
    [InlineData("error", ArvoMachineStatus.Error)]
    [InlineData("stopped", ArvoMachineStatus.Stopped)]
    public void Execute_NonActiveSnapshot_IgnoresTheEvent(string status, ArvoMachineStatus expected)
    {
        var snapshot = ArvoMachineSnapshot.Parse($$$"""{"layout":1,"status":"{{{status}}}","value":"increment","context":{"delta":1,"type":"increment","errors":[]}}""");

        var result = MachineExecutionEngine.Instance.Execute(CounterMachine.Create(), snapshot, MachineEvents.IncrementSuccess(MachineEvents.Init().Subject));

        result.Snapshot.Status.Should().Be(expected);
        result.Events.Should().BeEmpty();
        result.FinalOutput.Should().BeNull();
    }

    [Fact]
    public void Execute_ContextUsingReservedKey_Throws()
    {
        var machine = ArvoMachine.Setup<Dictionary<string, int>>(CounterContracts.Machine.Version("0.0.1"))
            .CreateMachine("reserved", m => m.Context(_ => new Dictionary<string, int> { ["arvo$$"] = 1 }).Initial("idle").State("idle"));

        var act = () => MachineExecutionEngine.Instance.Execute(machine, null, MachineEvents.Init());

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Be(
            "The context of machine 'reserved' (version '0.0.1') uses the reserved key 'arvo$$'");
    }
}
