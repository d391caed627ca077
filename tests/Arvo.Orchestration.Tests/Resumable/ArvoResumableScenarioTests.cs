using System.Text.Json;
using System.Text.Json.Nodes;
using Arvo.Broker;
using Arvo.Factories;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Resumable;

/// <summary>The sum resumable's context.</summary>
public sealed record SumContext(int N);

/// <summary>Scenario group X (scenarios.md) and the walk-through of resumable.md 5.</summary>
public sealed class ArvoResumableScenarioTests
{
    private const string Client = ReferenceFixture.Client;

    private static readonly ArvoOrchestratorContract SumContract = ArvoContract.CreateOrchestrator("#/res", "sum", c => c
        .Version("0.0.1", v => v
            .Init("""{"type":"object","properties":{"keys":{"type":"array","items":{"type":"string"}}},"required":["keys"]}""")
            .Complete("""{"type":"object","properties":{"total":{"type":"number"}},"required":["total"]}"""))
        .Version("0.0.2", v => v
            .Init("""{"type":"object","properties":{"keys":{"type":"array","items":{"type":"string"}}},"required":["keys"]}""")
            .Complete("""{"type":"object","properties":{"total":{"type":"number"}},"required":["total"]}""")));

    private static readonly ArvoOrchestratorContract EmptyOutputContract = ArvoContract.CreateOrchestrator("#/res/empty", "empty", c => c
        .Version("0.0.1", v => v.Init("""{"type":"object","properties":{}}""").Complete("{}")));

    private readonly ReferenceFixture _fixture = new();
    private readonly SimpleMachineMemory<ArvoResumableState> _memory = new();
    private readonly List<ArvoResumableContext<SumContext>> _calls = [];

    private ArvoResumable Sum(bool silentInit = false) => ArvoResumable.CreateBuilder<SumContext>(SumContract)
        .Memory(_memory)
        .Service("valueRead", ReferenceContracts.ValueRead.Version("0.0.1"))
        .Version("0.0.1", ctx =>
        {
            _calls.Add(ctx);
            if (ctx.Input is { } input)
            {
                if (silentInit)
                {
                    return ValueTask.FromResult<ArvoResumableResult<SumContext>?>(null);
                }

                var keys = input.Data.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToArray();
                return ValueTask.FromResult<ArvoResumableResult<SumContext>?>(new()
                {
                    Context = new SumContext(keys.Length),
                    Services = [.. keys.Select(k => ArvoMachineEmit.Create("com.value.read", new { key = k }))],
                });
            }

            var reads = ctx.Collected("evt.value.read.success");
            return ValueTask.FromResult<ArvoResumableResult<SumContext>?>(reads.Count == ctx.Context!.N
                ? new() { Output = new { total = reads.Sum(r => r.Data.GetProperty("value").GetDouble()) } }
                : null);
        })
        .ExecutionUnits(2)
        .Build();

    private static ArvoEvent SumInit(string version = "0.0.1", string? dataschemaVersion = null, params string[] keys)
    {
        var init = new ArvoOrchestratorEventFactory(SumContract.Version(version)).Init(
            new ArvoEventEnvelope { Source = Client },
            new JsonObject { ["parentSubject$$"] = null, ["keys"] = new JsonArray([.. keys.Select(k => JsonValue.Create(k))]) });
        return dataschemaVersion is null ? init : init.WithDataSchema("#/res/" + dataschemaVersion);
    }

    private async Task<ArvoResumableState> Stored(string subject) => (await _memory.ReadRecordAsync(subject))!;

    [Fact]
    public void Build_Defaults_LockingIffMoreThanOneServiceAndZeroExecutionUnits()
    {
        //
        var dec = ReferenceResumables.Dec(_memory);
        dec.RequiresResourceLocking.Should().BeTrue();
        dec.ExecutionUnits.Should().Be(0);
        dec.Source.Should().Be("arvo.orc.dec");
        Sum().RequiresResourceLocking.Should().BeFalse();
    }

    [Fact]
    public void Build_DuplicateServiceUri_ThrowsConfigViolation()
    {
        var act = () => ArvoResumable.CreateBuilder<SumContext>(SumContract)
            .Memory(_memory)
            .Service("a", ReferenceContracts.ValueRead.Version("0.0.1"))
            .Service("b", ReferenceContracts.ValueRead.Version("0.0.1"))
            .Version("0.0.1", _ => null)
            .Build();
        act.Should().Throw<ConfigViolation>().WithMessage("*In ArvoResumable, the service contracts must have unique URIs.*");
    }

