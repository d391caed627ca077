using System.Text.Json.Nodes;
using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Memory;

namespace Arvo.Docs;

// docs:types:begin
public sealed record OrderContext(string Sku, int Quantity, double Amount, bool Reserved, bool Charged, string? Failure);
// docs:types:end

/// <summary>The code of docs/machines.md, run.</summary>
public sealed class MachinesDocTests
{
    private sealed record Order(
        ArvoOrchestratorContract Contract,
        ArvoContract Stock,
        ArvoContract Payment,
        ArvoContract Notify,
        ArvoMachine<OrderContext> Machine);

    private static Order Build()
    {
        // docs:contracts:begin
        var order = ArvoContract.CreateOrchestrator("#/demo/order", "demo.order", contract => contract
            .Version("1.0.0", version => version
                .Init("""{"type":"object","properties":{"sku":{"type":"string"},"quantity":{"type":"integer"},"amount":{"type":"number"}},"required":["sku","quantity","amount"]}""")
                .Complete("""{"type":"object","properties":{"reserved":{"type":"boolean"},"charged":{"type":"boolean"},"failure":{"type":["string","null"]}},"required":["reserved","charged","failure"]}""")));
        var stock = ArvoContract.Create("#/demo/stock", "com.demo.stock", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"sku":{"type":"string"},"quantity":{"type":"integer"}},"required":["sku","quantity"]}""")
                .Emits("evt.demo.stock.success", """{"type":"object","properties":{"reserved":{"type":"boolean"}},"required":["reserved"]}""")));
        var payment = ArvoContract.Create("#/demo/payment", "com.demo.payment", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}""")
                .Emits("evt.demo.payment.success", """{"type":"object","properties":{"receipt":{"type":"string"}},"required":["receipt"]}""")));
        var notify = ArvoContract.Create("#/demo/notify", "com.demo.notify", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}""")
                .Emits("evt.demo.notify.success", """{"type":"object","properties":{}}""")));
        // docs:contracts:end

        // docs:machine:begin
        var machine = ArvoMachine.Setup<OrderContext>(order.Version("1.0.0"))
            .Service("stock", stock.Version("1.0.0"))
            .Service("payment", payment.Version("1.0.0"))
            .Service("notify", notify.Version("1.0.0"))
            .Guard("isEmpty", ctx => ctx.Quantity <= 0)              // a named guard: shown by name in diagrams
            .CreateMachine("order", m => m
                .Context(input => new OrderContext(
                    input.Data.GetProperty("sku").GetString()!,
                    input.Data.GetProperty("quantity").GetInt32(),
                    input.Data.GetProperty("amount").GetDouble(),
                    Reserved: false,
                    Charged: false,
                    Failure: null))
                .Initial("validating")
                .State("validating", s => s
                    // Eventless alternatives, tried in order; the first whose guard passes is taken.
                    .Always("rejected", t => t.Guard("isEmpty").Assign(ctx => ctx with { Failure = "empty order" }))
                    .Always("fulfilling"))
                .Parallel("fulfilling", p => p
                    // Enqueued events are emitted after every Emit of the same execution.
                    .Entry(a => a.EnqueueArvoEvent("com.demo.notify", ctx => new { message = $"Order for {ctx.Sku} received" }))
                    .Region("stock", r => r
                        .Initial("reserving")
                        .State("reserving", s => s
                            .Entry(a => a.Emit("com.demo.stock", ctx => new { sku = ctx.Sku, quantity = ctx.Quantity }))
                            .On("evt.demo.stock.success", "reserved", t => t
                                .Guard((_, evt) => evt.Data.GetProperty("reserved").GetBoolean(), "inStock")
                                .Assign(ctx => ctx with { Reserved = true }))
                            .On("evt.demo.stock.success", "unavailable"))
                        .Final("reserved")
                        .Final("unavailable"))
                    .Region("payment", r => r
                        .Initial("charging")
                        .State("charging", s => s
                            .Entry(a => a.Emit("com.demo.payment", ctx => new { amount = ctx.Amount }))
                            .On("evt.demo.payment.success", "charged", t => t.Assign(ctx => ctx with { Charged = true })))
                        .Final("charged"))
                    // The parallel state's own transitions apply whatever the regions are doing.
                    .On("sys.com.demo.payment.error", "rejected", t => t
                        .Assign((ctx, evt) => ctx with { Failure = evt.Data.GetProperty("errorMessage").GetString() }))
                    // Taken once every region is in a final state.
                    .OnDone("done"))
                .Final("done")
                .Final("rejected")
                .Output(ctx => new { reserved = ctx.Reserved, charged = ctx.Charged, failure = ctx.Failure }));
        // docs:machine:end
        return new Order(order, stock, payment, notify, machine);
    }

    private static (SimpleEventBroker Broker, ArvoOrchestrator Orchestrator) System(Order built)
    {
        var (_, stock, payment, notify, machine) = built;

        // docs:services:begin
        var orchestrator = ArvoOrchestrator.CreateBuilder()
            .Memory(new SimpleMachineMemory<MachineMemoryRecord>())
            .ExecutionUnits(1)
            .Machines(machine)
            .Build();
        var stockService = ArvoEventHandler.CreateBuilder(stock)
            .Version("1.0.0", ctx => ArvoHandlerOutput.Emit("evt.demo.stock.success", new { reserved = ctx.Data.GetProperty("quantity").GetInt32() <= 5 }))
            .Build();
        var paymentService = ArvoEventHandler.CreateBuilder(payment)
            .Version("1.0.0", ctx => ctx.Data.GetProperty("amount").GetDouble() > 1000
                ? throw new InvalidOperationException("card declined")
                : ArvoHandlerOutput.Emit("evt.demo.payment.success", new { receipt = "r-1" }))
            .Build();
        var notifyService = ArvoEventHandler.CreateBuilder(notify)
            .Version("1.0.0", _ => ArvoHandlerOutput.Emit("evt.demo.notify.success", new { }))
            .Build();
        var broker = SimpleEventBroker.Create([orchestrator, stockService, paymentService, notifyService]);
        // docs:services:end
        return (broker, orchestrator);
    }

    private static ArvoEvent Init(Order order, int quantity, double amount) =>
        new ArvoOrchestratorEventFactory(order.Contract.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.shop" },
            new JsonObject { ["parentSubject$$"] = null, ["sku"] = "book", ["quantity"] = quantity, ["amount"] = amount });

    [Fact]
    public async Task Start_EmitsBeforeEnqueuedEvents()
    {
        var built = Build();
        var order = built.Contract;
        var (_, orchestrator) = System(built);

        // docs:first-execution:begin
        var init = new ArvoOrchestratorEventFactory(order.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.shop" },
            new JsonObject { ["parentSubject$$"] = null, ["sku"] = "book", ["quantity"] = 2, ["amount"] = 30 });
        var started = await orchestrator.ExecuteAsync(init);

        // started.All, in order: com.demo.stock {"sku":"book","quantity":2}, com.demo.payment {"amount":30},
        // com.demo.notify {"message":"Order for book received"}: both Emits, then the enqueued event, although the
        // parallel state's entry (which enqueues) runs before its regions' entries (which emit)
        // docs:first-execution:end

        started.All.Select(e => (e.Type, e.Data.GetRawText(), e.To, e.Subject)).Should().Equal(
            ("com.demo.stock", """{"sku":"book","quantity":2}""", "com.demo.stock", init.Subject),
            ("com.demo.payment", """{"amount":30}""", "com.demo.payment", init.Subject),
            ("com.demo.notify", """{"message":"Order for book received"}""", "com.demo.notify", init.Subject));
        started.All.Should().OnlyContain(e => e.ParentId == init.Id && e.Source == "arvo.orc.demo.order");
        orchestrator.RequiresResourceLocking.Should().BeTrue("a machine with a parallel state always locks");
    }

    [Theory]
    [InlineData(2, 30, """{"reserved":true,"charged":true,"failure":null}""")]
    [InlineData(9, 30, """{"reserved":false,"charged":true,"failure":null}""")]
    [InlineData(0, 30, """{"reserved":false,"charged":false,"failure":"empty order"}""")]
    [InlineData(2, 5000, """{"reserved":true,"charged":false,"failure":"card declined"}""")]
    public async Task Workflow_CompletesWithTheOutput(int quantity, double amount, string output)
    {
        var order = Build();
        var (broker, _) = System(order);
        var init = Init(order, quantity, amount);

        var done = await broker.ResolveAsync(init);

        done.Should().NotBeNull();
        (done!.Type, done.To, done.Subject, done.ParentId, done.Data.GetRawText()).Should().Be(
            ("arvo.orc.demo.order.done", "com.demo.shop", init.Subject, init.Id, output));
    }

    [Fact]
    public async Task Workflow_RunsThroughTheBroker()
    {
        var built = Build();
        var order = built.Contract;
        var (broker, _) = System(built);

        // docs:run:begin
        var done = await broker.ResolveAsync(
            new ArvoOrchestratorEventFactory(order.Version("1.0.0")).Init(
                new ArvoEventEnvelope { Source = "com.demo.shop" },
                new JsonObject { ["parentSubject$$"] = null, ["sku"] = "book", ["quantity"] = 9, ["amount"] = 30 }));

        // done.Type == "arvo.orc.demo.order.done", done.Data == {"reserved":false,"charged":true,"failure":null}:
        // the stock answer said reserved: false, so the "inStock" alternative was skipped and "unavailable" taken
        // docs:run:end

        (done!.Type, done.Data.GetRawText()).Should().Be(("arvo.orc.demo.order.done", """{"reserved":false,"charged":true,"failure":null}"""));
    }

    [Fact]
    public void Page_ShowsTheGeneratedDiagram()
    {
        var diagram = Build().Machine.ToMermaid().ReplaceLineEndings("\n");

        DocPages.Page("machines").Should().Contain("```mermaid\n" + diagram + "```\n");
    }

    [Fact]
    public void Page_ShowsEveryRegion() => DocPages.AssertShowsEveryRegion("machines");
}
