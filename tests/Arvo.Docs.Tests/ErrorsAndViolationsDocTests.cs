using Arvo.Broker;
using Arvo.Events;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Memory;

namespace Arvo.Docs;

// docs:types:begin
public sealed record PurchaseContext(double Amount, double? Price, string? Error);
// docs:types:end

/// <summary>The code of docs/errors-and-violations.md, run.</summary>
public sealed class ErrorsAndViolationsDocTests
{
    // docs:contracts:begin
    private static readonly ArvoContract Quote = ArvoContract.Create("#/demo/quote", "com.demo.quote", contract => contract
        .Version("1.0.0", version => version
            .Accepts("""{"type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}""")
            .Emits("evt.demo.quote.success", """{"type":"object","properties":{"price":{"type":"number"}},"required":["price"]}""")));

    private static readonly ArvoOrchestratorContract Purchase = ArvoContract.CreateOrchestrator("#/demo/purchase", "demo.purchase", contract => contract
        .Version("1.0.0", version => version
            .Init("""{"type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}""")
            .Complete("""{"type":"object","properties":{"price":{"type":["number","null"]},"error":{"type":["string","null"]}},"required":["price","error"]}""")));
    // docs:contracts:end

    private static ArvoEventHandler QuoteService()
    {
        // docs:failing-handler:begin
        var quoteService = ArvoEventHandler.CreateBuilder(Quote)
            .ExecutionUnits(1)
            .Version("1.0.0", ctx =>
            {
                var amount = ctx.Data.GetProperty("amount").GetDouble();
                return amount < 0
                    ? throw new InvalidOperationException("amount must not be negative")
                    : ArvoHandlerOutput.Emit("evt.demo.quote.success", new { price = amount * 1.2 });
            })
            .Build();
        // docs:failing-handler:end
        return quoteService;
    }

    private static ArvoEvent QuoteRequest(double amount, string? redirectTo = null) =>
        new ArvoEventFactory(Quote.Version("1.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.demo.client", RedirectTo = redirectTo }, new { amount });

    private static ArvoEvent PurchaseInit(double amount) =>
        new ArvoOrchestratorEventFactory(Purchase.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { amount = amount });

    [Fact]
    public async Task HandlerThrows_ReturnsASystemErrorEventToTheCaller()
    {
        var quoteService = QuoteService();

        // docs:system-error:begin
        var request = new ArvoEventFactory(Quote.Version("1.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.demo.client", RedirectTo = "com.demo.inbox" }, new { amount = -5 });
        var result = await quoteService.ExecuteAsync(request);   // does not throw

        var error = result.All.Single();
        // error.Type == "sys.com.demo.quote.error", error.To == "com.demo.client" (the caller: system errors ignore
        // redirectto), error.Subject == request.Subject, error.ParentId == request.Id, error.DataSchema == "#/demo/quote/0.0.0"
        // error.GetSystemErrorData(): ErrorName "InvalidOperationException", ErrorMessage "amount must not be negative",
        // ErrorStack (the stack trace, naming source files without the build machine's directories)
        // docs:system-error:end

        (error.Type, error.To, error.Source, error.Subject, error.ParentId, error.DataSchema).Should().Be(
            ("sys.com.demo.quote.error", "com.demo.client", "com.demo.quote", request.Subject, request.Id, "#/demo/quote/0.0.0"));
        error.Data.GetProperty("errorName").GetString().Should().Be("InvalidOperationException");
        error.Data.GetProperty("errorMessage").GetString().Should().Be("amount must not be negative");
        error.Data.GetProperty("errorStack").GetString().Should().Contain("ErrorsAndViolationsDocTests");
        error.GetSystemErrorData()!.ErrorStack.Should().NotContain(DocPages.RepositoryRoot());
        (error.GetSystemErrorData()!.ErrorName, error.GetSystemErrorData()!.ErrorMessage).Should().Be(("InvalidOperationException", "amount must not be negative"));
        error.Data.EnumerateObject().Select(p => p.Name).Should().Equal("errorName", "errorMessage", "errorStack");
    }