    [Fact]
    public void Build_SelfAsService_ThrowsConfigViolation()
    {
        var act = () => ArvoResumable.CreateBuilder<SumContext>(SumContract)
            .Memory(_memory)
            .Service("self", SumContract.Version("0.0.1"))
            .Version("0.0.1", _ => null)
            .Build();
        act.Should().Throw<ConfigViolation>().WithMessage("*In ArvoResumable, Circular dependency detected*");
    }

    [Fact]
    public async Task ExecuteAsync_DecrementFlow_ReadsDecrementsWritesAndCompletes()
    {
        //
        _fixture.ValueStore["test.key"] = 2;
        var dec = ReferenceResumables.Dec(_memory);
        var init = ReferenceFixture.ModifierInit(ReferenceContracts.Dec, "0.0.1", "test.key", 2, domain: "test.domain.test", id: "custom-id");

        var first = await dec.ExecuteAsync(init);
        var record = await Stored(init.Subject);
        record.Subject.Should().Be(init.Subject);
        record.ParentSubject.Should().BeNull();
        record.Status.Should().Be("active");
        JsonNode.DeepEquals(JsonNode.Parse(record.State!.Value.GetRawText()), JsonNode.Parse("""{"key":"test.key","value":0,"modifier":2,"trend":"linear","error":[]}""")).Should().BeTrue();
        var read = first.All.Should().ContainSingle().Subject;
        (read.Type, read.To, read.Source, read.ParentId).Should().Be(("com.value.read", "com.value.read", "arvo.orc.dec", "custom-id"));
        read.Data.GetProperty("key").GetString().Should().Be("test.key");

        var readAnswer = (await _fixture.ValueRead.ExecuteAsync(read)).All.Single();
        (readAnswer.Type, readAnswer.To, readAnswer.Source, readAnswer.ParentId, readAnswer.Domain).Should().Be(("evt.value.read.success", "arvo.orc.dec", "com.value.read", read.Id, (string?)null));
        readAnswer.Data.GetProperty("value").GetDouble().Should().Be(2);

        var second = await dec.ExecuteAsync(readAnswer);
        (await Stored(init.Subject)).State!.Value.GetProperty("value").GetDouble().Should().Be(2);
        var command = second.All.Should().ContainSingle().Subject;
        (command.Type, command.To).Should().Be(("com.decrement.number", "com.decrement.number"));
        JsonNode.DeepEquals(JsonNode.Parse(command.Data.GetRawText()), JsonNode.Parse("""{"init":2,"decrement":2}""")).Should().BeTrue();

        var decAnswer = (await _fixture.Decrement.ExecuteAsync(command)).All.Single();
        (decAnswer.Type, decAnswer.To).Should().Be(("evt.decrement.number.success", "arvo.orc.dec"));
        decAnswer.Data.GetProperty("result").GetDouble().Should().Be(0);

        var last = await dec.ExecuteAsync(decAnswer);
        record = await Stored(init.Subject);
        record.Status.Should().Be("done");
        record.State!.Value.GetProperty("value").GetDouble().Should().Be(0);
        last.All.Should().HaveCount(2);
        var write = last.All[0];
        (write.Type, write.To, write.ParentId).Should().Be(("com.value.write", "com.value.write", decAnswer.Id));
        JsonNode.DeepEquals(JsonNode.Parse(write.Data.GetRawText()), JsonNode.Parse("""{"key":"test.key","value":0}""")).Should().BeTrue();
        var done = last.All[1];
        (done.Type, done.To, done.ParentId, done.ExecutionUnits).Should().Be(("arvo.orc.dec.done", "com.test.test", "custom-id", 10d));
        JsonNode.DeepEquals(JsonNode.Parse(done.Data.GetRawText()), JsonNode.Parse("""{"success":true,"error":[],"final":0}""")).Should().BeTrue();
    }

