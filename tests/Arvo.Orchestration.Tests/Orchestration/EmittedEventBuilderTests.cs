using System.Text.Json;
using System.Text.Json.Serialization;
using Arvo.Events;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Resumable;
using Arvo.Tests.TestSupport;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// The one stage that builds emitted events (issue 11 item 5, issue 16 item 4): the raw events of a machine and of a
/// resumable handler are serialized with the orchestration's serializer options and validated once.
/// </summary>
public sealed class EmittedEventBuilderTests
{
    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerOptions.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly JsonSerializerOptions EnumsAsStrings = new(JsonSerializerOptions.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The kind of a notification, serialized as a number by the web defaults.</summary>
    public enum NotificationKind
    {
        /// <summary><c>increment</c>.</summary>
        Increment,

        /// <summary><c>decrement</c>.</summary>
        Decrement,
    }

    [Fact]
    public async Task ExecuteAsync_MachineEmitsClrObjectOfUndeclaredType_DataUsesTheOrchestratorNamingPolicy()
    {
        var machine = OrchestrationTestMachines.Variant(increment: a => a.Emit(ctx => ArvoMachineEmit.Create("com.audit.note", new AuditNote(ctx.Delta, "started"))));
        var orchestrator = Orchestrator(machine, SnakeCase);

        var emitted = (await orchestrator.ExecuteAsync(OrchestrationTestMachines.Init(delta: 3))).All.Should().ContainSingle().Subject;

        emitted.Type.Should().Be("com.audit.note");
        emitted.Data.GetRawText().Should().Be("""{"delta_value":3,"note_text":"started"}""");
    }

    [Fact]
    public async Task ExecuteAsync_MachineEmitsEnumForDeclaredType_DataUsesTheOrchestratorConvertersAndPassesTheSchema()
    {
        // The notification schema wants "type" to be "increment" or "decrement"; the web defaults would write 0.
        var machine = OrchestrationTestMachines.Variant(increment: a => a.Emit("notif.number.update", ctx => new KindNotification(ctx.Delta, NotificationKind.Increment)));
        var orchestrator = Orchestrator(machine, EnumsAsStrings);

        var emitted = (await orchestrator.ExecuteAsync(OrchestrationTestMachines.Init(delta: 2))).All.Should().ContainSingle().Subject;

        emitted.Type.Should().Be("notif.number.update");
        emitted.DataSchema.Should().Be("#/test/notification/decrement/0.0.1");
        emitted.Data.GetRawText().Should().Be("""{"delta":2,"type":"increment"}""");
    }

    [Fact]
    public async Task ExecuteAsync_MachineEmitsWithoutOptions_DataUsesTheWebDefaults()
    {
        var machine = OrchestrationTestMachines.Variant(increment: a => a.Emit(ctx => ArvoMachineEmit.Create("com.audit.note", new AuditNote(ctx.Delta, "started"))));
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(new SimpleMachineMemory<MachineMemoryRecord>()).Machines(machine).Build();

        var emitted = (await orchestrator.ExecuteAsync(OrchestrationTestMachines.Init(delta: 3))).All.Should().ContainSingle().Subject;

        emitted.Data.GetRawText().Should().Be("""{"deltaValue":3,"noteText":"started"}""");
    }

    [Fact]
    public async Task ExecuteAsync_ResumableEmitsClrObject_DataUsesTheSameOptionsAsAMachine()
    {
        var resumable = ArvoResumable.CreateBuilder<NoteContext>(CounterContracts.Machine)
            .Service("increment", CounterContracts.Increment.Version("0.0.1"))
            .Memory(new SimpleMachineMemory<ArvoResumableState>())
            .Version("0.0.1", _ => ValueTask.FromResult<ArvoResumableResult<NoteContext>?>(new ArvoResumableResult<NoteContext>
            {
                Context = new NoteContext(1),
                Services = [ArvoMachineEmit.Create("com.audit.note", new AuditNote(3, "started"))],
            }))
            .CreationOptions(new ArvoEventCreationOptions { SerializerOptions = SnakeCase })
            .Build();

        var emitted = (await resumable.ExecuteAsync(OrchestrationTestMachines.Init(delta: 3))).All.Should().ContainSingle().Subject;

        emitted.Data.GetRawText().Should().Be("""{"delta_value":3,"note_text":"started"}""");
    }

    [Fact]
    public async Task ExecuteAsync_MachineEmitsInvalidDataOfDeclaredType_ThrowsOneContractViolationNamingTheType()
    {
        var machine = OrchestrationTestMachines.Variant(increment: a => a.Emit("com.number.increment", _ => new { delta = "one" }));
        var orchestrator = Orchestrator(machine, SnakeCase);

        var act = async () => await orchestrator.ExecuteAsync(OrchestrationTestMachines.Init());

        (await act.Should().ThrowAsync<ContractViolation>()).Which.Detail.Should().Be(
            "[Emittable Event Creation] Invalid event data: Schema validation failed.\nEvent type: com.number.increment\nDetails: $.delta: expected number, found string");
    }

    private static ArvoOrchestrator Orchestrator(ArvoMachine machine, JsonSerializerOptions serializerOptions) =>
        ArvoOrchestrator.CreateBuilder()
            .Memory(new SimpleMachineMemory<MachineMemoryRecord>())
            .ExecutionUnits(0)
            .Machines(machine)
            .CreationOptions(new ArvoEventCreationOptions { SerializerOptions = serializerOptions })
            .Build();

    private sealed record AuditNote(double DeltaValue, string NoteText);

    private sealed record KindNotification(double Delta, NotificationKind Type);

    private sealed record NoteContext(int Step);
}