    private static ArvoMachine<PurchaseContext> PurchaseMachine(bool buggy = false)
    {
        // docs:handled-error:begin
        // A workflow treats the system error as one more answer.
        var purchaseMachine = ArvoMachine.Setup<PurchaseContext>(Purchase.Version("1.0.0"))
            .Service("quote", Quote.Version("1.0.0"))
            .CreateMachine("purchase", m => m
                .Context(input => new PurchaseContext(input.Data.GetProperty("amount").GetDouble(), Price: null, Error: null))
                .Initial("quoting")
                .State("quoting", s => s
                    .Entry(a => a.Emit("com.demo.quote", ctx => new { amount = ctx.Amount }))
                    .On("evt.demo.quote.success", "done", t => t.Assign((ctx, evt) => ctx with { Price = evt.Data.GetProperty("price").GetDouble() }))
                    .On("sys.com.demo.quote.error", "done", t => t.Assign((ctx, evt) => ctx with { Error = evt.GetSystemErrorData()!.ErrorMessage })))
                .Final("done")
                .Output(ctx => new { price = ctx.Price, error = ctx.Error }));
        // docs:handled-error:end
        if (!buggy)
        {
            return purchaseMachine;
        }

        // docs:buggy-machine:begin
        // A bug in the machine: the answer has no "cost", so GetProperty throws KeyNotFoundException.
        var buggyMachine = ArvoMachine.Setup<PurchaseContext>(Purchase.Version("1.0.0"))
            .Service("quote", Quote.Version("1.0.0"))
            .CreateMachine("purchase", m => m
                .Context(input => new PurchaseContext(input.Data.GetProperty("amount").GetDouble(), Price: null, Error: null))
                .Initial("quoting")
                .State("quoting", s => s
                    .Entry(a => a.Emit("com.demo.quote", ctx => new { amount = ctx.Amount }))
                    .On("evt.demo.quote.success", "done", t => t.Assign((ctx, evt) => ctx with { Price = evt.Data.GetProperty("cost").GetDouble() })))
                .Final("done")
                .Output(ctx => new { price = ctx.Price, error = ctx.Error }));
        // docs:buggy-machine:end
        return buggyMachine;
    }

    [Fact]
    public async Task Workflow_HandlesTheServicesSystemError()
    {
        var broker = SimpleEventBroker.Create([
            ArvoOrchestrator.CreateBuilder().Memory(new SimpleMachineMemory<MachineMemoryRecord>()).ExecutionUnits(1).Machines(PurchaseMachine()).Build(),
            QuoteService()]);

        var failed = await broker.ResolveAsync(PurchaseInit(-5));
        var succeeded = await broker.ResolveAsync(PurchaseInit(10));

        (failed!.Type, failed.Data.GetRawText()).Should().Be(("arvo.orc.demo.purchase.done", """{"price":null,"error":"amount must not be negative"}"""));
        (succeeded!.Type, succeeded.Data.GetRawText()).Should().Be(("arvo.orc.demo.purchase.done", """{"price":12,"error":null}"""));
    }

    [Fact]
    public async Task MachineThrows_FailsTheWorkflowWithAnOrchestratorSystemError()
    {
        var buggyMachine = PurchaseMachine(buggy: true);
        var quoteService = QuoteService();

        // docs:workflow-error:begin
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(memory).ExecutionUnits(1).Machines(buggyMachine).Build();
        var init = new ArvoOrchestratorEventFactory(Purchase.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { amount = 10 });
        var command = (await orchestrator.ExecuteAsync(init)).All.Single();
        var answer = (await quoteService.ExecuteAsync(command)).All.Single();

        var failure = (await orchestrator.ExecuteAsync(answer)).All.Single();   // does not throw
        // failure.Type == "sys.arvo.orc.demo.purchase.error", failure.To == "com.demo.client" (the initiator),
        // failure.Subject == init.Subject, failure.GetSystemErrorData()!.ErrorName == "KeyNotFoundException"
        // The stored record is now a MachineMemoryFailureRecord: the workflow is over and ignores later events.
        // docs:workflow-error:end

        (failure.Type, failure.To, failure.Subject, failure.Source).Should().Be(
            ("sys.arvo.orc.demo.purchase.error", "com.demo.client", init.Subject, "arvo.orc.demo.purchase"));
        failure.Data.GetProperty("errorName").GetString().Should().Be("KeyNotFoundException");
        var record = (await memory.ReadRecordAsync(init.Subject)).Should().BeOfType<MachineMemoryFailureRecord>().Subject;
        record.Error.Name.Should().Be("KeyNotFoundException");
        var lateAnswer = new ArvoEventFactory(Quote.Version("1.0.0")).Emits(
            new ArvoEventEnvelope { Source = "com.demo.quote", Subject = init.Subject, To = "arvo.orc.demo.purchase" },
            "evt.demo.quote.success",
            new { price = 1 });
        (await orchestrator.ExecuteAsync(lateAnswer)).All.Should().BeEmpty("a failed workflow ignores later events");
        (await orchestrator.ExecuteAsync(answer)).All.Should().Equal([failure], "a redelivered event gets the first execution's events back");
    }