    [Fact]
    public async Task ResolveAsync_IncrementFanOut_AggregatesAndWritesEveryModification()
    {
        //
        _fixture.ValueStore["test.1"] = 3;
        _fixture.ValueStore["test.2"] = 8;
        var external = new List<ArvoEvent>();
        var broker = SimpleEventBroker.Create(
            [_fixture.ValueRead, _fixture.ValueWrite, _fixture.Increment, ReferenceResumables.Inc(_memory)],
            new SimpleEventBrokerOptions
            {
                OnDomainedEvent = (domained, _) =>
                {
                    if (domained.Domain == "external")
                    {
                        external.Add(domained.Event);
                    }

                    return ValueTask.CompletedTask;
                },
            });
        var init = IncrementResumableTests.IncInit(("test.1", 1), ("test.2", 2));

        var resolved = await broker.ResolveAsync(init);

        _fixture.ValueStore["test.1"].Should().Be(4);
        _fixture.ValueStore["test.2"].Should().Be(10);
        resolved!.Type.Should().Be("arvo.orc.inc.done");
        resolved.ParentId.Should().Be(init.Id);
        JsonNode.DeepEquals(JsonNode.Parse(resolved.Data.GetProperty("final").GetRawText()), JsonNode.Parse("""[{"key":"test.1","value":4},{"key":"test.2","value":10}]""")).Should().BeTrue();
        external.Should().HaveCount(6);
    }

    [Fact]
    public async Task ResolveAsync_HandlerThrows_ReturnsSystemErrorAndStoresFailureRecord()
    {
        //
        var broker = SimpleEventBroker.Create([_fixture.ValueRead, _fixture.ValueWrite, _fixture.Decrement, ReferenceResumables.Dec(_memory)]);
        var init = ReferenceFixture.ModifierInit(ReferenceContracts.Dec, "0.0.2", "test.key", 2);

        var resolved = await broker.ResolveAsync(init);

        resolved!.Type.Should().Be("sys.arvo.orc.dec.error");
        resolved.Subject.Should().Be(init.Subject);
        resolved.ParentId.Should().Be(init.Id);
        resolved.Data.GetProperty("errorMessage").GetString().Should().Be("Version 0.0.2 is not implemented for decrement resumable");
        (await Stored(init.Subject)).ExecutionStatus.Should().Be(MachineExecutionStatus.Failure);
    }

    [Fact]
    public async Task ExecuteAsync_ServiceAcceptsEvent_ThrowsConfigViolation()
    {
        //
        var dec = ReferenceResumables.Dec(_memory);
        var init = ReferenceFixture.ModifierInit(ReferenceContracts.Dec, "0.0.1", "test.key", 2);
        await dec.ExecuteAsync(init);
        var write = new ArvoEventFactory(ReferenceContracts.ValueWrite.Version("0.0.1")).Accepts(
            new ArvoEventEnvelope { Source = Client, Subject = init.Subject, To = "arvo.orc.dec" }, new { key = "test.key", value = 1 });

        var act = async () => await dec.ExecuteAsync(write);

        await act.Should().ThrowAsync<ConfigViolation>()
            .WithMessage("ViolationError<Config> Contract validation failed - Event does not match any registered contract schemas in the resumable");
    }

    [Fact]
    public async Task ExecuteAsync_SumWalkThrough_CollectsResponsesByRequestAndCompletesOnce()
    {
        // X-6 and resumable.md 5
        _fixture.ValueStore["a"] = 1;
        _fixture.ValueStore["bb"] = 2;
        _fixture.ValueStore["ccc"] = 3;
        var sum = Sum();
        var init = SumInit(keys: ["a", "bb", "ccc"]);

        var reads = (await sum.ExecuteAsync(init)).All;
        reads.Should().HaveCount(3).And.AllSatisfy(r => (r.Type, r.ParentId, r.RedirectTo).Should().Be(("com.value.read", init.Id, "arvo.orc.sum")));
        var record = await Stored(init.Subject);
        record.Events!.Expected!.Keys.Should().Equal(reads.Select(r => r.Id));
        record.Events.Expected.Values.Should().AllSatisfy(list => list.Should().BeEmpty());
        record.State!.Value.GetProperty("n").GetInt32().Should().Be(3);

        var answers = new List<ArvoEvent>();
        foreach (var read in reads)
        {
            answers.Add((await _fixture.ValueRead.ExecuteAsync(read)).All.Single());
        }

        (await sum.ExecuteAsync(answers[0])).All.Should().BeEmpty();
        record = await Stored(init.Subject);
        record.Events!.Expected!.Values.Select(l => l.Count).Should().Equal(1, 0, 0);
        record.Events.Produced.Should().BeEmpty();

        (await sum.ExecuteAsync(answers[1])).All.Should().BeEmpty();
        (await Stored(init.Subject)).Events!.Expected!.Values.Select(l => l.Count).Should().Equal(1, 1, 0);

        var done = (await sum.ExecuteAsync(answers[2])).All.Should().ContainSingle().Subject;
        (done.Type, done.To, done.ExecutionUnits).Should().Be(("arvo.orc.sum.done", Client, 2d));
        done.Data.GetProperty("total").GetDouble().Should().Be(6);
        record = await Stored(init.Subject);
        record.Status.Should().Be("done");
        record.Events!.Expected!.Keys.Should().Equal(done.Id);

        _calls.Select(c => c.Input is not null).Should().Equal(true, false, false, false);
        _calls.Select(c => c.Metadata?.Status).Should().Equal(null, "active", "active", "active");
        _calls.Skip(1).Select(c => c.Collected("evt.value.read.success").Count).Should().Equal(1, 2, 3);

        // A re-sent answer under a new id: nothing emitted, handler not called, record unchanged.
        var before = JsonSerializer.Serialize(await Stored(init.Subject));
        (await sum.ExecuteAsync(answers[2].WithId("resent-answer"))).All.Should().BeEmpty();
        _calls.Should().HaveCount(4);
        JsonSerializer.Serialize(await Stored(init.Subject)).Should().Be(before);

        // The same answer redelivered: the inbox returns the completion again (same id); the handler is not called.
        (await sum.ExecuteAsync(answers[2])).All.Should().Equal([done]);
        _calls.Should().HaveCount(4);
        JsonSerializer.Serialize(await Stored(init.Subject)).Should().Be(before);
    }

