using Arvo.Factories;
using Arvo.Handlers;
using Arvo.Machines;
using Arvo.Memory;

namespace Arvo.Docs;

// docs:types:begin
public sealed record OrderContext(string Sku, int Quantity, double Amount, bool Reserved, bool Charged, string? Failure);
// docs:types:end

// docs:nested-types:begin
public sealed record ShipmentContext(string Parcel, int Retries, int Progress, string[] Log)
{
    public ShipmentContext Add(string entry) => this with { Log = [.. Log, entry] };
}
// docs:nested-types:end

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
                        .Assign((ctx, evt) => ctx with { Failure = evt.GetSystemErrorData()!.ErrorMessage }))
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
            new { sku = "book", quantity, amount });

    [Fact]
    public async Task Start_EmitsBeforeEnqueuedEvents()
    {
        var built = Build();
        var order = built.Contract;
        var (_, orchestrator) = System(built);

        // docs:first-execution:begin
        var init = new ArvoOrchestratorEventFactory(order.Version("1.0.0")).Init(
            new ArvoEventEnvelope { Source = "com.demo.shop" },
            new { sku = "book", quantity = 2, amount = 30 });
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
                new { sku = "book", quantity = 9, amount = 30 }));

        // done.Type == "arvo.orc.demo.order.done", done.Data == {"reserved":false,"charged":true,"failure":null}:
        // the stock answer said reserved: false, so the "inStock" alternative was skipped and "unavailable" taken
        // docs:run:end

        (done!.Type, done.Data.GetRawText()).Should().Be(("arvo.orc.demo.order.done", """{"reserved":false,"charged":true,"failure":null}"""));
    }

    private sealed record Shipment(ArvoOrchestratorContract Contract, ArvoContract Label, ArvoContract Courier, ArvoMachine<ShipmentContext> Machine);

    private static Shipment BuildShipment()
    {
        // docs:nested-contracts:begin
        var shipment = ArvoContract.CreateOrchestrator("#/demo/shipment", "demo.shipment", contract => contract
            .Version("1.0.0", version => version
                .Init("""{"type":"object","properties":{"parcel":{"type":"string"}},"required":["parcel"]}""")
                .Complete("""{"type":"object","properties":{"retries":{"type":"integer"},"progress":{"type":"integer"}},"required":["retries","progress"]}""")));
        var label = ArvoContract.Create("#/demo/label", "com.demo.label", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"parcel":{"type":"string"}},"required":["parcel"]}""")
                .Emits("evt.demo.label.success", """{"type":"object","properties":{"label":{"type":"string"}},"required":["label"]}""")));
        var courier = ArvoContract.Create("#/demo/courier", "com.demo.courier", contract => contract
            .Version("1.0.0", version => version
                .Accepts("""{"type":"object","properties":{"label":{"type":"string"}},"required":["label"]}""")
                .Emits("evt.demo.courier.progress", """{"type":"object","properties":{"percent":{"type":"integer"}},"required":["percent"]}""")
                .Emits("evt.demo.courier.success", """{"type":"object","properties":{}}""")));
        // docs:nested-contracts:end

        // docs:nested-machine:begin
        var machine = ArvoMachine.Setup<ShipmentContext>(shipment.Version("1.0.0"))
            .Service("label", label.Version("1.0.0"))
            .Service("courier", courier.Version("1.0.0"))
            .CreateMachine("shipment", m => m
                .Context(input => new ShipmentContext(input.Data.GetProperty("parcel").GetString()!, Retries: 0, Progress: 0, Log: []))
                .Initial("shipping")
                .State("shipping", s => s                                   // compound: it has child states
                    .Entry(a => a.Assign(ctx => ctx.Add("enter shipping")))
                    .Exit(a => a.Assign(ctx => ctx.Add("exit shipping")))
                    .Initial("labelling")
                    .State("labelling", l => l
                        .Entry(a => a.Emit("com.demo.label", ctx => new { parcel = ctx.Parcel }).Assign(ctx => ctx.Add("enter labelling")))
                        .Exit(a => a.Assign(ctx => ctx.Add("exit labelling")))
                        .On("evt.demo.label.success", "dispatching", t => t.Assign(ctx => ctx.Add("labelled")))
                        // Rule 2: Reenter() exits and enters the state again, so its entry asks for a label again.
                        .On("sys.com.demo.label.error", "labelling", t => t
                            .Guard(ctx => ctx.Retries < 1, "canRetry")
                            .Reenter()
                            .Assign(ctx => (ctx with { Retries = ctx.Retries + 1 }).Add("retry"))))
                    .State("dispatching", d => d
                        .Entry(a => a
                            .Emit("com.demo.courier", (_, evt) => new { label = evt.Data.GetProperty("label").GetString() })
                            .Assign(ctx => ctx.Add("enter dispatching")))
                        // Rule 1: a targetless transition runs only its actions.
                        .On("evt.demo.courier.progress", t => t.Assign((ctx, evt) => ctx with { Progress = evt.Data.GetProperty("percent").GetInt32() }))
                        .On("evt.demo.courier.success", "delivered"))
                    .Final("delivered")                                      // Rule 5: entering it raises shipping's OnDone
                    // Rule 4: the parent's alternative applies when the active child takes no alternative of its own.
                    .On("sys.com.demo.label.error", "failed", t => t.Assign(ctx => ctx.Add("gave up")))
                    .OnDone("done"))
                .Final("done")
                .Final("failed")
                .Output(ctx => new { retries = ctx.Retries, progress = ctx.Progress }));
        // docs:nested-machine:end
        return new Shipment(shipment, label, courier, machine);
    }

    private static string[] Log(ArvoMachineExecutionResult result) =>
        [.. result.Snapshot.Context.GetProperty("log").EnumerateArray().Select(entry => entry.GetString()!)];

    [Fact]
    public void NestedStates_FollowTheXStateRules()
    {
        var (shipment, label, courier, machine) = BuildShipment();

        // docs:nested-run:begin
        var init = new ArvoOrchestratorEventFactory(shipment.Version("1.0.0"))
            .Init(new ArvoEventEnvelope { Source = "com.demo.shop" }, new { parcel = "p-1" });
        var answer = new ArvoEventEnvelope { Source = "com.demo.service", Subject = init.Subject, To = "arvo.orc.demo.shipment" };
        var labels = new ArvoEventFactory(label.Version("1.0.0"));
        var couriers = new ArvoEventFactory(courier.Version("1.0.0"));
        var engine = MachineExecutionEngine.Instance;

        var started = engine.Execute(machine, null, init);
        // state {"shipping":"labelling"}; log: enter shipping, enter labelling (outer to inner); emits com.demo.label
        var retried = engine.Execute(machine, started.Snapshot, labels.SystemError(answer, new InvalidOperationException("printer jammed")));
        // same state; log + exit labelling, retry, enter labelling; emits com.demo.label again
        var labelled = engine.Execute(machine, retried.Snapshot, labels.Emits(answer, "evt.demo.label.success", new { label = "L-42" }));
        // state {"shipping":"dispatching"}; log + exit labelling, labelled, enter dispatching; emits com.demo.courier {"label":"L-42"}
        var moving = engine.Execute(machine, labelled.Snapshot, couriers.Emits(answer, "evt.demo.courier.progress", new { percent = 50 }));
        // same state and log (no exit, no entry), progress 50
        var delivered = engine.Execute(machine, moving.Snapshot, couriers.Emits(answer, "evt.demo.courier.success", new { }));
        // entering "delivered" raised shipping's OnDone: log + exit shipping; state "done", output {"retries":1,"progress":50}

        var gaveUp = engine.Execute(machine, retried.Snapshot, labels.SystemError(answer, new InvalidOperationException("printer jammed")));
        // a second failure: "canRetry" is false, so shipping's own alternative runs; log + exit labelling, exit shipping
        // (inner to outer), gave up (the transition's actions after the exits); state "failed"
        // docs:nested-run:end

        started.Snapshot.StateValue.GetRawText().Should().Be("""{"shipping":"labelling"}""");
        Log(started).Should().Equal("enter shipping", "enter labelling");
        started.Events.Select(e => e.Type).Should().Equal("com.demo.label");
        retried.Snapshot.StateValue.GetRawText().Should().Be("""{"shipping":"labelling"}""");
        Log(retried).Should().Equal("enter shipping", "enter labelling", "exit labelling", "retry", "enter labelling");
        retried.Events.Select(e => e.Type).Should().Equal("com.demo.label");
        labelled.Snapshot.StateValue.GetRawText().Should().Be("""{"shipping":"dispatching"}""");
        labelled.Snapshot.Matches("shipping.dispatching").Should().BeTrue();
        Log(labelled).Should().Equal("enter shipping", "enter labelling", "exit labelling", "retry", "enter labelling", "exit labelling", "labelled", "enter dispatching");
        labelled.Events.Should().ContainSingle().Which.Type.Should().Be("com.demo.courier");
        moving.Snapshot.StateValue.GetRawText().Should().Be("""{"shipping":"dispatching"}""");
        Log(moving).Should().Equal(Log(labelled));
        moving.Snapshot.Context.GetProperty("progress").GetInt32().Should().Be(50);
        moving.Events.Should().BeEmpty();
        delivered.Snapshot.Value.Should().Be("done");
        delivered.Snapshot.Status.Should().Be(ArvoMachineStatus.Done);
        Log(delivered).Should().Equal([.. Log(labelled), "exit shipping"]);
        delivered.FinalOutput!.Value.GetRawText().Should().Be("""{"retries":1,"progress":50}""");
        gaveUp.Snapshot.Value.Should().Be("failed");
        Log(gaveUp).Should().Equal([.. Log(retried), "exit labelling", "exit shipping", "gave up"]);
        gaveUp.FinalOutput!.Value.GetRawText().Should().Be("""{"retries":1,"progress":0}""");
    }

    [Fact]
    public async Task NestedMachine_RunsInAnOrchestrator()
    {
        var (shipment, label, courier, machine) = BuildShipment();
        var orchestrator = ArvoOrchestrator.CreateBuilder().Memory(new SimpleMachineMemory<MachineMemoryRecord>()).ExecutionUnits(1).Machines(machine).Build();
        var init = new ArvoOrchestratorEventFactory(shipment.Version("1.0.0")).Init(new ArvoEventEnvelope { Source = "com.demo.shop" }, new { parcel = "p-1" });

        var command = (await orchestrator.ExecuteAsync(init)).All.Single();
        var labelAnswer = (await ArvoEventHandler.CreateBuilder(label)
            .Version("1.0.0", _ => ArvoHandlerOutput.Emit("evt.demo.label.success", new { label = "L-7" })).Build().ExecuteAsync(command)).All.Single();
        var courierCommand = (await orchestrator.ExecuteAsync(labelAnswer)).All.Single();
        var courierAnswer = (await ArvoEventHandler.CreateBuilder(courier)
            .Version("1.0.0", _ => ArvoHandlerOutput.Emit("evt.demo.courier.success", new { })).Build().ExecuteAsync(courierCommand)).All.Single();
        var done = (await orchestrator.ExecuteAsync(courierAnswer)).All.Single();

        (courierCommand.Type, courierCommand.Data.GetRawText()).Should().Be(("com.demo.courier", """{"label":"L-7"}"""));
        (done.Type, done.Data.GetRawText(), done.To).Should().Be(("arvo.orc.demo.shipment.done", """{"retries":0,"progress":0}""", "com.demo.shop"));
    }

    [Fact]
    public void Page_ShowsTheGeneratedNestedDiagram()
    {
        var diagram = BuildShipment().Machine.ToMermaid().ReplaceLineEndings("\n");

        DocPages.Page("machines").Should().Contain("```mermaid\n" + diagram + "```\n");
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