    [Fact]
    public async Task Violations_AreThrownToTheCallerAndChangeNothing()
    {
        var quoteService = QuoteService();

        // docs:violations-handler:begin
        var request = new ArvoEventFactory(Quote.Version("1.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { amount = 10 });

        // Data the contract rejects, from a producer that skipped the factory: ContractViolation.
        var invalid = ArvoEvent.Create(new ArvoEventInit
        {
            Source = "com.demo.client",
            Type = "com.demo.quote",
            Subject = request.Subject,
            DataSchema = "#/demo/quote/1.0.0",
            Data = new { amount = "ten" },
        });
        Func<Task> badData = async () => await quoteService.ExecuteAsync(invalid);
        // ContractViolation "ViolationError<Contract> Input event payload validation failed: $.amount: expected number, found string"

        // A version this handler does not have: ConfigViolation.
        Func<Task> unknownVersion = async () => await quoteService.ExecuteAsync(request.WithDataSchema("#/demo/quote/2.0.0"));
        // ConfigViolation "ViolationError<Config> Invalid contract version: 2.0.0. Available versions: 1.0.0"
        // docs:violations-handler:end

        (await badData.Should().ThrowAsync<ContractViolation>()).Which.Message.Should().Be(
            "ViolationError<Contract> Input event payload validation failed: $.amount: expected number, found string");
        (await unknownVersion.Should().ThrowAsync<ConfigViolation>()).Which.Message.Should().Be(
            "ViolationError<Config> Invalid contract version: 2.0.0. Available versions: 1.0.0");
    }

    [Fact]
    public async Task Violations_OfAnOrchestrator_LeaveMemoryUntouched()
    {
        var purchaseMachine = PurchaseMachine();

        // docs:violations-orchestrator:begin
        var memory = new SimpleMachineMemory<MachineMemoryRecord>();
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(memory)
            .ExecutionUnits(1)
            .Machines(purchaseMachine)
            .RequiresResourceLocking(true)
            .Build();
        var init = new ArvoOrchestratorEventFactory(Purchase.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.client" },
            new { amount = 10 });

        // A subject that is not an orchestration subject: ExecutionViolation.
        Func<Task> noSubject = async () => await orchestrator.ExecuteAsync(init.WithSubject("order-42"));

        // Another execution holds the workflow's lease: TransactionViolation (Cause LockUnacquired), retry later.
        var otherHost = MachineMemoryLockToken.NewToken();
        await memory.LockAsync(init.Subject, otherHost);
        Func<Task> locked = async () => await orchestrator.ExecuteAsync(init);
        // docs:violations-orchestrator:end

        var execution = (await noSubject.Should().ThrowAsync<ExecutionViolation>()).Which;
        execution.Message.Should().StartWith("ViolationError<Execution> Invalid event (id=");
        var transaction = (await locked.Should().ThrowAsync<TransactionViolation>()).Which;
        transaction.Cause.Should().Be(TransactionViolationCause.LockUnacquired);
        transaction.Message.Should().Be(
            "ViolationError<OrchestratorTransaction> [LOCK_UNACQUIRED] Lock acquisition denied - Unable to obtain exclusive access to event processing");
        (await memory.ReadRecordAsync(init.Subject)).Should().BeNull("a violation persists nothing");

        await memory.UnlockAsync(init.Subject, otherHost);
        (await orchestrator.ExecuteAsync(init)).All.Select(e => e.Type).Should().Equal("com.demo.quote");
    }

    [Fact]
    public async Task Broker_ReportsViolationsToOnErrorAndPublishesNothing()
    {
        var quoteService = QuoteService();

        // docs:broker:begin
        var errors = new List<(Exception Error, ArvoEvent Event)>();
        var broker = SimpleEventBroker.Create(
            [quoteService],
            new SimpleEventBrokerOptions { OnError = (error, evt) => errors.Add((error, evt)) });
        var request = new ArvoEventFactory(Quote.Version("1.0.0"))
            .Accepts(new ArvoEventEnvelope { Source = "com.demo.client" }, new { amount = 10 });

        var answer = await broker.ResolveAsync(request.WithDataSchema("#/demo/quote/2.0.0"));
        // answer == null: nothing was published; errors holds the ConfigViolation and the event that caused it
        // docs:broker:end

        answer.Should().BeNull();
        var (error, evt) = errors.Should().ContainSingle().Subject;
        error.Should().BeOfType<ConfigViolation>();
        evt.Id.Should().Be(request.Id);
    }

    [Fact]
    public async Task HandlerThrowsAViolation_ItIsRethrown()
    {
        var handler = ArvoEventHandler.CreateBuilder(Quote)
            .Version("1.0.0", _ => throw new ContractViolation("price list unavailable"))
            .Build();

        var act = async () => await handler.ExecuteAsync(QuoteRequest(1));

        (await act.Should().ThrowAsync<ContractViolation>()).Which.Message.Should().Be("ViolationError<Contract> price list unavailable");
    }

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("errors-and-violations");
}