    [Fact]
    public async Task ExecuteAsync_HandlerReturnsNothingOnInit_StoresActiveRecordWithoutExpectations()
    {
        // X-6 (second part)
        var init = SumInit(keys: ["a"]);

        (await Sum(silentInit: true).ExecuteAsync(init)).All.Should().BeEmpty();

        var record = await Stored(init.Subject);
        (record.ExecutionStatus, record.Status, record.ParentSubject, record.State).Should().Be((MachineExecutionStatus.Normal, "active", (string?)null, (JsonElement?)null));
        record.Events!.Expected.Should().BeNull();
        record.Events.Produced.Should().BeEmpty();
    }

    [Fact]
    public async Task ExecuteAsync_NoHandlerForSubjectVersion_ThrowsConfigViolation()
    {
        //
        var act = async () => await Sum().ExecuteAsync(SumInit("0.0.2", keys: ["a"]));

        await act.Should().ThrowAsync<ConfigViolation>()
            .WithMessage("ViolationError<Config> Handler resolution failed: No handler found matching orchestrator name='arvo.orc.sum' and version='0.0.2'.");
    }

    [Fact]
    public async Task ExecuteAsync_InitWithWildcardDataschema_ThrowsContractViolationAndPersistsNothing()
    {
        // X-8 [port decision]: the reference fails the workflow instead.
        var init = SumInit(dataschemaVersion: "0.0.0", keys: ["a"]);

        var act = async () => await Sum().ExecuteAsync(init);

        await act.Should().ThrowAsync<ContractViolation>().WithMessage("*The contract (uri=#/res) does not have version=0.0.0*");
        (await _memory.ReadRecordAsync(init.Subject)).Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_InitWithUnknownDataschemaVersion_ThrowsContractViolationAndPersistsNothing()
    {
        var init = SumInit(dataschemaVersion: "9.9.9", keys: ["a"]);

        var act = async () => await Sum().ExecuteAsync(init);

        await act.Should().ThrowAsync<ContractViolation>().WithMessage("*The contract (uri=#/res) does not have version=9.9.9*");
        (await _memory.ReadRecordAsync(init.Subject)).Should().BeNull();
    }

    [Fact]
    public async Task ExecuteAsync_EmptyOutput_CompletesTheWorkflow()
    {
        //
        var resumable = ArvoResumable.CreateBuilder<SumContext>(EmptyOutputContract)
            .Memory(_memory)
            .Version("0.0.1", _ => new() { Output = new { } })
            .Build();
        var init = new ArvoOrchestratorEventFactory(EmptyOutputContract.Version("0.0.1")).Init(
            new ArvoEventEnvelope { Source = Client }, new JsonObject { ["parentSubject$$"] = null });

        var done = (await resumable.ExecuteAsync(init)).All.Should().ContainSingle().Subject;

        done.Type.Should().Be("arvo.orc.empty.done");
        done.Data.GetRawText().Should().Be("{}");
        (await Stored(init.Subject)).Status.Should().Be("done");
    }
}
