using System.Runtime.CompilerServices;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;
using Arvo.Resumable;

namespace Arvo.Tests.Orchestration;

/// <summary>
/// Issue 16 items 6, 7 and 8 end to end: contracts generated from C# types (enums, nested records), a typed init record
/// without <c>parentSubject$$</c>, and a service's system error read as typed data by a machine and by a resumable.
/// </summary>
public sealed class TypedDataWorkflowTests
{
    public enum Severity
    {
        Minor,
        VeryHigh,
    }

    public sealed record Reporter(string Name, Severity Rank);

    public sealed record GradeRequest(string Title, Reporter By);

    public sealed record GradeResult(Severity Severity);

    public sealed record TicketInit(string Title, Reporter By);

    public sealed record TicketDone(Severity Severity, string? Error);

    public sealed record TicketContext(string Title, Reporter By, Severity Severity, string? Error);

    private static readonly ArvoContract Grader = ArvoContract.Create("#/test/typed/grader", "com.test.grade", c => c
        .Version("1.0.0", v => v
            .Accepts(ArvoSchema.FromType<GradeRequest>())
            .Emits("evt.test.grade.success", ArvoSchema.FromType<GradeResult>())));

    private static readonly ArvoOrchestratorContract Ticket = ArvoContract.CreateOrchestrator("#/test/typed/ticket", "typed.ticket", c => c
        .Version("1.0.0", v => v
            .Init(ArvoSchema.FromType<TicketInit>())
            .Complete(ArvoSchema.FromType<TicketDone>())));

    private static readonly ArvoMachine<TicketContext> Machine = ArvoMachine.Setup<TicketContext>(Ticket.Version("1.0.0"))
        .Service("grader", Grader.Version("1.0.0"))
        .CreateMachine("ticket", m => m
            .Context(input => input.GetData<TicketInit>() is { } init ? new TicketContext(init.Title, init.By, Severity.Minor, null) : throw new InvalidOperationException("no init"))
            .Initial("grading")
            .State("grading", s => s
                .Entry(a => a.Emit("com.test.grade", ctx => new GradeRequest(ctx.Title, ctx.By)))
                .On("evt.test.grade.success", "done", t => t.Assign((ctx, evt) => ctx with { Severity = evt.GetData<GradeResult>()!.Severity }))
                .On("sys.com.test.grade.error", "done", t => t.Assign((ctx, evt) => ctx with { Error = evt.GetSystemErrorData()!.ErrorMessage })))
            .Final("done")
            .Output(ctx => new TicketDone(ctx.Severity, ctx.Error)));

    private static ArvoEventHandler GraderHandler(bool fail) => ArvoEventHandler.CreateBuilder(Grader)
        .Version("1.0.0", ctx =>
        {
            var request = ctx.GetData<GradeRequest>()!;
            return fail ? throw Failure(request.Title) : ArvoHandlerOutput.Emit("evt.test.grade.success", new GradeResult(request.By.Rank));
        })
        .Build();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException Failure(string title) => new($"cannot grade '{title}'");

    private static ArvoEvent Init() => new ArvoOrchestratorEventFactory(Ticket.Version("1.0.0"))
        .Init(new ArvoEventEnvelope { Source = "com.test.client" }, new TicketInit("Printer on fire", new Reporter("Ada", Severity.VeryHigh)));

    private static ArvoOrchestrator Orchestrator() => ArvoOrchestrator.CreateBuilder()
        .Memory(new SimpleMachineMemory<MachineMemoryRecord>())
        .Machines(Machine)
        .Build();

    [Fact]
    public void Init_TypedRecordWithoutParentSubject_CarriesEnumsAsStringsAndANullParent()
    {
        Init().Data.GetRawText().Should().Be(
            """{"parentSubject$$":null,"title":"Printer on fire","by":{"name":"Ada","rank":"veryHigh"}}""");
    }

    [Fact]
    public async Task ResolveAsync_TypedRecordsAllTheWay_CompletesWithTheTypedOutput()
    {
        var broker = SimpleEventBroker.Create([Orchestrator(), GraderHandler(fail: false)]);

        var done = await broker.ResolveAsync(Init());

        done!.Type.Should().Be("arvo.orc.typed.ticket.done");
        done.Data.GetRawText().Should().Be("""{"severity":"veryHigh","error":null}""");
        done.GetData<TicketDone>().Should().Be(new TicketDone(Severity.VeryHigh, null));
    }

    [Fact]
    public async Task ResolveAsync_ServiceFails_MachineReadsTheTypedSystemError()
    {
        var broker = SimpleEventBroker.Create([Orchestrator(), GraderHandler(fail: true)]);

        var done = await broker.ResolveAsync(Init());

        done!.GetData<TicketDone>().Should().Be(new TicketDone(Severity.Minor, "cannot grade 'Printer on fire'"));
    }

    [Fact]
    public async Task ExecuteAsync_HandlerThrows_SystemErrorStackNamesFilesWithoutDirectories()
    {
        var request = new ArvoEventFactory(Grader.Version("1.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.test.client", To = "com.test.grade" }, new GradeRequest("t", new Reporter("Ada", Severity.Minor)));

        var error = (await GraderHandler(fail: true).ExecuteAsync(request)).All.Should().ContainSingle().Subject;

        var data = error.GetSystemErrorData()!;
        data.ErrorName.Should().Be("InvalidOperationException");
        data.ErrorMessage.Should().Be("cannot grade 't'");
        data.ErrorStack.Should().Contain(" in TypedDataWorkflowTests.cs:line ").And.NotContain(Path.GetDirectoryName(SourcePath())!);
    }

    [Fact]
    public async Task ResolveAsync_ResumableReadsTheTypedSystemError()
    {
        var resumable = ArvoResumable.CreateBuilder<TicketContext>(Ticket)
            .Memory(new SimpleMachineMemory<ArvoResumableState>())
            .Service("grader", Grader.Version("1.0.0"))
            .Version("1.0.0", ctx =>
            {
                if (ctx.GetData<TicketInit>() is { } init && ctx.Input is not null)
                {
                    return new()
                    {
                        Context = new TicketContext(init.Title, init.By, Severity.Minor, null),
                        Services = [ArvoMachineEmit.Create("com.test.grade", new GradeRequest(init.Title, init.By))],
                    };
                }

                var error = ctx.Service!.GetSystemErrorData();
                return new() { Output = new TicketDone(ctx.Context!.Severity, error?.ErrorMessage) };
            })
            .Build();
        var broker = SimpleEventBroker.Create([resumable, GraderHandler(fail: true)]);

        var done = await broker.ResolveAsync(Init());

        done!.GetData<TicketDone>().Should().Be(new TicketDone(Severity.Minor, "cannot grade 'Printer on fire'"));
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
